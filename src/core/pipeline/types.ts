import type { ConversationRecord } from '../store/repositories/conversations';
import type { OutboxKind } from '../store/repositories/outbox';
import type { InboundMessage } from '../whatsapp/provider';

/**
 * The pipeline's vocabulary: what decide() reads and returns. Plain data, no I/O, so decisions can be
 * tested as tables and replayed from the database.
 */

export type BotAnswer = {
  kind: 'answer';
  text: string;
  faqId: string | null;
  confidence: number;
  source: 'faq' | 'ai';
};
export type BotAbstain = { kind: 'abstain'; reason: string };
export type BotResult = BotAnswer | BotAbstain;

/**
 * What answers a customer's question. Synchronous on purpose: decide() stays a pure function. An
 * answerer that needs I/O (an AI model) runs before decide and hands its result in as a Bot.
 */
export interface Bot {
  answer(text: string): BotResult;
  /**
   * The closest FAQs at any confidence, best first: what an AI answer is grounded in when the bot
   * itself is not confident. Optional: a bot without FAQs has none.
   */
  candidates?(text: string, limit: number): FaqCandidate[];
  /** One FAQ by id (what a customer's pick after a clarifying question answers with). */
  faq?(faqId: string): FaqCandidate | undefined;
}

export interface FaqCandidate {
  faqId: string;
  question: string;
  answer: string;
  confidence: number;
}

/** The bot's own replies; 'owner' rows are typed by a person and never come from decide. */
export type ReplyKind = Exclude<OutboxKind, 'owner'>;

export type Action =
  | {
      type: 'reply';
      kind: ReplyKind;
      text: string;
      faqId: string | null;
      confidence: number | null;
      /**
       * Set when several replies were composed into this one message (greeting + away + answer): their
       * kinds in order. `kind` is then the last, the one that answers.
       */
      parts?: ReplyKind[];
      /** A clarifying question's options: a Cloud API number sends them as a list to pick from. */
      choices?: string[];
    }
  /** Mark the chat for a human and alert the owner; the bot stays quiet there until released. */
  | { type: 'handoff'; reason: string }
  /** Nothing is sent; the reason is logged. */
  | { type: 'ignore'; reason: string };

/** decide()'s view of a chat: the conversation row without its key. */
export type ConversationState = Omit<ConversationRecord, 'businessNumber' | 'chatId' | 'contactId'>;

/**
 * What decide() needs of a message: routing and identity are settled before it runs. `sentAt` is the
 * customer's send time (the provider's timestamp), when known: a message that waited days on WhatsApp's
 * servers while the PC was off is not answered by the bot as if it had just arrived.
 */
export type DecideMessage = Pick<InboundMessage, 'chatKind' | 'kind' | 'text'> & {
  sentAt?: number | null;
  /** The last moment a free-form reply may go out (the Cloud API's 24-hour window); null: no limit. */
  replyBy?: number | null;
};

/**
 * Where a customer message ended, one of exactly four (the outcome check counts them):
 *  - answered: a reply went to it (an FAQ or AI answer, or the greeting that answers a "hi");
 *  - person: a person owes the customer an answer and has been told (the chat is in "Needs you");
 *  - left: deliberately not answered, for the reason in `reason` (a group, small talk, a repeat,
 *    a reaction, an unreadable message);
 *  - unanswered: the bot had no answer and hand-offs are switched off: in Unanswered for the owner.
 */
export type DecisionOutcome = 'answered' | 'person' | 'left' | 'unanswered';

/**
 * The clarifying question's step a decision took: asked (with how many FAQs offered), a pick (the
 * customer's 1-based choice), none of them fits, still unclear, or the picked FAQ was removed.
 */
export type ClarifyStep =
  | { step: 'asked'; offered: number }
  | { step: 'picked'; choice: number }
  | { step: 'none' | 'unclear' | 'gone' };

export interface Decision {
  outcome: DecisionOutcome;
  /** The bot had no confident answer (the FAQ matcher or the AI abstained): for Unanswered. */
  abstained?: true;
  /** Set when the decision took a step of a clarifying question. */
  clarify?: ClarifyStep;
  /** Replies in the order they are to be sent, plus at most one handoff, or a single ignore. */
  actions: Action[];
  /** Why, as a short code for the log and tests (e.g. 'faq-answer', 'handoff-keyword'). */
  reason: string;
  /** Fields of the conversation state to overwrite; empty when the chat is not tracked (ignored kinds). */
  stateChanges: Partial<ConversationState>;
  /** The inbound row's new status. */
  status: 'processed' | 'ignored';
}
