import { existsSync, mkdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { BackupEntry, BackupProgress, BackupSettings, BackupStatus } from '../../shared/backup-contract';
import { SwitchboardError } from '../errors';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import type { Store } from '../store/open-database';
import { readArchiveHeader } from './archive-format';
import { passphraseKey } from './archive-keys';
import { readManifest } from './backup-archive';
import { createBackupActivity, type BackupListener } from './backup-activity';
import {
  archiveName,
  copyToSecondFolder,
  createdAtOf,
  entryOf,
  listArchives,
  protectionOf,
} from './backup-files';
import { makeArchive, type BackupMakerDeps } from './backup-maker';
import { backupsToDelete, STALE_AFTER_MS } from './backup-policy';
import {
  createBackupSettingsFiles,
  type BackupSettingsFiles,
  type BackupSettingsPatch,
} from './backup-settings';
import { readJsonFile, writeJsonFileAtomic } from './json-file';
import { MOVED_AWAY_FILE, stageRestore, type StagedRestore } from './restore-staging';
import { isUpgradeCopy } from './upgrade-copy';

export { MEDIA_FOLDER } from './backup-files';
export type { BackupListener } from './backup-activity';

export const BACKUPS_FOLDER = 'backups';

export interface BackupServiceOptions {
  dataDir: string;
  /** Absent when the database cannot be opened (damaged): backups can still be listed and restored. */
  store?: Store;
  secrets: SecretBox;
  logger: Logger;
  now: () => number;
}

export interface BackupService {
  settings(): BackupSettings;
  configure(patch: BackupSettingsPatch): Promise<BackupSettings>;
  status(): BackupStatus;
  /** Makes, verifies and files a backup; one at a time. */
  create(reason: string, onProgress?: (progress: BackupProgress) => void): Promise<BackupEntry>;
  list(): Promise<BackupEntry[]>;
  /** What a backup file anywhere holds (date, workspaces, message counts), read with its key. */
  inspect(file: string, passphrase?: string): Promise<BackupEntry>;
  /** Unpacks and checks a backup beside the data; it is put in place at the next start (`applyPendingRestore`). */
  stageRestore(file: string, passphrase?: string): Promise<StagedRestore>;
  /**
   * The archive for another computer: everything, passphrase-protected. Once it is written and checked,
   * this install is retired (the caller stops its connections) and never connects again.
   */
  createMoveArchive(destination: string, passphrase: string): Promise<BackupEntry>;
  /** Progress of whichever backup runs (daily, on quit, from a button), and changes of status. */
  subscribe(listener: BackupListener): () => void;
}

/** The parts a backup service is made of, shared by its steps below. */
interface BackupParts extends BackupMakerDeps {
  files: BackupSettingsFiles;
  activity: ReturnType<typeof createBackupActivity>;
}

export function createBackupService(options: BackupServiceOptions): BackupService {
  const { dataDir, secrets, logger, now } = options;
  const folder = join(dataDir, BACKUPS_FOLDER);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const files = createBackupSettingsFiles(folder, secrets);
  const activity = createBackupActivity();
  const parts: BackupParts = { ...options, folder, files, activity };

  return {
    settings: () => files.publicSettings(),
    async configure(patch) {
      const next = await files.configure(patch);
      activity.changed();
      logger.info('backup.configured', 'Backup settings changed', {
        keepDaily: next.keepDaily,
        keepWeekly: next.keepWeekly,
        secondFolder: next.secondFolder,
        protection: next.passphrase === null ? 'this-computer' : 'passphrase',
      });
      return files.publicSettings();
    },
    status() {
      const state = files.readState();
      const s = files.readSettings();
      const at = now();
      return {
        running: activity.running(),
        lastGoodAt: state.lastGoodAt,
        lastError: state.lastError,
        stale: state.lastGoodAt === null || at - state.lastGoodAt > STALE_AFTER_MS,
        secondFolder: s.secondFolder,
        secondFolderMissing: s.secondFolder !== null && !existsSync(s.secondFolder),
        movedAway: readJsonFile<{ at: number; archive: string }>(join(dataDir, MOVED_AWAY_FILE)),
      };
    },
    create: (reason, onProgress) =>
      activity.exclusive('backup', () => writeBackup(parts, reason, onProgress)),
    list: () => listBackups(parts),
    inspect: (file, passphrase) => readEntry(parts, file, 'elsewhere', passphrase),
    stageRestore(file, passphrase) {
      return activity.exclusive('restore', async () => {
        const key = await files.keyOf(file, passphrase);
        const staged = await stageRestore({ dataDir, archive: file, masterKey: key, secrets, now: now() });
        logger.info(
          'backup.restore_staged',
          'A backup was unpacked and checked; it is put in place at the next start',
          {
            file,
          },
        );
        return staged;
      });
    },
    subscribe: (listener) => activity.subscribe(listener),
    createMoveArchive: (destination, passphrase) =>
      activity.exclusive('move', () => writeMoveArchive(parts, destination, passphrase)),
  };
}

async function readEntry(
  parts: BackupParts,
  file: string,
  location: BackupEntry['location'],
  passphrase?: string,
): Promise<BackupEntry> {
  const header = await readArchiveHeader(file);
  const manifest = await readManifest(file, await parts.files.keyOf(file, passphrase));
  return entryOf(file, manifest, location, protectionOf(header.key));
}

/** A backup in the data folder (and the second folder), the old ones pruned; failures recorded. */
async function writeBackup(
  parts: BackupParts,
  reason: string,
  onProgress?: (progress: BackupProgress) => void,
): Promise<BackupEntry> {
  const { files, folder, logger, now } = parts;
  const createdAt = now();
  const destination = join(folder, archiveName(createdAt, reason));
  try {
    const key = files.keyForNewBackup();
    const report = parts.activity.reporter(reason, onProgress);
    const manifest = await makeArchive(parts, { kind: 'backup', reason, destination, key }, report);
    files.writeState({ lastGoodAt: manifest.createdAt, lastGoodFile: destination, lastError: null });
    logger.info('backup.written', 'Backup written and checked', {
      file: destination,
      reason,
      bytes: statSync(destination).size,
      mediaFiles: manifest.mediaFiles,
    });
    await prune(files, folder);
    const second = files.readSettings().secondFolder;
    if (second !== null) await copyToSecondFolder(destination, second);
    return entryOf(destination, manifest, 'data-folder', protectionOf(key.source));
  } catch (error) {
    const message =
      error instanceof SwitchboardError ? error.message : `The backup failed: ${(error as Error).message}`;
    files.writeState({ lastError: { at: now(), message } });
    logger.error('backup.failed', message, { reason, error });
    throw error instanceof SwitchboardError
      ? error
      : new SwitchboardError(
          'BACKUP_FAILED',
          `${message}. Check that the disk has free space, then try again.`,
          {},
          { cause: error },
        );
  }
}

async function prune(files: BackupSettingsFiles, dir: string): Promise<void> {
  const s = files.readSettings();
  // The copy made before an upgrade stays until the next upgrade replaces it.
  const archives = listArchives(dir)
    .filter((path) => !isUpgradeCopy(basename(path)))
    .map((path) => ({ path, createdAt: createdAtOf(path) }));
  for (const old of backupsToDelete(archives, { daily: s.keepDaily, weekly: s.keepWeekly })) {
    await rm(old.path, { force: true });
  }
}

/** The archives of both folders, newest first; one that cannot be read is logged and left out. */
async function listBackups(parts: BackupParts): Promise<BackupEntry[]> {
  const second = parts.files.readSettings().secondFolder;
  const found = [
    ...listArchives(parts.folder).map((file) => ({ file, location: 'data-folder' as const })),
    ...(second !== null && existsSync(second)
      ? listArchives(second).map((file) => ({ file, location: 'second-folder' as const }))
      : []),
  ];
  const entries: BackupEntry[] = [];
  for (const { file, location } of found) {
    try {
      entries.push(await readEntry(parts, file, location));
    } catch (error) {
      parts.logger.warn('backup.unreadable', `A backup could not be read: ${(error as Error).message}`, {
        file,
      });
    }
  }
  return entries.sort((a, b) => b.createdAt - a.createdAt);
}

/** The move archive; once it is written and checked this install is marked moved away. */
async function writeMoveArchive(
  parts: BackupParts,
  destination: string,
  passphrase: string,
): Promise<BackupEntry> {
  if (existsSync(destination)) {
    throw new SwitchboardError('CONFLICT', `${destination} already exists; choose another name.`);
  }
  const key = await passphraseKey(passphrase);
  const report = parts.activity.reporter('move');
  const manifest = await makeArchive(parts, { kind: 'move', reason: 'move', destination, key }, report);
  // The old install must never connect again: two PCs on one WhatsApp session fight (440 conflicts).
  writeJsonFileAtomic(join(parts.dataDir, MOVED_AWAY_FILE), { at: manifest.createdAt, archive: destination });
  parts.logger.warn(
    'backup.moved_away',
    'This install was moved to another computer and will not connect again',
    {
      file: destination,
    },
  );
  return entryOf(destination, manifest, 'elsewhere', 'passphrase');
}
