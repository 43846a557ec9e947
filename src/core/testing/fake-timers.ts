import type { TimerHandle, Timers } from '../timers';

/** Test support: timers that only fire when the test moves the clock. */
export interface FakeTimers extends Timers {
  /** Moves time forward, firing due timers in order (including ones they schedule). */
  advance(ms: number): Promise<void>;
  /** Moves to the next pending timer and fires it; returns its delay, or null if none is pending. */
  next(): Promise<number | null>;
  pending(): number;
}

export function createFakeTimers(start = 1_700_000_000_000): FakeTimers {
  let now = start;
  let seq = 0;
  const queue: { id: number; at: number; fn: () => void }[] = [];
  const settle = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const fireNext = async (limit: number): Promise<boolean> => {
    queue.sort((a, b) => a.at - b.at || a.id - b.id);
    const first = queue[0];
    if (first === undefined || first.at > limit) return false;
    queue.shift();
    now = Math.max(now, first.at);
    first.fn();
    await settle();
    return true;
  };
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      queue.push({ id, at: now + Math.max(0, ms), fn });
      return id as unknown as TimerHandle;
    },
    clearTimeout(handle) {
      const i = queue.findIndex((t) => t.id === (handle as unknown as number));
      if (i >= 0) queue.splice(i, 1);
    },
    async advance(ms) {
      const target = now + ms;
      while (await fireNext(target));
      now = target;
      await settle();
    },
    async next() {
      queue.sort((a, b) => a.at - b.at || a.id - b.id);
      const first = queue[0];
      if (first === undefined) return null;
      const delay = first.at - now;
      await fireNext(first.at);
      return delay;
    },
    pending: () => queue.length,
  };
}
