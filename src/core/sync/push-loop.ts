import type { TimerHandle, Timers } from '../timers';

export type PusherPhase = 'idle' | 'pushing' | 'catching-up' | 'retrying' | 'needs-attention' | 'stopped';

/**
 * When the pusher's next step runs, and the phase the UI sees. One step at a time: a timer or a nudge
 * starts it, the step schedules the next, and an error it throws goes to `onError` (never a tight loop,
 * never an unhandled rejection).
 */
export interface PushLoop {
  readonly phase: PusherPhase;
  /** When a pending retry runs (null unless retrying). */
  readonly nextAttemptAt: number | null;
  readonly stopped: boolean;
  /** Sets the phase; a change is reported as important. */
  setPhase(next: PusherPhase): void;
  /** Runs the next step after `delayMs`, replacing any pending timer. */
  schedule(delayMs: number): void;
  /** The phase becomes `retrying` and the next step runs after `delayMs`. */
  retryIn(delayMs: number): void;
  clearNextAttempt(): void;
  start(): void;
  /** Runs a step now if the loop is idle between steps. */
  nudge(): void;
  settled(): Promise<void>;
  /** Stops: `abort` cancels what the step waits for; resolves once the step has ended. */
  stop(abort: () => void): Promise<void>;
}

export interface PushLoopOptions {
  timers: Timers;
  step: () => Promise<void>;
  onError: (error: unknown) => void;
  onChange: (important: boolean) => void;
}

export function createPushLoop({ timers, step, onError, onChange }: PushLoopOptions): PushLoop {
  let phase: PusherPhase = 'idle';
  let nextAttemptAt: number | null = null;
  let timer: TimerHandle | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  let started = false;

  const clearTimer = (): void => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };

  const run = (): void => {
    if (running !== null || stopped) return;
    running = step()
      .catch((error: unknown) => {
        if (!stopped) onError(error);
      })
      .finally(() => {
        running = null;
      });
  };

  const loop: PushLoop = {
    get phase() {
      return phase;
    },
    get nextAttemptAt() {
      return nextAttemptAt;
    },
    get stopped() {
      return stopped;
    },
    setPhase(next) {
      if (phase === next) return;
      phase = next;
      onChange(true);
    },
    schedule(delayMs) {
      clearTimer();
      if (stopped) return;
      timer = timers.setTimeout(() => {
        timer = null;
        run();
      }, delayMs);
    },
    retryIn(delayMs) {
      nextAttemptAt = timers.now() + delayMs;
      phase = 'retrying';
      onChange(true);
      loop.schedule(delayMs);
    },
    clearNextAttempt() {
      nextAttemptAt = null;
    },
    start() {
      if (started || stopped) return;
      started = true;
      loop.schedule(0);
    },
    nudge() {
      if (stopped || !started || phase !== 'idle' || running !== null) return;
      loop.schedule(0);
    },
    settled: async () => {
      await running;
    },
    async stop(abort) {
      stopped = true;
      clearTimer();
      abort();
      await running;
      phase = 'stopped';
    },
  };
  return loop;
}
