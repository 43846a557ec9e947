import { useId, useMemo } from 'react';
import { DAY_KEYS, type DayKey } from '../../../shared/settings-patch';
import {
  DAY_NAMES,
  timeZoneGroups,
  type FieldErrors,
  type HoursDraft,
  type Interval,
} from './settings-schedule';
import { EnabledSwitch, SettingsSection, type SectionProps, type SwitchWords } from './SettingsSection';
import './settings-schedule.css';

const WEEKDAYS: readonly DayKey[] = ['tue', 'wed', 'thu', 'fri'];

const CLOSED_SWITCH: SwitchWords = {
  title: 'Tell customers when you are closed',
  hint: 'Outside these hours a customer gets your away message once, and the bot still answers what it knows. Off: Switchboard never says you are closed.',
};

/**
 * Opening hours, their time zone and the away message. Each day is open or closed, with up to four
 * periods (a lunch break is two); a problem shows under the day it is about.
 */
export function OpeningHoursSection({ draft, errors, onChange }: SectionProps<HoursDraft>) {
  const setDay = (day: DayKey, intervals: Interval[]) =>
    onChange({ ...draft, days: { ...draft.days, [day]: intervals } });
  const copyMonday = () => {
    const days = { ...draft.days };
    for (const day of WEEKDAYS) days[day] = draft.days.mon.map((i) => ({ ...i }));
    onChange({ ...draft, days });
  };

  return (
    <SettingsSection title="Opening hours">
      <EnabledSwitch words={CLOSED_SWITCH} draft={draft} onChange={onChange} />

      <TimeZoneField
        value={draft.timezone}
        error={errors.timezone}
        onChange={(timezone) => onChange({ ...draft, timezone })}
      />

      <div
        className={`hours${draft.enabled ? '' : ' hours--off'}`}
        role="group"
        aria-label="Opening hours by day"
      >
        {DAY_KEYS.map((day) => (
          <DayRow
            key={day}
            day={day}
            intervals={draft.days[day]}
            errors={errors}
            onChange={(intervals) => setDay(day, intervals)}
          />
        ))}
        <div className="hours__tools">
          <button className="button button--ghost button--small" type="button" onClick={copyMonday}>
            Copy Monday to Tuesday–Friday
          </button>
          <span className="field__hint">Open until midnight: close at 12:00 AM (00:00).</span>
        </div>
      </div>
    </SettingsSection>
  );
}

