import { useState } from 'react';
import { FormError, TextField } from '../../components/Field';
import { navigate } from '../../router';
import { useApp } from '../../state/app-context';
import { useSubmit } from '../../state/use-submit';
import { WhatsAppNumberField } from '../BusinessFields';

/** A number to link by QR: added, then the pairing screen opens. */
export function AddNumber({
  workspaceId,
  onClose,
  onOfficial,
}: {
  workspaceId: string;
  onClose: () => void;
  onOfficial: () => void;
}) {
  const { client } = useApp();
  const [number, setNumber] = useState('');
  const [label, setLabel] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    const added = await client.invoke('number.add', {
      workspaceId,
      number,
      label: label.trim() === '' ? null : label,
    });
    onClose();
    navigate({ name: 'pair', phoneNumberId: added.id });
  });
  return (
    <form className="card form form--inline" onSubmit={submit} aria-label="Add a number">
      <div className="field-row">
        <WhatsAppNumberField value={number} onValue={setNumber} autoFocus />
        <TextField
          className="field--grow"
          label="Label (optional)"
          value={label}
          onValue={setLabel}
          placeholder="e.g. Ikeja branch"
          maxLength={100}
        />
      </div>
      <FormError error={error} />
      <div className="form__actions">
        <button className="button button--ghost add-number__alt" type="button" onClick={onOfficial}>
          Connect an official number instead
        </button>
        <button className="button button--ghost" type="button" onClick={onClose}>
          Cancel
        </button>
        <button className="button button--primary" type="submit" disabled={busy}>
          Add and link
        </button>
      </div>
    </form>
  );
}
