import type { ReactNode } from 'react';

/** A form's way out ("Cancel") and its send button, at the form's foot; the button waits while busy. */
export function CancelAndSubmit(props: { busy: boolean; onCancel: () => void; children: ReactNode }) {
  return (
    <div className="form__actions">
      <button className="button button--ghost" type="button" onClick={props.onCancel}>
        Cancel
      </button>
      <button className="button button--primary" type="submit" disabled={props.busy}>
        {props.children}
      </button>
    </div>
  );
}