/** The shop's time zone: this computer's and the current one first, then all by region. */
function TimeZoneField(props: {
  value: string;
  error: string | undefined;
  onChange: (timezone: string) => void;
}) {
  const id = useId();
  const zones = useMemo(timeZoneGroups, []);
  const computerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const suggested = [...new Set([props.value, computerZone])];
  return (
    <div className="field field--narrow">
      <label className="field__label" htmlFor={`${id}-zone`}>
        Time zone
      </label>
      <select
        id={`${id}-zone`}
        className="input"
        value={props.value}
        aria-invalid={props.error !== undefined}
        aria-describedby={`${id}-zone-hint`}
        onChange={(e) => props.onChange(e.target.value)}
      >
        <optgroup label="Suggested">
          {suggested.map((zone) => (
            <option key={`s-${zone}`} value={zone}>
              {zone.replaceAll('_', ' ')}
              {zone === computerZone ? ' (this computer)' : ''}
            </option>
          ))}
        </optgroup>
        {zones.map((group) => (
          <optgroup key={group.region} label={group.region}>
            {group.zones
              .filter((zone) => !suggested.includes(zone))
              .map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll('_', ' ')}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      <span className="field__hint" id={`${id}-zone-hint`}>
        Opening hours and the daily figures on Home follow this time zone.
      </span>
      {props.error !== undefined && <p className="field__error">{props.error}</p>}
    </div>
  );
}

function DayRow(props: {
  day: DayKey;
  intervals: Interval[];
  errors: FieldErrors;
  onChange: (intervals: Interval[]) => void;
}) {
  const { day, intervals, errors, onChange } = props;
  const name = DAY_NAMES[day];
  const open = intervals.length > 0;
  const prefix = `businessHours.days.${day}`;
  const dayErrors = Object.entries(errors)
    .filter(([path]) => path === prefix || path.startsWith(`${prefix}.`))
    .map(([, message]) => message);
  const invalid = (index: number, field: keyof Interval) =>
    errors[`${prefix}.${index}.${field}`] !== undefined || errors[`${prefix}.${index}`] !== undefined;
  const last = intervals.at(-1);

  const update = (index: number, field: keyof Interval, value: string) =>
    onChange(intervals.map((i, k) => (k === index ? { ...i, [field]: value } : i)));

  return (
    <div className={`hours__day${open ? '' : ' hours__day--closed'}`} data-day={day}>
      <span className="hours__name">{name}</span>
      <label className="checkbox hours__open">
        <input
          type="checkbox"
          checked={open}
          aria-label={`Open on ${name}`}
          onChange={(e) => onChange(e.target.checked ? [{ open: '09:00', close: '17:00' }] : [])}
        />
        {open ? 'Open' : 'Closed'}
      </label>
      <div className="hours__intervals">
        {!open && <span className="muted small">Closed all day</span>}
        {intervals.map((interval, index) => (
          <IntervalInputs
            key={index}
            name={name}
            interval={interval}
            invalid={(field) => invalid(index, field)}
            removable={intervals.length > 1}
            onChange={(field, value) => update(index, field, value)}
            onRemove={() => onChange(intervals.filter((_, k) => k !== index))}
          />
        ))}
        {open && intervals.length < 4 && last !== undefined && (
          <button
            className="button button--ghost button--small"
            type="button"
            aria-label={`Add opening hours on ${name}`}
            onClick={() => onChange([...intervals, nextInterval(last)])}
          >
            + Add hours
          </button>
        )}
      </div>
      {dayErrors.length > 0 && (
        <p className="field__error hours__error" role="alert">
          {[...new Set(dayErrors)].join(' ')}
        </p>
      )}
    </div>
  );
}

/** One open period of a day: opens at, closes at, and × when the day has more than one. */
function IntervalInputs(props: {
  name: string;
  interval: Interval;
  invalid: (field: keyof Interval) => boolean;
  removable: boolean;
  onChange: (field: keyof Interval, value: string) => void;
  onRemove: () => void;
}) {
  const { name, interval } = props;
  return (
    <span className="hours__interval">
      <TimeInput {...props} field="open" />
      <span className="muted">to</span>
      <TimeInput {...props} field="close" />
      {props.removable && (
        <button
          className="button button--ghost button--small hours__remove"
          type="button"
          aria-label={`Remove ${name} ${interval.open} to ${interval.close}`}
          onClick={props.onRemove}
        >
          ×
        </button>
      )}
    </span>
  );
}

function TimeInput(props: {
  name: string;
  field: keyof Interval;
  interval: Interval;
  invalid: (field: keyof Interval) => boolean;
  onChange: (field: keyof Interval, value: string) => void;
}) {
  const { field } = props;
  return (
    <input
      className="input input--compact hours__time"
      type="time"
      value={props.interval[field]}
      aria-label={`${props.name} ${field === 'open' ? 'opens' : 'closes'} at`}
      aria-invalid={props.invalid(field)}
      onChange={(e) => props.onChange(field, e.target.value)}
    />
  );
}

/** A second period after the last one (after a lunch break), within the day. */
function nextInterval(last: Interval): Interval {
  const hour = Number(last.close.slice(0, 2));
  if (!Number.isFinite(hour) || last.close === '00:00' || hour >= 22)
    return { open: '20:00', close: '22:00' };
  const start = Math.min(hour + 1, 22);
  const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return { open: pad(start), close: pad(Math.min(start + 3, 23)) };
}
