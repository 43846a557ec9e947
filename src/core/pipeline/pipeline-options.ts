import type { E164, WorkspaceId } from '../../shared/types';
import type { WorkspaceAiFactory } from '../bot/ai/workspace-ai';
import type { ConnectionEvent } from '../connection/connection-manager';
import type { IdGenerator } from '../ids';
import type { Logger } from '../log/logger';
import type { InboundJournal } from '../store/inbound-journal';
import type { Store } from '../store/open-database';
import type { Timers } from '../timers';
import type { WhatsAppProvider } from '../whatsapp/provider';
import type { BotFactory } from './faq-bot';
import type { StoredMessage } from './ingest';
import type { ChatActivity, PipelineAlert } from './owner-notices';

/** What the pipeline needs of the connections: the provider of a number, whichever kind it is. */
export interface PipelineConnections {
  /** The live provider of a workspace's number; undefined (or a throw) when it has none. */
  provider(workspaceId: WorkspaceId, e164: E164): WhatsAppProvider | undefined;
}

export interface PipelineOptions {
  store: Store;
  logger: Logger;
  connections: PipelineConnections;
  /** Where ConnectionEvents come from (Switchboard.onConnectionEvent); `handleEvent` works without it. */
  subscribe?: (listener: (event: ConnectionEvent) => void) => () => void;
  timers?: Timers;
  random?: () => number;
  newId?: IdGenerator;
  newOutboxId?: () => string;
  /** Each workspace's bot; defaults to the exact-match FAQ bot over its enabled FAQs. */
  bot?: BotFactory;
  /** Builds each workspace's AI (bot modes 'ai' and 'hybrid'); without it every workspace answers from FAQs. */
  ai?: WorkspaceAiFactory;
  /** Chats whose AI answers are awaited at once (default 4). */
  aiConcurrency?: number;
  /**
   * A cheap fingerprint of what a workspace's bot is built from; an expired bot is rebuilt only when it
   * changed. Defaults to the FAQs' fingerprint with the default bot, none (rebuild on expiry) otherwise.
   */
  botVersion?: (workspaceId: WorkspaceId) => Promise<string>;
  onAlert?: (alert: PipelineAlert) => void;
  /**
   * A chat changed, after the change is committed: a message was stored and decided (hand-off state
   * included), a reply went out or failed, the owner wrote from the phone. For screens to reload.
   */
  onActivity?: (activity: ChatActivity) => void;
  /** A question the bot could not answer was recorded (after its decision committed). */
  onUnanswered?: (workspaceId: WorkspaceId) => void;
  /** Messages just stored (committed) whose file waits to be downloaded. */
  onFilesToFetch?: (stored: StoredMessage[]) => void;
  /** A file the outbox sends (a photo, document, voice note), by its SHA-256 in the media store. */
  readMedia?: (sha256: string) => Promise<Buffer>;
  /** false: decide and queue but never send (benchmarks of the inbound path). Default true. */
  sending?: boolean;
  /** Most messages per transaction (group commit). */
  maxBatch?: number;
  /**
   * Time one batch may take (ingest + decide, each a stretch the event loop waits for): batch sizes
   * follow the measured cost per message so the app stays responsive during a burst.
   */
  batchBudgetMs?: number;
  settingsTtlMs?: number;
  notConnectedRetryMs?: number;
  /**
   * Holds each inbound message from the moment the provider emits it until ingest has committed it:
   * the provider has already acknowledged it to WhatsApp, so this is its only copy (see inbound-journal).
   */
  journal?: InboundJournal;
}

export interface Pipeline {
  /** Subscribes, re-decides messages stored but never decided, and resumes every unfinished outbox row. */
  start(): Promise<void>;
  /** Unsubscribes, finishes the work already accepted, and stops the senders. */
  stop(): Promise<void>;
  handleEvent(event: ConnectionEvent): void;
  /** Hands a chat back to the bot after a hand-off; returns how many conversations were waiting. */
  release(workspaceId: WorkspaceId, chatId: string): Promise<number>;
  /** Settings or FAQs changed: use the new ones from the next message on. */
  invalidate(workspaceId?: WorkspaceId): void;
  /**
   * Rows were queued outside the pipeline (the owner's Retry, an FAQ's answer sent from Unanswered):
   * the number's sender looks at once.
   */
  kick(workspaceId: WorkspaceId, number: E164): void;
  /** Resolves once every event handed in so far is processed (not sent). */
  idle(): Promise<void>;
}
