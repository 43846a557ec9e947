import { useCallback, useState } from 'react';
import { errorMessage } from '../client/client';

/**
 * What a screen reads from the core (a list of FAQs, of saved replies …): `value` is null until the first
 * read; `error` says in words why the last read failed, and the last good value stays on screen meanwhile.
 * `read` should be a useCallback, so `load` changes only when what it reads does.
 */
export function useLoader<T>(read: () => Promise<T>) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setValue(await read());
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }, [read]);
  return { value, setValue, error, setError, load };
}
