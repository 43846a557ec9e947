import type { E164, MessageAuthor } from '../../../shared/types';

/** What the pipeline remembers about one chat on one receiving number (camelCase of the row). */
export interface ConversationRecord {
  businessNumber: E164;
  chatId: string;
  contactId: string | null;
  firstSeenAt: number;
  lastInboundAt: number | null;
  greetedAt: number | null;
  handoff: { since: number; reason: string } | null;
  botPausedUntil: number | null;
  lastAwayPeriod: string | null;
  floodWindowStart: number | null;
  floodCount: number;
  /** The FAQ the bot answered last (the flood guard counts the same one again as a repeat). */
  lastAnswerFaqId: string | null;
  /**
   * A person owes the customer an answer since `since` (the "Needs you" list): set by a hand-off, a
   * message in a chat already with a person or paused by the owner, a reply that could not be sent;
   * cleared by the owner's answer or by giving the chat back to the bot.
   */
  waiting: { since: number; reason: string } | null;
  /** When the owner last gave the chat back to the bot. */
  releasedAt: number | null;
  /**
   * The bot asked "Do you mean 1) ... or 2) ...?" and waits for the pick: the offered FAQs in order,
   * and until when the question stands (after that the chat goes to a person). Null: nothing pending.
   */
  clarification: Clarification | null;
}

export interface Clarification {
  faqIds: string[];
  askedAt: number;
  expiresAt: number;
}

/** A chat as the Conversations list shows it: its newest message and its state on any number. */
export interface RecentChat {
  chatId: string;
  businessNumber: E164;
  contactId: string | null;
  contactName: string | null;
  contactPhone: string | null;
  lastText: string | null;
  /** The last message's photo, voice note, location... kind, when it carries one. */
  lastMediaKind: string | null;
  /** The name of the last message's file (a document's), when it has one. */
  lastMediaFileName: string | null;
  lastAuthor: MessageAuthor;
  lastAt: number;
  handoffSince: number | null;
  handoffReason: string | null;
  botPausedUntil: number | null;
  /** A person owes the customer an answer since then (earliest over the chat's numbers); null if not. */
  waitingSince: number | null;
  waitingReason: string | null;
}

/** A chat the pipeline has not seen before: what a first message's decision starts from. */
export const EMPTY_CONVERSATION: Readonly<Omit<ConversationRecord, 'businessNumber' | 'chatId'>> = {
  contactId: null,
  firstSeenAt: 0,
  lastInboundAt: null,
  greetedAt: null,
  handoff: null,
  botPausedUntil: null,
  lastAwayPeriod: null,
  floodWindowStart: null,
  floodCount: 0,
  lastAnswerFaqId: null,
  waiting: null,
  releasedAt: null,
  clarification: null,
};
