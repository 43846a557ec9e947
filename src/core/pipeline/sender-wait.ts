import type { TimerHandle, Timers } from '../timers';

/** The sender's one pause at a time: between retries, for pacing, for typing, until kicked. */
export interface SenderWait {
  /** Waits `ms` (Infinity: until woken). A kick ends an interruptible wait early; stop ends any. */
  wait(ms: number, interruptible: boolean): Promise<void>;
  /** Ends the current wait: an interruptible one always, any one when `force` (stopping). */
  wake(force: boolean): void;
}

export function createSenderWait(timers: Timers): SenderWait {
  let waiting: { timer: TimerHandle | null; resolve: () => void; interruptible: boolean } | null = null;

  return {
    wait(ms, interruptible) {
      return new Promise((resolve) => {
        const entry = { timer: null as TimerHandle | null, resolve, interruptible };
        if (Number.isFinite(ms)) {
          entry.timer = timers.setTimeout(
            () => {
              if (waiting === entry) waiting = null;
              resolve();
            },
            Math.max(0, ms),
          );
        }
        waiting = entry;
      });
    },
    wake(force) {
      const w = waiting;
      if (w === null || (!w.interruptible && !force)) return;
      waiting = null;
      if (w.timer !== null) timers.clearTimeout(w.timer);
      w.resolve();
    },
  };
}
