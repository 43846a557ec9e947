import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SwitchboardError } from '../errors';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import { backupDatabase } from '../store/backup';
import type { Store } from '../store/open-database';
import type { ArchiveKey } from './archive-keys';
import { DATABASE_ENTRY, type ArchiveFile, type BackupManifest } from './backup-archive';
import type { BackupReport } from './backup-activity';
import { listMedia, MEDIA_FOLDER } from './backup-files';
import { writeCheckedArchive } from './checked-archive';
import { inspectSnapshot } from './inspect-snapshot';
import {
  archiveSecretBox,
  ARCHIVE_SECRET_PREFIX,
  describeUnopened,
  resealDatabaseFile,
} from './portable-secrets';

export interface BackupMakerDeps {
  dataDir: string;
  /** The backups folder: the work folder is made in it. */
  folder: string;
  store?: Store | undefined;
  secrets: SecretBox;
  logger: Logger;
  now: () => number;
}

/**
 * One archive: a snapshot of the database (its secrets resealed when another computer may open
 * it), the media files, encrypted with `key`, written and read back before it counts.
 */
export async function makeArchive(
  deps: BackupMakerDeps,
  job: { kind: 'backup' | 'move'; reason: string; destination: string; key: ArchiveKey },
  report: BackupReport,
): Promise<BackupManifest> {
  const { kind, reason, destination, key } = job;
  const { store, now } = deps;
  const work = join(deps.folder, `.work-${now()}`);
  mkdirSync(work, { recursive: true, mode: 0o700 });
  try {
    report('copying', 0);
    const snapshot = join(work, DATABASE_ENTRY);
    if (store === undefined) throw new Error('the database is not open');
    await backupDatabase(store, snapshot, {
      // 256 KiB a step, as the archive's frames: each step a short turn of the event loop.
      pagesPerStep: 64,
      onProgress: (p) => report('copying', p.fraction * 0.3),
    });
    // An archive another computer may open carries its secrets under its own key, not this computer's.
    const portable = kind === 'move' || key.source.source === 'passphrase';
    if (portable) await makeSecretsPortable(deps, kind, snapshot, key);
    const contents = await inspectSnapshot(snapshot, { integrity: false });
    const media = listMedia(join(deps.dataDir, MEDIA_FOLDER));
    const files: ArchiveFile[] = [{ name: DATABASE_ENTRY, path: snapshot }, ...media];
    const manifest: Omit<BackupManifest, 'entries'> = {
      kind,
      reason,
      createdAt: now(),
      schema: contents.schema,
      workspaces: contents.workspaces,
      numbers: contents.numbers,
      mediaFiles: media.length,
      secrets: portable ? 'portable' : 'this-computer',
    };
    const written = await writeCheckedArchive({
      destination,
      workDir: work,
      key,
      manifest,
      files,
      onWritten: (fraction) => report('encrypting', 0.3 + fraction * 0.4),
      onVerified: (fraction) => report('verifying', 0.7 + fraction * 0.3),
    });
    report('verifying', 1);
    return written;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function makeSecretsPortable(
  deps: BackupMakerDeps,
  kind: 'backup' | 'move',
  snapshot: string,
  key: ArchiveKey,
): Promise<void> {
  const result = await resealDatabaseFile(snapshot, {
    from: deps.secrets,
    to: archiveSecretBox(key.masterKey),
    which: (sealed) => !sealed.startsWith(ARCHIVE_SECRET_PREFIX),
  });
  if (result.unopened.length === 0) return;
  const what = describeUnopened(result.unopened);
  if (kind === 'move') {
    // A move that silently dropped a session would leave the new computer asking for QR scans.
    throw new SwitchboardError(
      'BACKUP_FAILED',
      `Some stored keys could not be opened with this computer's key store (${what}), so the move file ` +
        'could not carry them. Sign in to this computer as the user who set Switchboard up, then try again.',
    );
  }
  deps.logger.warn(
    'backup.secrets_not_portable',
    "Some stored keys could not be opened with this computer's key store; the backup keeps them sealed for this computer only",
    { unopened: what },
  );
}
