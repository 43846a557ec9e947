import type { FormEvent } from 'react';
import { useAction } from './use-action';

/**
 * A form that calls the core when sent: `useAction`'s busy and error, and `submit` for the form's
 * onSubmit, which keeps the browser from reloading the page and then runs `action`.
 */
export function useSubmit(action: () => Promise<unknown>) {
  const { run, ...state } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(action);
  };
  return { ...state, run, submit };
}
