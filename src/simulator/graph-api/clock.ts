// The simulator's sense of time, which a test can move: the 24-hour customer service window and the
// timestamps in webhooks follow it. Retries and status delays run on real timers (they are short).

export interface SimClock {
  now(): number;
  /** Moves time forward, e.g. 25 hours to close every customer's window. */
  advance(ms: number): void;
  set(ms: number): void;
}

export function createSimClock(start: number = Date.now()): SimClock {
  let offset = start - Date.now();
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
    },
    set(ms) {
      offset = ms - Date.now();
    },
  };
}

/** Webhooks carry Unix seconds as a string. */
export function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}
