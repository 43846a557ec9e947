import type { LogEntry, LogSink } from '../log/log-types';

export interface LiveLogSink extends LogSink {
  /**
   * Starts reporting: after entries arrive, `flush` runs (so they are in the database) and then
   * `onAppended` hears which workspaces got new entries. Returns the detach function.
   */
  attach(target: {
    flush: () => Promise<void>;
    onAppended: (workspaceIds: (string | null)[]) => void;
  }): () => void;
}

/**
 * A log sink that feeds the Logs screen's live tail. It keeps no entries: it notes which workspaces got
 * new ones and, at most every `intervalMs`, flushes the log and says so, so the screen reads exactly
 * what the database holds (with seq numbers, in the same filters) instead of a second copy.
 */
export function createLiveLogSink(options: { intervalMs?: number } = {}): LiveLogSink {
  const intervalMs = options.intervalMs ?? 250;
  let touched = new Set<string | null>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let target: Parameters<LiveLogSink['attach']>[0] | null = null;
  let closed = false;

  const report = async (): Promise<void> => {
    timer = null;
    const current = target;
    if (current === null || touched.size === 0) return;
    const ids = [...touched];
    touched = new Set();
    try {
      await current.flush();
    } finally {
      // Reported even when the flush failed: the screen then reads whatever did arrive.
      if (target === current) current.onAppended(ids);
    }
  };

  const schedule = (): void => {
    if (timer !== null || target === null || closed) return;
    timer = setTimeout(() => void report().catch(() => undefined), intervalMs);
    timer.unref?.();
  };

  return {
    write(entry: LogEntry) {
      if (closed || target === null) return;
      touched.add(entry.workspaceId);
      schedule();
    },
    flush: () => Promise.resolve(),
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      target = null;
      return Promise.resolve();
    },
    attach(next) {
      target = next;
      return () => {
        if (target === next) target = null;
        if (timer !== null) clearTimeout(timer);
        timer = null;
        touched = new Set();
      };
    },
  };
}
