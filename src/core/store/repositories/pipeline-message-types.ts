import type { E164, MessageStatus } from '../../../shared/types';
import type { ContactIdentity } from './contacts';

/** The rows the pipeline's message repository (pipeline-messages.ts) takes and returns. */

export interface InboundRow {
  /** Our id for the message. */
  id: string;
  businessNumber: E164;
  providerMessageId: string;
  chatId: string;
  chatKind: string;
  sender: ContactIdentity;
  text: string | null;
  providerTs: number | null;
}

export interface IngestOutcome {
  id: string;
  /** False when the (number, provider id) was already stored: a redelivery. */
  inserted: boolean;
  contactId: string | null;
}

export interface OutboundRow {
  id: string;
  businessNumber: E164;
  providerMessageId: string;
  chatId: string;
  author: 'bot' | 'owner';
  text: string | null;
  status: MessageStatus;
}

/** A stored inbound message that was never decided (the process stopped in between). */
export interface UndecidedRow {
  id: string;
  businessNumber: E164;
  providerMessageId: string;
  chatId: string;
  chatKind: string | null;
  contactId: string | null;
  text: string | null;
  providerTs: number | null;
  createdAt: number;
}

/**
 * What became of an inbound message that needed an answer (migration 0006): the bot answered it, it
 * went to a person, or nobody was told. Null when no answer was expected.
 */
export const MESSAGE_OUTCOMES = ['bot', 'handoff', 'unanswered'] as const;
export type MessageOutcome = (typeof MESSAGE_OUTCOMES)[number];

export interface StatusUpdate {
  id: string;
  status: MessageStatus;
  /** Written with the status when given (null clears it); left as it is when undefined. */
  outcome?: MessageOutcome | null;
  /** decide()'s reason code and outcome (migration 0011); left as they are when undefined. */
  decision?: { reason: string; outcome: 'answered' | 'person' | 'left' | 'unanswered' };
}
