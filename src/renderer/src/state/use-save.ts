import { useCallback, useState } from 'react';
import { useAction } from './use-action';

/**
 * A settings form's save: `useAction`'s busy and error, plus `saved` once the core has taken the change
 * (cleared when the next save starts), for the "Saved." beside the button.
 */
export function useSave() {
  const action = useAction();
  const { run } = action;
  const [saved, setSaved] = useState(false);
  const save = useCallback(
    async (write: () => Promise<unknown>) => {
      setSaved(false);
      await run(async () => {
        await write();
        setSaved(true);
      });
    },
    [run],
  );
  return { ...action, saved, setSaved, save };
}
