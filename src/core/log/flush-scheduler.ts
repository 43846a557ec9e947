/**
 * When a buffering sink writes: shortly after new entries (at once when a batch is full), one drain at
 * a time, and after a failed write again with a backoff that doubles up to a ceiling. Timers are
 * unref'd: a pending flush never keeps the process alive.
 */
export interface FlushScheduler {
  /** New entries are buffered: write them soon (no-op while a retry is pending). */
  schedule(): void;
  /** Writes batches until nothing is pending or a write fails; one drain runs at a time. */
  drain(): Promise<void>;
  /** Resolves when the drain running now (if any) has ended. */
  idle(): Promise<void>;
  /** No more timers; a drain running now still ends. */
  close(): void;
}

export interface FlushSchedulerOptions {
  flushIntervalMs: number;
  maxBatch: number;
  maxBackoffMs: number;
  /** Entries buffered (a full batch is written at once). */
  buffered: () => number;
  /** Entries waiting to be written, a failed batch included. */
  pending: () => number;
  /** Writes one batch; false when the write failed (the batch is kept for the retry). */
  writeBatch: () => Promise<boolean>;
}

export function createFlushScheduler(options: FlushSchedulerOptions): FlushScheduler {
  const { flushIntervalMs, maxBatch, pending } = options;
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  let draining: Promise<void> | null = null;
  let consecutiveFailures = 0;
  let closed = false;

  const clearTimers = (): void => {
    if (timer !== null) clearTimeout(timer);
    if (immediate !== null) clearImmediate(immediate);
    timer = null;
    immediate = null;
  };

  const later = (delayMs: number): void => {
    timer = setTimeout(() => {
      timer = null;
      void drain();
    }, delayMs);
    timer.unref();
  };

  const schedule = (): void => {
    if (closed || draining !== null || consecutiveFailures > 0) return; // a retry timer is pending
    if (options.buffered() >= maxBatch) {
      if (immediate === null) {
        if (timer !== null) clearTimeout(timer);
        timer = null;
        immediate = setImmediate(() => {
          immediate = null;
          void drain();
        });
      }
    } else if (timer === null && immediate === null) {
      later(flushIntervalMs);
    }
  };

  const scheduleRetry = (): void => {
    clearTimers();
    if (closed) return;
    later(Math.min(options.maxBackoffMs, flushIntervalMs * 2 ** Math.min(consecutiveFailures, 16)));
  };

  const drainLoop = async (): Promise<void> => {
    while (pending() > 0) {
      if (!(await options.writeBatch())) {
        consecutiveFailures += 1;
        scheduleRetry();
        return;
      }
      consecutiveFailures = 0;
    }
  };

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

  return {
    schedule,
    drain,
    idle: async () => {
      await draining;
    },
    close() {
      closed = true;
      clearTimers();
    },
  };
}
