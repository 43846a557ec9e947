import { useState } from 'react';
import type { RestoreStaged } from '../../../shared/contract';
import { useApp } from '../state/app-context';
import { useSubmit } from '../state/use-submit';
import { ArchiveFields, RestoreActions, useArchiveDraft } from './backups/ArchiveFields';
import { RestoreDone } from './Backups';

/**
 * First run's "I already use Switchboard on another computer": the move file made on the old computer
 * and its passphrase. Numbers then answer here without a new QR scan.
 */
export function MoveHere(props: { onCancel: () => void }) {
  const { client } = useApp();
  const draft = useArchiveDraft();
  const [done, setDone] = useState<RestoreStaged | null>(null);
  const { busy, error, submit } = useSubmit(async () => {
    const { file, passphrase } = draft;
    setDone(await client.invoke('backup.restore', { file, passphrase }));
  });
  if (done !== null) return <RestoreDone result={done} />;
  return (
    <form className="move-here" aria-label="Move from another computer" onSubmit={submit}>
      <h2 className="card__title">Bring Switchboard over from your other computer</h2>
      <p className="muted card__lead">
        On the old computer, open Settings › Backups › &ldquo;Move to another computer&rdquo; and copy the
        file it makes to this one (a USB stick works). Then tell us where it is.
      </p>
      <ArchiveFields
        draft={draft}
        fileLabel="Move file"
        fileHint="The full path, for example E:\switchboard-move.swbk"
        passphraseHint="The one you chose on the old computer."
        required
      />
      <RestoreActions
        label="Bring everything over"
        back="Back"
        busy={busy}
        error={error}
        onBack={props.onCancel}
      />
    </form>
  );
}
