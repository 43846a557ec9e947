/**
 * Long index work written once as a generator that yields between small steps, and run either in one
 * go (`runAtOnce`: tests, benchmarks, small shops) or in slices of a few milliseconds (`runInSlices`)
 * that let messages and timers run in between: the event loop is never held longer than one slice.
 */
export type Steps<T> = Generator<void, T, void>;

export function runAtOnce<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Longest stretch of steps between two yields to the event loop. */
export const SLICE_MS = 4;

export async function runInSlices<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  let started = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    if (performance.now() - started >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      started = performance.now();
    }
  }
}
