import { useState } from 'react';
import { FormError, TextField } from '../../components/Field';

/** A backup or move file to open, as the owner types it: its full path and its passphrase. */
export function useArchiveDraft() {
  const [file, setFile] = useState('');
  const [passphrase, setPassphrase] = useState('');
  return { file, setFile, passphrase, setPassphrase };
}

export type ArchiveDraft = ReturnType<typeof useArchiveDraft>;

/**
 * Where the file is and the passphrase that opens it. In a row (`grow`), the path takes the room the
 * passphrase leaves; `required` when the form cannot go on without either.
 */
export function ArchiveFields(props: {
  draft: ArchiveDraft;
  fileLabel: string;
  fileHint: string;
  passphraseHint: string;
  grow?: boolean;
  required?: boolean;
}) {
  const { draft, required } = props;
  return (
    <>
      <TextField
        className={props.grow === true ? 'field--grow' : undefined}
        label={props.fileLabel}
        hint={props.fileHint}
        required={required}
        value={draft.file}
        onValue={draft.setFile}
      />
      <TextField
        label="Passphrase"
        hint={props.passphraseHint}
        type="password"
        required={required}
        autoComplete="off"
        value={draft.passphrase}
        onValue={draft.setPassphrase}
      />
    </>
  );
}

/**
 * A restore's button ("Unpacking and checking…" while it runs), its way back, and what went wrong.
 * Without `onRestore` the button sends the form it is in.
 */
export function RestoreActions(props: {
  label: string;
  back: string;
  busy: boolean;
  error: string | null;
  onRestore?: () => void;
  onBack: () => void;
}) {
  const { busy } = props;
  return (
    <>
      <div className="backups__actions">
        <button
          className="button button--primary"
          type={props.onRestore === undefined ? 'submit' : 'button'}
          disabled={busy}
          onClick={props.onRestore}
        >
          {busy ? 'Unpacking and checking…' : props.label}
        </button>
        <button className="button button--secondary" type="button" onClick={props.onBack} disabled={busy}>
          {props.back}
        </button>
      </div>
      <FormError error={props.error} />
    </>
  );
}
