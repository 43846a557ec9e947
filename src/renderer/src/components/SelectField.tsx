import type { ReactNode } from 'react';
import { Field } from './Field';

/** A labelled drop-down in a Field; its options are the children. */
export function SelectField(props: {
  label: string;
  name: string;
  value: string;
  onValue: (value: string) => void;
  children: ReactNode;
}) {
  return (
    <Field label={props.label}>
      {(control) => (
        <select
          {...control}
          className="input"
          name={props.name}
          value={props.value}
          onChange={(e) => props.onValue(e.target.value)}
        >
          {props.children}
        </select>
      )}
    </Field>
  );
}
