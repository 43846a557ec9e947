import type { Store } from '../store/open-database';
import {
  createEventLogRepository,
  type EventLogRepository,
  type NewEvent,
} from '../store/repositories/event-log';
import { createEntryBuffer } from './entry-buffer';
import { createFlushScheduler } from './flush-scheduler';
import type { LogEntry, LogSink } from './log-types';
import { entryMetaJson, isLogLevel, MAX_TYPE_CHARS, safeMessage } from './logger';

export { createRetentionTask, type RetentionTask, type RetentionTaskOptions } from './retention-task';

/**
 * The event log's sink into SQLite. write() only pushes onto an in-memory buffer; batches go to disk
 * shortly after (one transaction per batch), so a log call costs microseconds however slow the disk.
 * When the disk fails (full, locked, unplugged) the batch is kept and retried with backoff; only when
 * the buffer overflows are entries dropped, the least useful (debug) first, and the loss is itself
 * logged once writing works again.
 */

export type EventAppender = Pick<EventLogRepository, 'appendBatch'>;

export interface SqliteEventSinkOptions {
  /** Where to write; or pass `repo` (tests inject a failing one). */
  store?: Store;
  repo?: EventAppender;
  flushIntervalMs?: number;
  /** Entries per transaction, and the buffer size that triggers a flush at once. */
  maxBatch?: number;
  maxBuffered?: number;
  /** Longest wait between retries of a failing write. */
  maxBackoffMs?: number;
  /** Told about each failed write (the sink itself never throws). */
  onError?: (error: unknown) => void;
  now?: () => number;
}

export interface SqliteEventSinkStats {
  buffered: number;
  written: number;
  dropped: number;
  failedWrites: number;
}

export interface SqliteEventSink extends LogSink {
  stats(): SqliteEventSinkStats;
}

export function createSqliteEventSink(options: SqliteEventSinkOptions): SqliteEventSink {
  const repo = options.repo ?? (options.store ? createEventLogRepository(options.store) : undefined);
  if (repo === undefined) throw new Error('createSqliteEventSink needs a store or a repo');
  const flushIntervalMs = Math.max(1, options.flushIntervalMs ?? 50);
  const maxBatch = Math.max(1, options.maxBatch ?? 500);
  const maxBuffered = Math.max(maxBatch, options.maxBuffered ?? 50_000);
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const now = options.now ?? Date.now;

  const buffer = createEntryBuffer();
  /** A batch whose write failed: written first on the next attempt, so order is kept. */
  let retryBatch: NewEvent[] | null = null;
  let closed = false;
  const stats = { written: 0, dropped: 0, failedWrites: 0 };
  const unreported = { debug: 0, other: 0 };
  const pending = (): number => buffer.size() + (retryBatch?.length ?? 0);

  const writeBatch = async (): Promise<boolean> => {
    const batch = retryBatch ?? buffer.take(maxBatch).map(toEventRow);
    retryBatch = null;
    try {
      await repo.appendBatch(batch);
    } catch (error) {
      retryBatch = batch;
      stats.failedWrites += 1;
      notify(options.onError, error);
      return false;
    }
    stats.written += batch.length;
    // Once a write has worked again, say how much was lost (one entry, not one per drop).
    const report = dropReport(unreported, maxBuffered, now);
    if (report !== null) buffer.push(report);
    return true;
  };
  const scheduler = createFlushScheduler({
    flushIntervalMs,
    maxBatch,
    maxBackoffMs,
    buffered: () => buffer.size(),
    pending,
    writeBatch,
  });

  /** A failed attempt ends the flush (the entries stay buffered); a flush during backoff tries now. */
  async function flush(): Promise<void> {
    await scheduler.idle();
    if (pending() > 0) await scheduler.drain();
  }

  return {
    write(entry) {
      if (closed) {
        stats.dropped += 1;
        return;
      }
      buffer.push(entry);
      while (pending() > maxBuffered) {
        const level = buffer.dropOldest();
        if (level === undefined) break;
        stats.dropped += 1;
        unreported[level === 'debug' ? 'debug' : 'other'] += 1;
      }
      scheduler.schedule();
    },
    flush,
    async close() {
      if (closed) return;
      await flush();
      closed = true;
      scheduler.close();
      await scheduler.idle();
      const lost = pending();
      if (lost > 0) {
        // The disk is still failing at shutdown: nothing left to retry with.
        stats.dropped += lost;
        retryBatch = null;
        buffer.take(lost);
      }
    },
    stats: () => ({ buffered: pending(), ...stats }),
  };
}

/** The entry that says how many entries were dropped since the last one (null: none). */
function dropReport(
  unreported: { debug: number; other: number },
  maxBuffered: number,
  now: () => number,
): LogEntry | null {
  const count = unreported.debug + unreported.other;
  if (count === 0) return null;
  const entry: LogEntry = {
    ts: Math.trunc(safeNow(now)),
    level: 'warn',
    type: 'log.dropped',
    workspaceId: null,
    contactId: null,
    message: `${count} log entries were dropped because the log could not be written fast enough`,
    meta: { count, debug: unreported.debug, other: unreported.other, maxBuffered },
  };
  unreported.debug = 0;
  unreported.other = 0;
  return entry;
}

/**
 * Whatever a caller hands to write() must not fail the whole batch on a CHECK constraint: a batch
 * that can never be written would be retried forever.
 */
function toEventRow(entry: LogEntry): NewEvent {
  try {
    return toEventRowUnsafe(entry);
  } catch {
    const message = 'an entry that could not be read was replaced by this one';
    return {
      ts: Date.now(),
      level: 'warn',
      type: 'log.invalid_entry',
      workspaceId: null,
      contactId: null,
      message,
      meta: null,
    };
  }
}

function toEventRowUnsafe(entry: LogEntry): NewEvent {
  const ts = typeof entry.ts === 'number' && Number.isFinite(entry.ts) ? Math.trunc(entry.ts) : Date.now();
  const type = typeof entry.type === 'string' && entry.type.length > 0 ? entry.type : 'log.invalid_type';
  return {
    ts,
    level: isLogLevel(entry.level) ? entry.level : 'info',
    type: type.length > MAX_TYPE_CHARS ? type.slice(0, MAX_TYPE_CHARS) : type,
    workspaceId: typeof entry.workspaceId === 'string' ? entry.workspaceId : null,
    contactId: typeof entry.contactId === 'string' ? entry.contactId : null,
    message: safeMessage(entry.message),
    meta: entryMetaJson(entry),
  };
}

function notify(onError: ((error: unknown) => void) | undefined, error: unknown): void {
  try {
    onError?.(error);
  } catch {
    // A failing error callback must not take the log down with it.
  }
}

function safeNow(now: () => number): number {
  try {
    const t = now();
    return Number.isFinite(t) ? t : Date.now();
  } catch {
    return Date.now();
  }
}
