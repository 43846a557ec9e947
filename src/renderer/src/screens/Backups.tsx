import { useCallback, useEffect, useState } from 'react';
import type { BackupEntry, BackupProgress, BackupStatus, RestoreStaged } from '../../../shared/contract';
import { errorMessage } from '../client/client';
import { FormError } from '../components/Field';
import { formatTime } from '../format';
import { hrefOf } from '../router';
import { useApp, useEvent, useOnReconnect } from '../state/app-context';
import { useAction } from '../state/use-action';
import { useSubmit } from '../state/use-submit';
import { ArchiveFields, RestoreActions, useArchiveDraft } from './backups/ArchiveFields';
import { BackupOptions } from './backups/BackupOptions';
import { MoveAway } from './backups/MoveAway';
import './backups.css';

const PHASE_WORDS: Record<BackupProgress['phase'], string> = {
  copying: 'Copying the data',
  encrypting: 'Locking it with the key',
  verifying: 'Checking the backup',
};

/** The backup status and list, reloaded whenever a backup starts, ends or settings change. */
function useBackups() {
  const { client } = useApp();
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [list, setList] = useState<BackupEntry[] | null>(null);
  const [progress, setProgress] = useState<BackupProgress | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const [s, l] = await Promise.all([client.invoke('backup.status'), client.invoke('backup.list')]);
      setStatus(s);
      setList(l);
      setProgress(s.running);
      setLoadError(null);
    } catch (failure) {
      setLoadError(errorMessage(failure));
    }
  }, [client]);
  useEffect(() => void load(), [load]);
  useOnReconnect(() => void load());
  useEvent('backup.progressed', setProgress);
  useEvent('backup.changed', () => void load());
  return { status, list, progress, loadError, reload: load };
}

/** The progress bar of a running backup, for Settings and Home. */
export function BackupProgressBar({ progress }: { progress: BackupProgress }) {
  const percent = Math.round(progress.fraction * 100);
  return (
    <div className="backup-progress" role="status">
      <span>
        {PHASE_WORDS[progress.phase]}… {percent}%
      </span>
      <progress max={100} value={percent} aria-label="Backup progress" />
    </div>
  );
}

/**
 * Settings › Backups: when the last good backup was, "Back up now", what is kept and where, the key,
 * the list to restore from, and moving to another computer.
 */
export function Backups() {
  const { client } = useApp();
  const { status, list, progress, loadError, reload } = useBackups();
  const { busy, error, run } = useAction();
  const [restored, setRestored] = useState<RestoreStaged | null>(null);

  return (
    <section className="card settings__section backups" aria-labelledby="backups-title">
      <h2 className="card__title card__title--small" id="backups-title">
        Backups
      </h2>
      <p className="muted">
        Switchboard backs up your messages, settings, WhatsApp sessions and photos every day at closing time
        and when you quit. Each backup is locked (encrypted) and checked after it is written.
      </p>
      <FormError error={loadError} />
      {status !== null && <BackupStatusLine status={status} />}
      {progress !== null ? (
        <BackupProgressBar progress={progress} />
      ) : (
        <button
          className="button button--primary"
          type="button"
          disabled={busy || status?.movedAway !== undefined}
          onClick={() => void run(() => client.invoke('backup.create').then(reload))}
        >
          Back up now
        </button>
      )}
      <FormError error={error} />
      {restored !== null ? (
        <RestoreDone result={restored} />
      ) : (
        <>
          <BackupList list={list} onRestored={setRestored} />
          <RestoreFromFile onRestored={setRestored} />
        </>
      )}
      <BackupOptions />
      <MoveAway movedAway={status?.movedAway !== undefined} />
    </section>
  );
}

function BackupStatusLine({ status }: { status: BackupStatus }) {
  return (
    <div className="backups__status">
      {status.lastGoodAt === null ? (
        <p className="notice notice--problem">No backup yet. Make one now.</p>
      ) : (
        <p className={status.stale ? 'notice notice--problem' : 'muted'}>
          Last good backup: <strong>{formatTime(status.lastGoodAt)}</strong>
          {status.stale && ' — more than 2 days ago.'}
        </p>
      )}
      {status.secondFolderMissing && (
        <p className="notice notice--problem">
          The second folder ({status.secondFolder}) is not there. Plug in the USB stick so backups are copied
          to it.
        </p>
      )}
      {status.lastError !== null &&
        (status.lastGoodAt === null || status.lastError.at > status.lastGoodAt) && (
          <p className="notice notice--problem">The last backup failed: {status.lastError.message}</p>
        )}
    </div>
  );
}

