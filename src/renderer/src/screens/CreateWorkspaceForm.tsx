import { useState } from 'react';
import type { CreatedWorkspace } from '../../../shared/contract';
import type { BotMode } from '../../../shared/types';
import { FormError, TextField } from '../components/Field';
import { useApp } from '../state/app-context';
import { useSubmit } from '../state/use-submit';
import { BotModeChoice, CountryField, WhatsAppNumberField } from './BusinessFields';

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
  const { busy, error, submit } = useSubmit(async () => {
    const created = await client.invoke('workspace.create', {
      name,
      defaultCountry: country,
      botMode,
      number,
    });
    props.onCreated(created);
  });

  return (
    <form className="form" onSubmit={submit} aria-label="Create your business">
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
        <CountryField value={country} onChange={setCountry} />
        <WhatsAppNumberField
          value={number}
          onValue={setNumber}
          hint="The number your customers message. Keep the phone with it nearby."
        />
      </div>
      <BotModeChoice legend="How should Switchboard answer?" value={botMode} onChange={setBotMode} />
      <FormError error={error} />
      <div className="form__actions">
        <button className="button button--primary" type="submit" disabled={busy}>
          {busy ? 'Creating…' : (props.submitLabel ?? 'Continue')}
        </button>
      </div>
    </form>
  );
}
