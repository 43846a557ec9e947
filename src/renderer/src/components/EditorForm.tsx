import type { ReactNode } from 'react';
import { FormError } from './Field';

/**
 * A card that adds or edits one thing (an FAQ, a saved reply): its title, the fields, the error the core
 * returned, then Cancel and the save button ("Saving…" while it runs).
 */
export function EditorForm(props: {
  title: string;
  /** The save button's words ("Add FAQ", "Save changes"). */
  submit: string;
  busy: boolean;
  error: string | null;
  /** Leave the checks to the submit handler, which says what is missing in words. */
  noValidate?: boolean;
  onSubmit: () => Promise<void>;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <form
      className="card form editor"
      onSubmit={(e) => {
        e.preventDefault();
        void props.onSubmit();
      }}
      aria-label={props.title}
      noValidate={props.noValidate}
    >
      <h2 className="card__title card__title--small">{props.title}</h2>
      {props.children}
      <FormError error={props.error} />
      <div className="form__actions">
        <button className="button button--ghost" type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button className="button button--primary" type="submit" disabled={props.busy}>
          {props.busy ? 'Saving…' : props.submit}
        </button>
      </div>
    </form>
  );
}
