import { realTimers, type TimerHandle, type Timers } from '../timers';
import type { EventType } from './log-types';
import type { LogMeta, Logger } from './logger';

export interface FoldedWarnings {
  /**
   * The first warning of a key in a window is written at once (with `count: 1`); the rest of that window
   * are counted and written as one row when it ends (`count`: how many, the last one's message and
   * meta), and so every window while they keep coming: a flood costs one row a minute per key.
   */
  warn(key: string, type: EventType, message: string, meta?: LogMeta): void;
  /** Writes what is counted and not written yet (closing). */
  flush(): void;
}

interface Window {
  handle: TimerHandle;
  pending: number;
  last?: { type: EventType; message: string; meta: LogMeta | undefined };
}

export function createFoldedWarnings(
  logger: Logger,
  options: { windowMs?: number; timers?: Timers } = {},
): FoldedWarnings {
  const windowMs = options.windowMs ?? 60_000;
  const timers = options.timers ?? realTimers;
  const windows = new Map<string, Window>();

  function write(window: Window): void {
    const { last, pending } = window;
    window.pending = 0;
    window.last = undefined;
    if (last === undefined || pending === 0) return;
    const seconds = Math.round(windowMs / 1000);
    logger.warn(last.type, `${pending} × in the last ${seconds} s: ${last.message}`, {
      ...last.meta,
      count: pending,
      windowMs,
    });
  }

  function open(key: string): Window {
    const window: Window = {
      pending: 0,
      handle: timers.setTimeout(() => {
        windows.delete(key);
        if (window.pending === 0) return;
        write(window);
        // Still coming: the next window counts them, and writes them when it ends.
        windows.set(key, open(key));
      }, windowMs),
    };
    return window;
  }

  return {
    warn(key, type, message, meta) {
      const window = windows.get(key);
      if (window === undefined) {
        windows.set(key, open(key));
        logger.warn(type, message, { ...meta, count: 1 });
        return;
      }
      window.pending++;
      window.last = { type, message, meta };
    },
    flush() {
      for (const window of windows.values()) {
        timers.clearTimeout(window.handle);
        write(window);
      }
      windows.clear();
    },
  };
}
