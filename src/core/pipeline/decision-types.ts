import type { WorkspaceSettings } from '../../shared/settings';
import type { E164, WorkspaceId } from '../../shared/types';
import type { HybridOutcome } from '../bot/ai/hybrid';
import type { WorkspaceAi } from '../bot/ai/workspace-ai';
import type { NewOutboxRow } from '../store/repositories/outbox';
import type { ShopProfile } from './decide';
import type { StoredMessage } from './ingest';
import type { Bot, BotResult, Decision } from './types';

/**
 * A chat needs a person: the bot handed it over, the customer asked for a person (again), or wrote in
 * a chat that is with a person or paused by the owner and nobody has answered yet.
 */
export interface HandoffAlert {
  workspaceId: WorkspaceId;
  businessNumber: E164;
  chatId: string;
  contactId: string | null;
  reason: string;
  messageId: string;
  /** Since when the chat waits for a person (the earliest unanswered message's decision). */
  waitingSince: number;
  /** The chat was already waiting: this is a reminder (the customer asked for a person again). */
  again: boolean;
}

/** What the AI said about one message, handed back in to be decided with. */
export interface AiAnswer {
  result: BotResult;
  outcome: HybridOutcome;
}

/** One message decided, with what its commit wrote. */
export interface Decided {
  stored: StoredMessage;
  decision: Decision;
  outbox: NewOutboxRow[];
  /** The chat's wait for a person after this decision, and whether it was waiting before it. */
  waiting: { since: number; before: boolean } | null;
  /** Set when the AI was asked about this message: why it answered or not, and what it cost. */
  ai?: HybridOutcome;
}

/** What a workspace's messages are decided with, loaded before the transaction. */
export interface DecideContext {
  settings: WorkspaceSettings;
  shop: ShopProfile;
  bot: Bot;
  ai: WorkspaceAi | null;
}
