import type { WorkspaceSettings } from '../../shared/settings';
import type { E164, WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { Store } from '../store/open-database';
import type { OutboxRepository, PendingOutboxRow } from '../store/repositories/outbox';
import type { PipelineMessageRepository } from '../store/repositories/pipeline-messages';
import type { Timers } from '../timers';
import type { WhatsAppProvider } from '../whatsapp/provider';
import type { SenderWait } from './sender-wait';

export interface SenderOptions {
  workspaceId: WorkspaceId;
  businessNumber: E164;
  store: Store;
  logger: Logger;
  timers: Timers;
  random: () => number;
  /** The number's provider right now; undefined while the number has no connection. */
  provider: () => WhatsAppProvider | undefined;
  settings: () => Promise<WorkspaceSettings | undefined>;
  /** The bytes of a file a row sends, by SHA-256 (the media store); without it such rows fail. */
  readMedia?: (sha256: string) => Promise<Buffer>;
  /** How long to wait before trying again when the number is not connected and no reconnect is heard of. */
  notConnectedRetryMs?: number;
  onFailed?: (row: PendingOutboxRow, error: string) => void;
  /**
   * A bot reply waited in the outbox longer than the workspace's stale limit (the PC was off all night):
   * it and the chat's other queued bot replies were cancelled and the chat handed to a person.
   * `waiting` is true when the chat started waiting for a person with it.
   */
  onStale?: (row: PendingOutboxRow, cancelled: string[], waiting: boolean) => void;
  /** A row went out (after it was recorded as sent). */
  onSent?: (row: PendingOutboxRow) => void;
  /**
   * Cloud API only: how long a row whose send was cut short (still 'sending' at start) waits for Meta's
   * status webhook before it is sent again. Meta gives each send a new id, so sending again too early
   * would answer the customer twice; a status carrying our id (biz_opaque_callback_data) settles it.
   */
  reconcileMs?: number;
}

/** What the parts of one number's sender share: its options, repositories, pause and run flags. */
export interface SenderContext {
  o: SenderOptions;
  log: Logger;
  outbox: OutboxRepository;
  messages: PipelineMessageRepository;
  waits: SenderWait;
  /** `stopped`: stop() was called; `kicked`: new work was announced since the loop last looked. */
  flags: { stopped: boolean; kicked: boolean };
  notConnectedRetryMs: number;
  reconcileMs: number;
}
