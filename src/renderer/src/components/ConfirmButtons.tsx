import type { ReactNode } from 'react';

/**
 * The question asked once more before something that cannot be undone, with a red "yes" and a quiet
 * way back. Placed inside the caller's row (a flex container), so each part is one item of it.
 */
export function ConfirmButtons(props: {
  question: ReactNode;
  yes: ReactNode;
  /** The yes button's name when its text alone is not enough ("Yes, remove +234 803…"). */
  yesLabel?: string;
  no?: string;
  busy: boolean;
  onYes: () => void;
  onNo: () => void;
}) {
  return (
    <>
      <span>{props.question}</span>
      <button
        className="button button--danger button--small"
        type="button"
        disabled={props.busy}
        onClick={props.onYes}
        {...(props.yesLabel !== undefined && { 'aria-label': props.yesLabel })}
      >
        {props.yes}
      </button>
      <button className="button button--ghost button--small" type="button" onClick={props.onNo}>
        {props.no ?? 'Cancel'}
      </button>
    </>
  );
}
