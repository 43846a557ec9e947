import { useState } from 'react';
import type { BackupEntry } from '../../../../shared/contract';
import { TextField, FormError } from '../../components/Field';
import { useApp } from '../../state/app-context';
import { useSubmit } from '../../state/use-submit';

/** One locked file with everything, for the new computer; this one stops answering for good. */
export function MoveAway({ movedAway }: { movedAway: boolean }) {
  const { client } = useApp();
  const [destination, setDestination] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [done, setDone] = useState<BackupEntry | null>(null);
  const { busy, error, submit } = useSubmit(async () =>
    setDone(await client.invoke('backup.move', { destination, passphrase })),
  );
  if (done !== null || movedAway) {
    return (
      <div className="notice notice--ok" role="status">
        <p>
          <strong>Everything is in {done?.file ?? 'the move archive'}.</strong> This computer no longer
          connects to WhatsApp. On the new computer, install Switchboard and choose &ldquo;I already use
          Switchboard on another computer&rdquo;.
        </p>
      </div>
    );
  }
  return (
    <details className="backups__more">
      <summary>Move to another computer</summary>
      <form aria-label="Move to another computer" onSubmit={submit}>
        <p className="muted">
          Writes one locked file with everything: messages, settings, WhatsApp sessions, keys and photos. Your
          numbers then work on the new computer without scanning a QR again. This computer stops answering for
          good: two computers on one WhatsApp would push each other off.
        </p>
        <div className="field-row">
          <TextField
            className="field--grow"
            label="Save as"
            hint="For example E:\switchboard-move.swbk"
            value={destination}
            onValue={setDestination}
          />
          <TextField
            label="Passphrase"
            hint="At least 8 characters; you type it on the new computer."
            type="password"
            autoComplete="new-password"
            value={passphrase}
            onValue={setPassphrase}
          />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} /> I
          understand this computer stops answering customers
        </label>
        <button className="button button--primary" type="submit" disabled={busy || !understood}>
          {busy ? 'Writing and checking…' : 'Make the move file'}
        </button>
        <FormError error={error} />
      </form>
    </details>
  );
}
