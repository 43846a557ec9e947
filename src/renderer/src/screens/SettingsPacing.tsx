import { useId, type ReactNode } from 'react';
import { typingSeconds, type FieldErrors, type PacingDraft } from './settings-schedule';
import './settings-schedule.css';

/** Above this many replies a minute from one number, WhatsApp is more likely to block it. */
const RISKY_PER_MINUTE = 30;

const seconds = (value: number | null) =>
  value === null ? '–' : `${value.toLocaleString(undefined, { maximumFractionDigits: 1 })} s`;

/** How replies go out: "typing…" for a human-looking time, and a per-number sending limit. */
export function PacingSection(props: {
  draft: PacingDraft;
  errors: FieldErrors;
  onChange: (next: PacingDraft) => void;
}) {
  const { draft, errors, onChange } = props;
  const id = useId();
  const set = (key: keyof PacingDraft, value: string) => onChange({ ...draft, [key]: value });
  const perMinute = Number(draft.perMinute);

  return (
    <section className="card settings__section" aria-labelledby={`${id}-title`}>
      <h2 className="card__title card__title--small" id={`${id}-title`}>
        Reply pacing
      </h2>
      <label className="switch switch--row">
        <input
          type="checkbox"
          role="switch"
          checked={draft.enabled}
          onChange={(e) => onChange({ ...draft, enabled: e.target.checked })}
        />
        <span className="switch__track" aria-hidden="true" />
        <span>
          <strong>Reply like a person</strong>
          <span className="field__hint">
            Shows “typing…” before each reply and keeps each number under a sending limit, as WhatsApp expects
            of a person. Off: replies go out at once, with no limit (for testing only).
          </span>
        </span>
      </label>

      <fieldset className="pacing" disabled={!draft.enabled}>
        <legend className="visually-hidden">Pacing</legend>
        <div className="field-row">
          <NumberField
            label="Replies per minute"
            suffix="per number"
            name="perMinute"
            value={draft.perMinute}
            error={errors['pacing.perMinute']}
            hint="The most replies one number sends in a minute, on average."
            onChange={(v) => set('perMinute', v)}
          />
          <NumberField
            label="Replies in a row"
            suffix="at most"
            name="burst"
            value={draft.burst}
            error={errors['pacing.burst']}
            hint="How many may go out back to back before the limit slows them down."
            onChange={(v) => set('burst', v)}
          />
        </div>
        {Number.isFinite(perMinute) && perMinute > RISKY_PER_MINUTE && (
          <p className="notice notice--warning" role="status">
            More than {RISKY_PER_MINUTE} replies a minute from one number makes WhatsApp more likely to block
            it.
          </p>
        )}
        <div className="field-row">
          <NumberField
            label="Shortest typing time"
            suffix="seconds"
            name="minTypingSeconds"
            value={draft.minTypingSeconds}
            error={errors['pacing.minTypingMs']}
            onChange={(v) => set('minTypingSeconds', v)}
          />
          <NumberField
            label="Longest typing time"
            suffix="seconds"
            name="maxTypingSeconds"
            value={draft.maxTypingSeconds}
            error={errors['pacing.maxTypingMs']}
            onChange={(v) => set('maxTypingSeconds', v)}
          />
          <NumberField
            label="Typing time per character"
            suffix="ms"
            name="typingMsPerChar"
            value={draft.typingMsPerChar}
            error={errors['pacing.typingMsPerChar']}
            onChange={(v) => set('typingMsPerChar', v)}
          />
        </div>
        <p className="field__hint pacing__example" data-testid="typing-example">
          A short reply (40 characters) shows “typing…” for about {seconds(typingSeconds(draft, 40))}, a long
          one (400 characters) for about {seconds(typingSeconds(draft, 400))}, give or take a little each
          time.
        </p>
      </fieldset>
    </section>
  );
}

/** A number with its unit beside it; `units` lets the owner type one ("1.5 GB"), read by the caller. */
export function NumberField(props: {
  label: string;
  units?: boolean;
  suffix: ReactNode;
  name: string;
  value: string;
  error: string | undefined;
  hint?: string;
  onChange: (value: string) => void;
}) {
  const id = useId();
  const describedBy = [
    props.hint !== undefined ? `${id}-hint` : null,
    props.error !== undefined ? `${id}-error` : null,
  ]
    .filter((x) => x !== null)
    .join(' ');
  return (
    <div className="field pacing__field">
      <label className="field__label" htmlFor={id}>
        {props.label}
      </label>
      <span className="input-suffix">
        <input
          id={id}
          className="input"
          type={props.units === true ? 'text' : 'number'}
          inputMode="decimal"
          name={props.name}
          value={props.value}
          // "any": the schema checks the value and says what is wrong next to the field; a step or min
          // here would make the browser refuse the form with its own bubble first.
          step="any"
          aria-invalid={props.error !== undefined}
          {...(describedBy !== '' && { 'aria-describedby': describedBy })}
          onChange={(e) => props.onChange(e.target.value)}
        />
        <span className="input-suffix__text">{props.suffix}</span>
      </span>
      {props.hint !== undefined && (
        <span className="field__hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.error !== undefined && (
        <p className="field__error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}
