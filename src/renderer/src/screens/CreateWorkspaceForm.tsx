import { useState, type FormEvent } from 'react';
import type { CreatedWorkspace } from '../../../shared/contract';
import { BOT_MODES, type BotMode } from '../../../shared/types';
import { Field, FormError, TextField } from '../components/Field';
import { BOT_MODE_VIEW, COUNTRIES } from '../format';
import { useApp } from '../state/app-context';
import { useAction } from '../state/use-action';

/** Business name, country, WhatsApp number and how to answer: everything a new workspace needs. */
export function CreateWorkspaceForm(props: {
  onCreated: (created: CreatedWorkspace) => void;
  submitLabel?: string;
}) {
  const { client } = useApp();
  const [name, setName] = useState('');
  const [country, setCountry] = useState('NG');
  const [number, setNumber] = useState('');
  const [botMode, setBotMode] = useState<BotMode>('faq');
  const { busy, error, run } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const created = await client.invoke('workspace.create', {
        name,
        defaultCountry: country,
        botMode,
        number,
      });
      props.onCreated(created);
    });
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="Create your business">
      <TextField
        label="Business name"
        name="businessName"
        value={name}
        onValue={setName}
        placeholder="e.g. Mama Nkechi Pharmacy"
        required
        maxLength={200}
        autoFocus
      />
      <div className="field-row">
        <Field label="Country">
          {(control) => (
            <select
              {...control}
              className="input"
              name="country"
              value={country}
              onChange={(e) => setCountry(e.target.value)}
            >
              {COUNTRIES.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          className="field--grow"
          label="WhatsApp number"
          hint="The number your customers message. Keep the phone with it nearby."
          name="number"
          type="tel"
          inputMode="tel"
          value={number}
          onValue={setNumber}
          placeholder="e.g. 0803 123 4567"
          required
        />
      </div>
      <BotModeChoice value={botMode} onChange={setBotMode} />
      <FormError error={error} />
      <div className="form__actions">
        <button className="button button--primary" type="submit" disabled={busy}>
          {busy ? 'Creating…' : (props.submitLabel ?? 'Continue')}
        </button>
      </div>
    </form>
  );
}

/** How the bot answers: one card per mode, the FAQ mode marked as the usual choice. */
function BotModeChoice(props: { value: BotMode; onChange: (mode: BotMode) => void }) {
  return (
    <fieldset className="field">
      <legend className="field__label">How should Switchboard answer?</legend>
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