function BackupList(props: { list: BackupEntry[] | null; onRestored: (r: RestoreStaged) => void }) {
  const [confirm, setConfirm] = useState<BackupEntry | null>(null);
  if (props.list === null) return <p className="muted">Loading backups…</p>;
  if (props.list.length === 0) return <p className="muted">No backups yet.</p>;
  return (
    <>
      <table className="backups__table" aria-label="Backups">
        <thead>
          <tr>
            <th>Date</th>
            <th>Businesses and messages</th>
            <th>Where</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {props.list.map((entry) => (
            <tr key={entry.file}>
              <td>
                {formatTime(entry.createdAt)}
                <span className="muted backups__reason"> {entry.reason}</span>
              </td>
              <td>
                {entry.workspaces.length === 0
                  ? '—'
                  : entry.workspaces
                      .map((w) => `${w.name}: ${w.messages.toLocaleString()} messages`)
                      .join(', ')}
              </td>
              <td>{entry.location === 'second-folder' ? 'Second folder' : 'This computer'}</td>
              <td>
                <button className="button button--secondary" type="button" onClick={() => setConfirm(entry)}>
                  Restore…
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirm !== null && (
        <ConfirmRestore entry={confirm} onCancel={() => setConfirm(null)} onRestored={props.onRestored} />
      )}
    </>
  );
}

function ConfirmRestore(props: {
  entry: BackupEntry;
  /** The passphrase the owner typed to open a file from elsewhere. */
  passphrase?: string;
  onCancel: () => void;
  onRestored: (r: RestoreStaged) => void;
}) {
  const { client } = useApp();
  const { busy, error, run } = useAction();
  const { entry } = props;
  const restore = () =>
    void run(async () =>
      props.onRestored(
        await client.invoke('backup.restore', {
          file: entry.file,
          ...(props.passphrase !== undefined && props.passphrase !== '' && { passphrase: props.passphrase }),
        }),
      ),
    );
  return (
    <div className="backups__confirm" role="dialog" aria-label="Restore this backup">
      <p>
        Put back the backup of <strong>{formatTime(entry.createdAt)}</strong>? Messages and changes made since
        then are not in it. Your current data is kept beside it, so this can be undone. Switchboard restarts
        to finish.
      </p>
      <ul className="backups__contents" aria-label="In this backup">
        {entry.workspaces.length === 0 && <li>No business yet.</li>}
        {entry.workspaces.map((w) => (
          <li key={w.id}>
            {w.name}: {w.messages.toLocaleString()} messages
          </li>
        ))}
        <li className="muted">
          {entry.mediaFiles.toLocaleString()} photos and files ·{' '}
          {entry.protection === 'passphrase'
            ? 'locked with a passphrase: it opens on any computer'
            : "locked with this computer's key: it opens on this computer only"}
        </li>
      </ul>
      <RestoreActions
        label="Restore this backup"
        back="Cancel"
        busy={busy}
        error={error}
        onRestore={restore}
        onBack={props.onCancel}
      />
    </div>
  );
}

/** After a restore was staged: what reconnects by itself, what needs a scan; the page reloads once back. */
export function RestoreDone({ result }: { result: RestoreStaged }) {
  useOnReconnect(() => window.location.reload());
  return (
    <div className="notice notice--ok backups__done" role="status">
      <p>
        <strong>Backup checked. Switchboard is restarting to put it in place…</strong>
      </p>
      {result.reconnects.length > 0 && (
        <p>These numbers reconnect by themselves: {result.reconnects.join(', ')}.</p>
      )}
      {result.needScan.length > 0 && (
        <p>These numbers need a new QR scan from the phone: {result.needScan.join(', ')}.</p>
      )}
      <p className="muted">The data it replaced is kept in {result.keptBesideAs}.</p>
    </div>
  );
}

function RestoreFromFile(props: { onRestored: (r: RestoreStaged) => void }) {
  const { client } = useApp();
  const draft = useArchiveDraft();
  const { file, passphrase } = draft;
  const [found, setFound] = useState<BackupEntry | null>(null);
  // First what the file holds, read with its key; restoring is the confirm step's button.
  const { busy, error, submit } = useSubmit(async () => {
    setFound(null);
    setFound(await client.invoke('backup.inspect', { file, ...(passphrase !== '' && { passphrase }) }));
  });
  return (
    <details className="backups__more">
      <summary>Restore a backup from a USB stick or another folder</summary>
      <form aria-label="Restore from a file" onSubmit={submit}>
        <div className="field-row">
          <ArchiveFields
            draft={draft}
            fileLabel="Backup file"
            fileHint="The full path of a .swbk file."
            passphraseHint="Only if the backup has one."
            grow
          />
        </div>
        <button className="button button--secondary" type="submit" disabled={busy}>
          {busy ? 'Opening…' : 'Check this file'}
        </button>
        <FormError error={error} />
      </form>
      {found !== null && (
        <ConfirmRestore
          entry={found}
          passphrase={passphrase}
          onCancel={() => setFound(null)}
          onRestored={props.onRestored}
        />
      )}
    </details>
  );
}

/** Home: when the last good backup was; a warning after 48 hours without one or without the USB stick. */
export function BackupHomeLine() {
  const { status, progress } = useBackups();
  if (status === null) return null;
  if (status.movedAway !== undefined) {
    return (
      <div className="notice notice--problem notice--banner" role="alert">
        This computer&rsquo;s Switchboard was moved to another computer on {formatTime(status.movedAway.at)}.
        It no longer connects to WhatsApp here.
      </div>
    );
  }
  const settingsLink = (
    <a href={hrefOf({ name: 'settings' })} className="link">
      Backups
    </a>
  );
  if (progress !== null) return <BackupProgressBar progress={progress} />;
  if (status.stale || status.secondFolderMissing) {
    return (
      <div className="notice notice--problem notice--banner backup-warning" role="alert">
        <span>
          {status.stale
            ? status.lastGoodAt === null
              ? 'There is no backup of your data yet.'
              : `No backup since ${formatTime(status.lastGoodAt)}: more than 2 days.`
            : ''}{' '}
          {status.secondFolderMissing &&
            `The backup USB stick or folder (${status.secondFolder}) is missing: plug it in.`}{' '}
          See {settingsLink}.
        </span>
      </div>
    );
  }
  return (
    <p className="muted backup-line" data-testid="backup-line">
      Last backup {formatTime(status.lastGoodAt ?? 0)} — your data is safe.
    </p>
  );
}
