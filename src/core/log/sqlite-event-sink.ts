import type { LogLevel } from '../../shared/types';
import type { Store } from '../store/open-database';
import {
  createEventLogRepository,
  type EventLogRepository,
  type ForcedDeletion,
  type NewEvent,
} from '../store/repositories/event-log';
import { NOISE_EVENT_TYPES, type LogEntry, type LogSink } from './log-types';
import { entryMetaJson, isLogLevel, MAX_TYPE_CHARS, safeMessage, type Logger } from './logger';

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
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  let draining: Promise<void> | null = null;
  let consecutiveFailures = 0;
  let closed = false;
  const stats = { written: 0, dropped: 0, failedWrites: 0 };
  const unreported = { debug: 0, other: 0 };

  const clearTimers = (): void => {
    if (timer !== null) clearTimeout(timer);
    if (immediate !== null) clearImmediate(immediate);
    timer = null;
    immediate = null;
  };

  const schedule = (): void => {
    if (closed || draining !== null || consecutiveFailures > 0) return; // a retry timer is pending
    if (buffer.size() >= maxBatch) {
      if (immediate === null) {
        if (timer !== null) clearTimeout(timer);
        timer = null;
        immediate = setImmediate(() => {
          immediate = null;
          void drain();
        });
      }
    } else if (timer === null && immediate === null) {
      timer = setTimeout(() => {
        timer = null;
        void drain();
      }, flushIntervalMs);
      timer.unref();
    }
  };

  const scheduleRetry = (): void => {
    clearTimers();
    if (closed) return;
    const delay = Math.min(maxBackoffMs, flushIntervalMs * 2 ** Math.min(consecutiveFailures, 16));
    timer = setTimeout(() => {
      timer = null;
      void drain();
    }, delay);
    timer.unref();
  };

  /** Writes batches until the buffer is empty or a write fails. Only one runs at a time. */
  const drain = (): Promise<void> => {
    if (draining === null) {
      clearTimers();
      draining = drainLoop().finally(() => {
        draining = null;
        if (consecutiveFailures === 0 && pending() > 0) schedule();
      });
    }
    return draining;
  };

  const pending = (): number => buffer.size() + (retryBatch?.length ?? 0);

  const drainLoop = async (): Promise<void> => {
    while (pending() > 0) {
      const batch = retryBatch ?? buffer.take(maxBatch).map(toEventRow);
      retryBatch = null;
      try {
        await repo.appendBatch(batch);
      } catch (error) {
        retryBatch = batch;
        consecutiveFailures += 1;
        stats.failedWrites += 1;
        notify(options.onError, error);
        scheduleRetry();
        return;
      }
      consecutiveFailures = 0;
      stats.written += batch.length;
      reportDrops();
    }
  };

  /** Once a write has worked again, say how much was lost (one entry, not one per drop). */
  const reportDrops = (): void => {
    const count = unreported.debug + unreported.other;
    if (count === 0) return;
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
    buffer.push(entry);
  };

  const enforceLimit = (): void => {
    while (pending() > maxBuffered) {
      const level = buffer.dropOldest();
      if (level === undefined) break;
      stats.dropped += 1;
      if (level === 'debug') unreported.debug += 1;
      else unreported.other += 1;
    }
  };

  /** A failed attempt ends the flush (the entries stay buffered); a flush during backoff tries now. */
  async function flush(): Promise<void> {
    await draining;
    if (pending() > 0) await drain();
  }

  return {
    write(entry) {
      if (closed) {
        stats.dropped += 1;
        return;
      }
      buffer.push(entry);
      if (pending() > maxBuffered) enforceLimit();
      schedule();
    },
    flush,
    async close() {
      if (closed) return;
      await flush();
      closed = true;
      clearTimers();
      await draining;
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

/**
 * A FIFO that can also drop its oldest debug entry in O(1): dropped slots become holes that take()
 * skips, and a side queue remembers where the debug entries are.
 */
function createEntryBuffer() {
  let slots: (LogEntry | undefined)[] = [];
  let head = 0; // first slot not yet taken
  let offset = 0; // absolute index of slots[0]
  let live = 0;
  let debugAt: number[] = []; // absolute indices of debug entries, oldest first
  let debugHead = 0;

  const compact = (): void => {
    if (head < 1024 || head * 2 < slots.length) return;
    slots = slots.slice(head);
    offset += head;
    head = 0;
    while (debugHead < debugAt.length && debugAt[debugHead]! < offset) debugHead += 1;
    debugAt = debugAt.slice(debugHead);
    debugHead = 0;
  };

  return {
    size: () => live,
    push(entry: LogEntry): void {
      if (entry.level === 'debug') debugAt.push(offset + slots.length);
      slots.push(entry);
      live += 1;
    },
    take(max: number): LogEntry[] {
      const out: LogEntry[] = [];
      while (out.length < max && head < slots.length) {
        const entry = slots[head];
        slots[head] = undefined;
        head += 1;
        if (entry !== undefined) out.push(entry);
      }
      live -= out.length;
      compact();
      return out;
    },
    /** Drops the oldest debug entry, or else the oldest entry; returns its level. */
    dropOldest(): LogLevel | undefined {
      while (debugHead < debugAt.length) {
        const index = debugAt[debugHead]! - offset;
        debugHead += 1;
        if (index >= head && slots[index] !== undefined) {
          slots[index] = undefined;
          live -= 1;
          return 'debug';
        }
      }
      while (head < slots.length) {
        const entry = slots[head];
        slots[head] = undefined;
        head += 1;
        if (entry !== undefined) {
          live -= 1;
          compact();
          return entry.level;
        }
      }
      return undefined;
    },
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

// ---------------------------------------------------------------------------------------------------

export interface RetentionTaskOptions {
  repo: Pick<EventLogRepository, 'enforceRetention'> &
    Partial<Pick<EventLogRepository, 'enforceRetentionKeepingUnsynced'>>;
  logger: Logger;
  maxAgeMs?: number;
  maxRows?: number;
  /**
   * Keep events that enrolled workspaces have not pushed to their central server yet, up to this many
   * rows in the table; past it the oldest go anyway, logged as `sync.backlog_dropped` per workspace.
   */
  keepUnsynced?: { hardMaxRows: number; onForced?: (forced: ForcedDeletion[]) => void };
  /** Deleted first over maxRows (default NOISE_EVENT_TYPES): noise never evicts business events. */
  noiseTypes?: readonly string[];
  /** Noise is kept this long at most (default 7 days), however young the shop's own history. */
  noiseMaxAgeMs?: number;
  /** How often to run; default hourly. */
  intervalMs?: number;
  now?: () => number;
}

export interface RetentionTask {
  /** Runs once now, then every interval. */
  start(): void;
  stop(): void;
  /** One pass; resolves to the number of events deleted (0 if a pass is already running or it failed). */
  runOnce(): Promise<number>;
}

/** Keeps the events table bounded by age and row count. The run itself is logged as 'log.retention'. */
export function createRetentionTask(options: RetentionTaskOptions): RetentionTask {
  const { repo, logger } = options;
  const intervalMs = Math.max(1000, options.intervalMs ?? 60 * 60 * 1000);
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  const pass = async (): Promise<number> => {
    const startedAt = performance.now();
    try {
      const policy = {
        maxAgeMs: options.maxAgeMs,
        maxRows: options.maxRows,
        now: now(),
        noiseTypes: options.noiseTypes ?? NOISE_EVENT_TYPES,
        noiseMaxAgeMs: options.noiseMaxAgeMs ?? 7 * 24 * 60 * 60 * 1000,
      };
      const guard = options.keepUnsynced;
      let deleted: number;
      let forced: ForcedDeletion[] = [];
      if (guard !== undefined && repo.enforceRetentionKeepingUnsynced !== undefined) {
        ({ deleted, forced } = await repo.enforceRetentionKeepingUnsynced({
          ...policy,
          hardMaxRows: guard.hardMaxRows,
        }));
      } else {
        deleted = await repo.enforceRetention(policy);
      }
      for (const f of forced) {
        logger
          .child({ workspaceId: f.workspaceId === '' ? null : f.workspaceId })
          .warn(
            'sync.backlog_dropped',
            `${f.count} log events were deleted before the central server received them: the log reached ` +
              `its limit of ${guard?.hardMaxRows ?? 0} rows while the server could not be reached`,
            { count: f.count, throughSeq: f.throughSeq, hardMaxRows: guard?.hardMaxRows ?? null },
          );
      }
      if (forced.length > 0) guard?.onForced?.(forced);
      const meta = {
        deleted,
        maxAgeMs: options.maxAgeMs ?? null,
        maxRows: options.maxRows ?? null,
        ...(guard !== undefined && {
          hardMaxRows: guard.hardMaxRows,
          forced: forced.reduce((sum, f) => sum + f.count, 0),
        }),
        durationMs: Math.round(performance.now() - startedAt),
      };
      logger.log(
        deleted > 0 ? 'info' : 'debug',
        'log.retention',
        `Retention removed ${deleted} old log events`,
        meta,
      );
      return deleted;
    } catch (error) {
      logger.error('log.retention', 'Removing old log events failed; will try again at the next interval', {
        error,
      });
      return 0;
    }
  };

  const runOnce = (): Promise<number> => {
    if (running !== null) return Promise.resolve(0);
    running = pass().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    start() {
      if (timer !== null) return;
      void runOnce();
      timer = setInterval(() => void runOnce(), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
    runOnce,
  };
}
