import { useCallback, useState } from 'react';
import { errorMessage } from '../client/client';

/**
 * A button or form that calls the core: `busy` while it runs (to disable the control), `error` with the
 * message the core returned when it fails. One helper so every screen reports failures the same way.
 */
export function useAction(): {
  busy: boolean;
  error: string | null;
  setError: (error: string | null) => void;
  run: (action: () => Promise<unknown>) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
