import { NumberField } from '../components/Field';
import { parseNumberInput } from '../number-input';
import { typingSeconds, type FieldErrors, type PacingDraft } from './settings-schedule';
import { EnabledSwitch, SettingsSection, type SectionProps, type SwitchWords } from './SettingsSection';
import './settings-schedule.css';

/** Above this many replies a minute from one number, WhatsApp is more likely to block it. */
const RISKY_PER_MINUTE = 30;

const PACING_SWITCH: SwitchWords = {
  title: 'Reply like a person',
  hint: 'Shows “typing…” before each reply and keeps each number under a sending limit, as WhatsApp expects of a person. Off: replies go out at once, with no limit (for testing only).',
};

const seconds = (value: number | null) =>
  value === null ? '–' : `${value.toLocaleString(undefined, { maximumFractionDigits: 1 })} s`;

interface PacingFieldSpec {
  name: Exclude<keyof PacingDraft, 'enabled'>;
  label: string;
  suffix: string;
  /** Where the schema puts this value's problem. */
  errorPath: string;
  hint?: string;
}

/** How fast a number may send. */
const SPEED_FIELDS: readonly PacingFieldSpec[] = [
  {
    name: 'perMinute',
    label: 'Replies per minute',
    suffix: 'per number',
    errorPath: 'pacing.perMinute',
    hint: 'The most replies one number sends in a minute, on average.',
  },
  {
    name: 'burst',
    label: 'Replies in a row',
    suffix: 'at most',
    errorPath: 'pacing.burst',
    hint: 'How many may go out back to back before the limit slows them down.',
  },
];

/** How long "typing…" shows. */
const TYPING_FIELDS: readonly PacingFieldSpec[] = [
  {
    name: 'minTypingSeconds',
    label: 'Shortest typing time',
    suffix: 'seconds',
    errorPath: 'pacing.minTypingMs',
  },
  {
    name: 'maxTypingSeconds',
    label: 'Longest typing time',
    suffix: 'seconds',
    errorPath: 'pacing.maxTypingMs',
  },
  {
    name: 'typingMsPerChar',
    label: 'Typing time per character',
    suffix: 'ms',
    errorPath: 'pacing.typingMsPerChar',
  },
];

function PacingField(props: {
  field: PacingFieldSpec;
  draft: PacingDraft;
  errors: FieldErrors;
  onChange: (key: keyof PacingDraft, value: string) => void;
}) {
  const { field } = props;
  return (
    <NumberField
      className="pacing__field"
      label={field.label}
      suffix={field.suffix}
      name={field.name}
      value={props.draft[field.name]}
      error={props.errors[field.errorPath]}
      {...(field.hint !== undefined && { hint: field.hint })}
      onChange={(v) => props.onChange(field.name, v)}
    />
  );
}

/** How replies go out: "typing…" for a human-looking time, and a per-number sending limit. */
export function PacingSection({ draft, errors, onChange }: SectionProps<PacingDraft>) {
  const set = (key: keyof PacingDraft, value: string) => onChange({ ...draft, [key]: value });
  const perMinute = parseNumberInput(draft.perMinute);

  return (
    <SettingsSection title="Reply pacing">
      <EnabledSwitch words={PACING_SWITCH} draft={draft} onChange={onChange} />

      <fieldset className="pacing" disabled={!draft.enabled}>
        <legend className="visually-hidden">Pacing</legend>
        <div className="field-row">
          {SPEED_FIELDS.map((f) => (
            <PacingField key={f.name} field={f} draft={draft} errors={errors} onChange={set} />
          ))}
        </div>
        {Number.isFinite(perMinute) && perMinute > RISKY_PER_MINUTE && (
          <p className="notice notice--warning" role="status">
            More than {RISKY_PER_MINUTE} replies a minute from one number makes WhatsApp more likely to block
            it.
          </p>
        )}
        <div className="field-row">
          {TYPING_FIELDS.map((f) => (
            <PacingField key={f.name} field={f} draft={draft} errors={errors} onChange={set} />
          ))}
        </div>
        <p className="field__hint pacing__example" data-testid="typing-example">
          A short reply (40 characters) shows “typing…” for about {seconds(typingSeconds(draft, 40))}, a long
          one (400 characters) for about {seconds(typingSeconds(draft, 400))}, give or take a little each
          time.
        </p>
      </fieldset>
    </SettingsSection>
  );
}
