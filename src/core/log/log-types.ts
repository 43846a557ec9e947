import type { LogLevel } from '../../shared/types';

/**
 * The event types the core emits today. The template-literal member keeps the union open: a module can
 * log `faq.matched` without editing this file, while the known names still autocomplete and a typo of
 * the `domain.action` shape ('messagesent') fails to compile.
 */
export type KnownEventType =
  | 'message.received'
  | 'message.sent'
  | 'message.failed'
  | 'route.decided'
  | 'connection.opened'
  | 'connection.closed'
  | 'connection.changed'
  | 'connection.qr'
  | 'connection.reconnect'
  | 'workspace.created'
  | 'workspace.updated'
  | 'workspace.deleted'
  | 'number.added'
  | 'number.removed'
  | 'number.status'
  | 'store.opened'
  | 'store.backup'
  | 'store.restore'
  | 'log.dropped'
  | 'log.retention'
  // Central sync (src/core/sync). sync.pushed goes to the machine's log, not the workspace's: a plain
  // successful push must never create a new event to push (see sync/pusher.ts).
  | 'sync.enrolled'
  | 'sync.enroll_failed'
  | 'sync.left'
  | 'sync.settings'
  | 'sync.started'
  | 'sync.pushed'
  | 'sync.caught_up'
  | 'sync.failed'
  | 'sync.recovered'
  | 'sync.retry_after'
  | 'sync.batch_shrunk'
  | 'sync.event_withheld'
  | 'sync.ack_anomaly'
  | 'sync.needs_attention'
  | 'sync.backlog_dropped'
  | 'error'
  | 'perf';

export type EventType = KnownEventType | `${string}.${string}`;

/** One thing that happened. Times are UTC milliseconds; meta is JSON-safe once a logger has built it. */
export interface LogEntry {
  ts: number;
  level: LogLevel;
  type: EventType;
  workspaceId: string | null;
  contactId: string | null;
  message: string;
  meta: Record<string, unknown> | null;
}

/**
 * Where entries go. `write` is called on the caller's hot path: it must return at once (buffer, then
 * write later) and should not throw (the logger catches and counts it if it does).
 */
export interface LogSink {
  write(entry: LogEntry): void;
  /** Resolves once what was written before the call has reached its destination, or failed to. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Event types written for requests anyone on the network can make (a refused webhook, a refused
 * handshake): noise an attacker controls. Retention deletes these before any other event, so they can
 * never push a shop's real history out of the log (store/repositories/event-log.ts).
 */
export const NOISE_EVENT_TYPES: readonly EventType[] = [
  'cloud.webhook_refused',
  'cloud.webhook_verify_refused',
];
