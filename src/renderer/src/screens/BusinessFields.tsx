import { BOT_MODES, type BotMode } from '../../../shared/types';
import { TextField } from '../components/Field';
import { SelectField } from '../components/SelectField';
import { BOT_MODE_VIEW, COUNTRIES } from '../format';

/**
 * The business's country, which reads its customers' local numbers; a code the list does not have
 * (set elsewhere) stays shown as it is.
 */
export function CountryField(props: { value: string; onChange: (code: string) => void }) {
  return (
    <SelectField label="Country" name="country" value={props.value} onValue={props.onChange}>
      {COUNTRIES.some((c) => c.code === props.value) ? null : (
        <option value={props.value}>{props.value}</option>
      )}
      {COUNTRIES.map((c) => (
        <option key={c.code} value={c.code}>
          {c.name}
        </option>
      ))}
    </SelectField>
  );
}

/** How the bot answers: one card per mode, the FAQ mode marked as the usual choice. */
export function BotModeChoice(props: { legend: string; value: BotMode; onChange: (mode: BotMode) => void }) {
  return (
    <fieldset className="field">
      <legend className="field__label">{props.legend}</legend>
      <div className="choice-grid">
        {BOT_MODES.map((mode) => (
          <label key={mode} className={`choice${props.value === mode ? ' choice--active' : ''}`}>
            <input
              type="radio"
              name="botMode"
              value={mode}
              checked={props.value === mode}
              onChange={() => props.onChange(mode)}
            />
            <span className={`tag${mode === 'faq' ? ' tag--accent' : ''}`}>{BOT_MODE_VIEW[mode].badge}</span>
            <span className="choice__title">{BOT_MODE_VIEW[mode].title}</span>
            <span className="choice__text">{BOT_MODE_VIEW[mode].text}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The WhatsApp number a business answers on, as the owner types it (local or international). */
export function WhatsAppNumberField(props: {
  value: string;
  onValue: (number: string) => void;
  hint?: string;
  autoFocus?: boolean;
}) {
  return (
    <TextField
      className="field--grow"
      label="WhatsApp number"
      hint={props.hint}
      name="number"
      type="tel"
      inputMode="tel"
      value={props.value}
      onValue={props.onValue}
      placeholder="e.g. 0803 123 4567"
      required
      autoFocus={props.autoFocus}
    />
  );
}
