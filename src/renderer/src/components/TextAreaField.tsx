import type { ReactNode, TextareaHTMLAttributes } from 'react';
import { Field } from './Field';

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'onChange' | 'className'>;

/** A text box of several lines in a Field: an answer, a saved reply, what the shop sells. */
export function TextAreaField(
  props: {
    label: ReactNode;
    hint?: ReactNode;
    /** Classes of the box itself; `input textarea` when not given. */
    inputClassName?: string;
    value: string;
    onValue: (value: string) => void;
  } & TextAreaProps,
) {
  const { label, hint, inputClassName = 'input textarea', onValue, ...textarea } = props;
  return (
    <Field label={label} {...(hint !== undefined && { hint })}>
      {(control) => (
        <textarea
          {...control}
          className={inputClassName}
          {...textarea}
          onChange={(e) => onValue(e.target.value)}
        />
      )}
    </Field>
  );
}
