import { useEffect, useState, type FormEvent } from 'react';
import type { BackupSettings } from '../../../../shared/contract';
import { TextField, FormError } from '../../components/Field';
import { useApp } from '../../state/app-context';
import { useSave } from '../../state/use-save';

/** The options as stored, and the form's draft of them; the passphrase is never read back. */
function useBackupOptions() {
  const { client } = useApp();
  const [settings, setSettings] = useState<BackupSettings | null>(null);
  const [keepDaily, setKeepDaily] = useState('7');
  const [keepWeekly, setKeepWeekly] = useState('4');
  const [secondFolder, setSecondFolder] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const { busy, error, saved, save } = useSave();
  useEffect(() => {
    void client.invoke('backup.settings').then((s) => {
      setSettings(s);
      setKeepDaily(String(s.keepDaily));
      setKeepWeekly(String(s.keepWeekly));
      setSecondFolder(s.secondFolder ?? '');
    });
  }, [client]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(async () => {
      const next = await client.invoke('backup.configure', {
        keepDaily: Number(keepDaily),
        keepWeekly: Number(keepWeekly),
        secondFolder: secondFolder.trim() === '' ? null : secondFolder,
        ...(passphrase !== '' && { passphrase }),
      });
      setSettings(next);
      setPassphrase('');
    });
  };
  const draft = { keepDaily, setKeepDaily, keepWeekly, setKeepWeekly, secondFolder, setSecondFolder };
  return { settings, draft, passphrase, setPassphrase, submit, busy, error, saved };
}

/** How many backups are kept, a second folder for copies, and the passphrase that locks them. */
export function BackupOptions() {
  const { settings, draft, passphrase, setPassphrase, submit, busy, error, saved } = useBackupOptions();
  if (settings === null) return null;
  const locked = settings.protection === 'passphrase';
  const keptFields = [
    { label: 'Daily backups kept', min: 1, max: 60, value: draft.keepDaily, onValue: draft.setKeepDaily },
    { label: 'Weekly backups kept', min: 0, max: 52, value: draft.keepWeekly, onValue: draft.setKeepWeekly },
  ];
  return (
    <form className="backups__options" aria-label="Backup options" onSubmit={submit}>
      <h3 className="backups__subtitle">What is kept, and where</h3>
      <div className="field-row">
        {keptFields.map((f) => (
          <TextField key={f.label} inputClassName="input input--narrow" type="number" {...f} />
        ))}
        <TextField
          className="field--grow"
          label="Second folder (optional)"
          hint="A USB stick or a synced folder: every backup is copied there too."
          placeholder="E:\Switchboard backups"
          value={draft.secondFolder}
          onValue={draft.setSecondFolder}
        />
      </div>
      <TextField
        label={locked ? 'Change the passphrase' : 'Passphrase (optional)'}
        hint={
          locked
            ? 'Backups are locked with your passphrase: they open on any computer with it. Keep it safe.'
            : "Backups are locked with this computer's key: only this computer opens them. Set a passphrase to open them on another computer too."
        }
        type="password"
        autoComplete="new-password"
        value={passphrase}
        onValue={setPassphrase}
      />
      <div className="backups__actions">
        <button className="button button--secondary" type="submit" disabled={busy}>
          Save backup options
        </button>
        {saved && <span className="muted">Saved.</span>}
      </div>
      <FormError error={error} />
      <p className="muted">Backups on this computer are in {settings.folder}.</p>
    </form>
  );
}
