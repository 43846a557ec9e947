import { describe, expect, it } from 'vitest';
import { workspaceSettingsSchema, type WorkspaceSettingsInput } from '../../shared/settings';
import { EMPTY_CONVERSATION } from '../store/repositories/conversations';
import { decide } from './decide';
import { createExactMatchBot } from './faq-bot';
import { answerOutcome } from './outcome';
import type { Bot, ConversationState, DecideMessage } from './types';

/** What each kind of decision counts as on the home screen, from decide() itself (not hand-made decisions). */
const WED_10AM = Date.UTC(2026, 10, 18, 9, 0); // Lagos: open
const WED_9PM = Date.UTC(2026, 10, 18, 20, 0); // Lagos: closed

const bot = createExactMatchBot([
  { id: 'faq-hours', question: 'What time do you open?', answer: '8am.', phrasings: [], enabled: true },
]);
const aiBot: Bot = {
  answer: () => ({ kind: 'answer', text: 'From the model', faqId: null, confidence: 0.9, source: 'ai' }),
};

const known = (overrides: Partial<ConversationState> = {}): ConversationState => ({
  ...EMPTY_CONVERSATION,
  firstSeenAt: 1,
  lastInboundAt: 1,
  greetedAt: 1,
  ...overrides,
});
const text = (t: string, overrides: Partial<DecideMessage> = {}): DecideMessage => ({
  chatKind: 'direct',
  kind: 'text',
  text: t,
  ...overrides,
});

const cases: {
  name: string;
  message: DecideMessage;
  settings?: WorkspaceSettingsInput;
  state?: ConversationState | null;
  bot?: Bot;
  at?: number;
  outcome: ReturnType<typeof answerOutcome>;
}[] = [
  { name: 'an FAQ answer', message: text('What time do you open?'), outcome: 'bot' },
  { name: 'an AI answer', message: text('Anything'), bot: aiBot, outcome: 'bot' },
  {
    name: 'greeting + an FAQ answer to a newcomer',
    message: text('What time do you open?'),
    state: null,
    outcome: 'bot',
  },
  {
    name: 'away message + an FAQ answer out of hours',
    message: text('What time do you open?'),
    settings: { businessHours: { enabled: true } },
    at: WED_9PM,
    outcome: 'bot',
  },
  { name: 'a hand-off word', message: text('I want to speak to a human'), outcome: 'handoff' },
  { name: 'a question the bot cannot answer', message: text('Do you sell wigs?'), outcome: 'handoff' },
  {
    name: 'an unanswerable question out of hours (away message, no notice)',
    message: text('Do you sell wigs?'),
    settings: { businessHours: { enabled: true } },
    at: WED_9PM,
    outcome: 'handoff',
  },
  { name: 'a photo without caption', message: text('', { kind: 'media', text: null }), outcome: 'handoff' },
  {
    name: 'an unanswerable question with hand-offs off',
    message: text('Do you sell wigs?'),
    settings: { handoff: { onBotAbstain: false } },
    outcome: 'unanswered',
  },
  {
    name: 'the same out of hours (away message sent, question still unanswered)',
    message: text('Do you sell wigs?'),
    settings: { handoff: { onBotAbstain: false }, businessHours: { enabled: true } },
    at: WED_9PM,
    outcome: 'unanswered',
  },
  { name: 'a greeting covering a first "hi"', message: text('hi'), state: null, outcome: null },
  {
    name: 'a chat already with a person',
    message: text('hello?'),
    state: known({ handoff: { since: 1, reason: 'handoff-keyword:agent' } }),
    outcome: null,
  },
  {
    name: 'a chat the owner is answering',
    message: text('What time do you open?'),
    state: known({ botPausedUntil: WED_10AM + 60_000 }),
    outcome: null,
  },
  {
    name: 'the flood guard: the same question again',
    message: text('What time do you open?'),
    state: known({ floodWindowStart: WED_10AM - 1000, floodCount: 1, lastAnswerFaqId: 'faq-hours' }),
    outcome: null,
  },
  { name: 'a group message', message: text('What time do you open?', { chatKind: 'group' }), outcome: null },
  { name: 'a sticker', message: text('', { kind: 'unsupported', text: null }), outcome: null },
];

describe('answerOutcome', () => {
  for (const c of cases) {
    it(`${c.name}: ${String(c.outcome)}`, () => {
      const decision = decide(
        c.message,
        workspaceSettingsSchema.parse(c.settings ?? {}),
        c.bot ?? bot,
        c.state === undefined ? known() : c.state,
        c.at ?? WED_10AM,
      );
      expect(answerOutcome(decision)).toBe(c.outcome);
    });
  }
});
