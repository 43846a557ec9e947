import { useState, type FormEvent } from 'react';
import type { RestoreStaged } from '../../../shared/contract';
import { Field, FormError } from '../components/Field';
import { useApp } from '../state/app-context';
import { useAction } from '../state/use-action';
import { RestoreDone } from './Backups';

/**
 * First run's "I already use Switchboard on another computer": the move file made on the old computer
 * and its passphrase. Numbers then answer here without a new QR scan.
 */
export function MoveHere(props: { onCancel: () => void }) {
  const { client } = useApp();
  const { busy, error, run } = useAction();
  const [file, setFile] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [done, setDone] = useState<RestoreStaged | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => setDone(await client.invoke('backup.restore', { file, passphrase })));
  };
  if (done !== null) return <RestoreDone result={done} />;
  return (
    <form className="move-here" aria-label="Move from another computer" onSubmit={submit}>
      <h2 className="card__title">Bring Switchboard over from your other computer</h2>
      <p className="muted card__lead">
        On the old computer, open Settings › Backups › &ldquo;Move to another computer&rdquo; and copy the
        file it makes to this one (a USB stick works). Then tell us where it is.
      </p>
      <Field label="Move file" hint="The full path, for example E:\switchboard-move.swbk">
        {(control) => (
          <input
            {...control}
            className="input"
            required
            value={file}
            onChange={(e) => setFile(e.target.value)}
          />
        )}
      </Field>
      <Field label="Passphrase" hint="The one you chose on the old computer.">
        {(control) => (
          <input
            {...control}
            className="input"
            type="password"
            required
            autoComplete="off"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        )}
      </Field>
      <div className="backups__actions">
        <button className="button button--primary" type="submit" disabled={busy}>
          {busy ? 'Unpacking and checking…' : 'Bring everything over'}
        </button>
        <button className="button button--secondary" type="button" onClick={props.onCancel} disabled={busy}>
          Back
        </button>
      </div>
      <FormError error={error} />
    </form>
  );
}
