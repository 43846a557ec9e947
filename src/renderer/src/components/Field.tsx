import { useId, type ReactNode } from 'react';

export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
}

/**
 * A labelled form control with an optional hint. The hint is linked with aria-describedby rather than
 * put inside the label, so a screen reader (and a test) hears the label alone as the control's name.
 */
export function Field(props: {
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={`field${props.className !== undefined ? ` ${props.className}` : ''}`}>
      <label className="field__label" htmlFor={id}>
        {props.label}
      </label>
      {props.children({ id, ...(props.hint !== undefined && { 'aria-describedby': hintId }) })}
      {props.hint !== undefined && (
        <span className="field__hint" id={hintId}>
          {props.hint}
        </span>
      )}
    </div>
  );
}
