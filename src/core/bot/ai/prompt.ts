import type { WorkspaceSettings } from '../../../shared/settings';
import type { ChatMessage, CompletionRequest } from './types';

/**
 * The grounded prompt: the model may answer only from the shop's profile, its FAQs and the chat so
 * far, and must reply exactly HANDOFF otherwise. A HANDOFF reply becomes an abstention, so the chat goes
 * to a person instead of the model making up a price or a policy.
 */

export const HANDOFF_TOKEN = 'HANDOFF';

export interface BusinessProfile {
  name: string;
  /** What the shop sells, in the owner's words. */
  sells: string;
  /** Opening hours as text (see `describeHours`); empty when not stated. */
  hours: string;
}

export interface FaqEntry {
  question: string;
  answer: string;
}

export interface PromptInput {
  profile: BusinessProfile;
  /** Best first: the FAQ matcher's top entries for this message. */
  faqs: readonly FaqEntry[];
  /** The chat's recent messages, oldest first, not including `text`. */
  history: readonly ChatMessage[];
  /** The customer's message to answer. */
  text: string;
  maxFaqs?: number;
  maxHistory?: number;
  maxTokens?: number;
}

export const DEFAULT_MAX_FAQS = 5;
export const DEFAULT_MAX_HISTORY = 6;
const MAX_FIELD_CHARS = 1000;

function clip(text: string, max = MAX_FIELD_CHARS): string {
  const trimmed = text.trim();
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max)}…`;
}

export function buildPrompt(input: PromptInput): CompletionRequest {
  const faqs = input.faqs.slice(0, input.maxFaqs ?? DEFAULT_MAX_FAQS);
  const { profile } = input;
  const lines = [
    `You answer WhatsApp messages from customers of ${clip(profile.name, 200)}.`,
    `What the shop sells: ${clip(profile.sells) || 'not stated'}.`,
    `Opening hours: ${clip(profile.hours) || 'not stated'}.`,
    '',
    'Frequently asked questions and the shop’s answers:',
    ...(faqs.length === 0
      ? ['(none)']
      : faqs.map((f, i) => `${i + 1}. Q: ${clip(f.question)}\n   A: ${clip(f.answer)}`)),
    '',
    'Rules:',
    '- Answer only from the information above and the conversation. Never invent prices, stock, discounts, delivery times or policies.',
    `- If the answer is not there, or the customer wants a person, is complaining or is negotiating beyond what is stated, reply with exactly ${HANDOFF_TOKEN} and nothing else.`,
    '- Reply in the customer’s language (English or Pidgin), briefly and politely, as the shop.',
  ];
  const history = input.history.slice(-(input.maxHistory ?? DEFAULT_MAX_HISTORY));
  return {
    system: lines.join('\n'),
    messages: [
      ...history.map((m) => ({ role: m.role, content: clip(m.content) })),
      { role: 'user', content: clip(input.text) },
    ],
    ...(input.maxTokens === undefined ? {} : { maxTokens: input.maxTokens }),
  };
}

/** 'HANDOFF', ' handoff. ', 'Hand off' all count; a sentence that merely contains the word does not. */
export function isHandoff(reply: string): boolean {
  return reply.replace(/[\s.!"'`*_]/g, '').toUpperCase() === HANDOFF_TOKEN;
}

const DAY_NAMES = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
} as const;

/** The workspace's business hours as one line for the prompt; '' when hours are off. */
export function describeHours(hours: WorkspaceSettings['businessHours']): string {
  if (!hours.enabled) return '';
  return (Object.keys(DAY_NAMES) as (keyof typeof DAY_NAMES)[])
    .map((day) => {
      const intervals = hours.days[day];
      const text =
        intervals.length === 0 ? 'closed' : intervals.map((i) => `${i.open}-${i.close}`).join(', ');
      return `${DAY_NAMES[day]} ${text}`;
    })
    .join('; ');
}
