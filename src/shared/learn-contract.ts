import { z } from 'zod';
import { userText } from './schemas';
import type { WorkspaceId } from './types';
import { command } from './command-spec';

/**
 * Learning from the owner: a question the owner answered by hand becomes a phrasing of an FAQ or a
 * new FAQ, straight from the chat; a new FAQ made in Unanswered can be sent to the customers still
 * waiting for it; Home says what the bot learned this week. contract.ts spreads `learnCommands` into
 * its command map. This file must not import contract.ts (an import cycle).
 */

/** A customer question the bot handed over and the owner answered by hand: what the thread offers to keep. */
export interface LearnSuggestion {
  /** The customer's words. */
  question: string;
  messageId: string;
  /** The owner's reply to it: the answer a new FAQ starts with. */
  ownerAnswer: string | null;
  /** The FAQ it is most like, whatever the bot's confidence (the owner decides). */
  closest: { faqId: string; question: string } | null;
}

export interface LearnedItem {
  kind: 'phrasing' | 'faq';
  /** The phrasing added, or the new FAQ's question. */
  text: string;
  faqId: string | null;
  /** The FAQ's question now (null when it was removed since). */
  faqQuestion: string | null;
  at: number;
}

export interface LearnedWeek {
  since: number;
  phrasings: number;
  faqs: number;
  /** Newest first, at most 20. */
  items: LearnedItem[];
}

export interface AnswerSendResult {
  /** Customers the answer was queued for now. */
  sent: number;
  /** Customers who asked but were answered already (by a person, or by this button before). */
  skipped: number;
}

const id = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(200, `${label} is too long`);
const workspaceId = id('workspaceId').transform((w) => w as WorkspaceId);

export const learnCommands = {
  /** What the chat's thread offers to keep: the last handed-over question the owner answered by hand. */
  'learn.suggest': command<LearnSuggestion | null>()(z.strictObject({ workspaceId, chatId: id('chatId') })),
  /** Keeps a customer's question: as a phrasing of an FAQ, or as a new FAQ with the owner's answer. */
  'learn.save': command<{ faqId: string }>()(
    z.strictObject({
      workspaceId,
      chatId: id('chatId'),
      question: userText('Question', 300),
      action: z.discriminatedUnion('type', [
        z.strictObject({ type: z.literal('add-phrasing'), faqId: id('faqId') }),
        z.strictObject({ type: z.literal('new-faq'), answer: userText('Answer', 4000) }),
      ]),
    }),
  ),
  /** Home: the phrasings and FAQs added from conversations and Unanswered in the last 7 days. */
  'learn.week': command<LearnedWeek>()(z.strictObject({ workspaceId })),
  /**
   * Sends an FAQ's answer to the customers whose questions (Unanswered ids) it now answers and who
   * still wait for a person: through the outbox, once per customer and FAQ.
   */
  'learn.sendAnswer': command<AnswerSendResult>()(
    z.strictObject({
      workspaceId,
      faqId: id('faqId'),
      questionIds: z.array(id('id')).min(1, 'pick at least one question').max(500, 'at most 500 questions'),
    }),
  ),
};
