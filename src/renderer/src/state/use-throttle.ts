import { useCallback, useEffect, useRef } from 'react';

/**
 * A trigger that runs `fn` at most once per `ms`: the first call runs at once, calls during the wait
 * are folded into one more run at its end. For screens that reload on a stream of events (a burst of
 * customer messages must not become a burst of queries). The timer is cleared on unmount.
 */
export function useThrottle(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pending = useRef(false);

  useEffect(() => {
    latest.current = fn;
  });
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
    },
    [],
  );

  return useCallback(() => {
    if (timer.current !== null) {
      pending.current = true;
      return;
    }
    const run = () => {
      pending.current = false;
      latest.current();
      timer.current = setTimeout(() => {
        timer.current = null;
        if (pending.current) run();
      }, ms);
    };
    run();
  }, [ms]);
}
