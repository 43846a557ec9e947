import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
}

/**
 * A labelled form control with an optional hint and error. The hint and the error are linked with
 * aria-describedby rather than put inside the label, so a screen reader (and a test) hears the label
 * alone as the control's name.
 */
export function Field(props: {
  label: ReactNode;
  hint?: ReactNode;
  /** What is wrong with the value, in words, under the control. */
  error?: string | null | undefined;
  className?: string | undefined;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hasError = props.error !== undefined && props.error !== null;
  const describedBy = [props.hint !== undefined ? hintId : null, hasError ? errorId : null]
    .filter((x) => x !== null)
    .join(' ');
  return (
    <div className={`field${props.className !== undefined ? ` ${props.className}` : ''}`}>
      <label className="field__label" htmlFor={id}>
        {props.label}
      </label>
      {props.children({ id, ...(describedBy !== '' && { 'aria-describedby': describedBy }) })}
      {props.hint !== undefined && (
        <span className="field__hint" id={hintId}>
          {props.hint}
        </span>
      )}
      {hasError && (
        <p className="field__error" id={errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'className'>;

/** A one-line text box in a Field: names, addresses, ids, amounts, seconds. */
export function TextField(
  props: {
    label: ReactNode;
    hint?: ReactNode;
    error?: string | null | undefined;
    /** Extra classes of the field around the box (e.g. `field--grow`). */
    className?: string | undefined;
    /** Classes of the box itself; `input` when not given. */
    inputClassName?: string;
    value: string;
    onValue: (value: string) => void;
  } & InputProps,
) {
  const { label, hint, error, className, inputClassName, value, onValue, ...input } = props;
  return (
    <Field label={label} {...(hint !== undefined && { hint })} error={error} className={className}>
      {(control) => (
        <input
          {...control}
          className={inputClassName ?? 'input'}
          {...input}
          value={value}
          onChange={(e) => onValue(e.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * A number box with its unit after it ("per number", "seconds"). `step="any"`: the schema checks the
 * value and says what is wrong under the field; a step or min here would make the browser refuse the
 * form with its own bubble first.
 */
/** A number with its unit beside it; `units` lets the owner type one ("1.5 GB"), read by the caller. */
export function NumberField(props: {
  label: string;
  units?: boolean;
  suffix: ReactNode;
  name: string;
  value: string;
  error: string | undefined;
  hint?: string;
  className?: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field
      label={props.label}
      {...(props.hint !== undefined && { hint: props.hint })}
      error={props.error}
      className={props.className}
    >
      {(control) => (
        <span className="input-suffix">
          <input
            {...control}
            className="input"
            type={props.units === true ? 'text' : 'number'}
            inputMode="decimal"
            name={props.name}
            value={props.value}
            step="any"
            aria-invalid={props.error !== undefined}
            onChange={(e) => props.onChange(e.target.value)}
          />
          <span className="input-suffix__text">{props.suffix}</span>
        </span>
      )}
    </Field>
  );
}

/** An on/off switch with a bold title and a line saying what each position does. */
export function SwitchRow(props: {
  title: ReactNode;
  hint: ReactNode;
  checked: boolean;
  name?: string;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="switch switch--row">
      <input
        type="checkbox"
        role="switch"
        {...(props.name !== undefined && { name: props.name })}
        checked={props.checked}
        {...(props.disabled !== undefined && { disabled: props.disabled })}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <span className="switch__track" aria-hidden="true" />
      <span>
        <strong>{props.title}</strong>
        <span className="field__hint">{props.hint}</span>
      </span>
    </label>
  );
}

/** A small on/off switch with its label beside it, inside a form. */
export function Switch(props: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label className="switch">
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      <span className="switch__track" aria-hidden="true" />
      <span>{props.children}</span>
    </label>
  );
}

/** What went wrong when the form was sent, in the words the core returned; nothing when all is well. */
export function FormError({ error }: { error: string | null }) {
  if (error === null) return null;
  return (
    <p className="notice notice--problem" role="alert">
      {error}
    </p>
  );
}

/** The save button of a settings form, "Saving…" while it runs and "Saved." beside it afterwards. */
export function SaveRow(props: { busy: boolean; saved?: boolean; label?: string; children?: ReactNode }) {
  return (
    <div className="settings__save">
      {props.saved === true && <span className="muted">Saved.</span>}
      {props.children}
      <button className="button button--primary" type="submit" disabled={props.busy}>
        {props.busy ? 'Saving…' : (props.label ?? 'Save')}
      </button>
    </div>
  );
}

/** A small form's send button and its way back ("Back", "Cancel"), side by side. */
export function SubmitAndBack(props: {
  className: string;
  submit: ReactNode;
  disabled: boolean;
  back: string;
  onBack: () => void;
}) {
  return (
    <div className={props.className}>
      <button type="submit" className="button button--primary button--small" disabled={props.disabled}>
        {props.submit}
      </button>
      <button type="button" className="button button--ghost button--small" onClick={props.onBack}>
        {props.back}
      </button>
    </div>
  );
}
