import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { copyFile, rename, rm } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { BackupEntry, BackupProgress, BackupSettings, BackupStatus } from '../../shared/backup-contract';
import { SwitchboardError } from '../errors';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import { backupDatabase } from '../store/backup';
import type { Store } from '../store/open-database';
import { readArchiveHeader } from './archive-format';
import { machineKey, openArchiveKey, passphraseKey, type ArchiveKey } from './archive-keys';
import { DATABASE_ENTRY, readManifest, type ArchiveFile, type BackupManifest } from './backup-archive';
import { backupsToDelete, STALE_AFTER_MS } from './backup-policy';
import { inspectSnapshot } from './inspect-snapshot';
import { writeCheckedArchive } from './checked-archive';
import { isUpgradeCopy } from './upgrade-copy';
import {
  archiveSecretBox,
  ARCHIVE_SECRET_PREFIX,
  describeUnopened,
  resealDatabaseFile,
} from './portable-secrets';
import { MOVED_AWAY_FILE, stageRestore, type StagedRestore } from './restore-staging';
import { readJsonFile, writeJsonFileAtomic } from './json-file';

export const BACKUPS_FOLDER = 'backups';
export const MEDIA_FOLDER = 'media';
const ARCHIVE_SUFFIX = '.swbk';
const SETTINGS_FILE = 'settings.json';
const STATE_FILE = 'state.json';

interface StoredSettings {
  keepDaily: number;
  keepWeekly: number;
  secondFolder: string | null;
  /** The passphrase's derived key, sealed with the machine's key store, so daily backups need no typing. */
  passphrase: { salt: string; N: number; r: number; p: number; sealedKey: string } | null;
}

interface StoredState {
  lastGoodAt: number | null;
  lastGoodFile: string | null;
  lastError: { at: number; message: string } | null;
}

const DEFAULT_SETTINGS: StoredSettings = {
  keepDaily: 7,
  keepWeekly: 4,
  secondFolder: null,
  passphrase: null,
};

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
  configure(patch: {
    keepDaily?: number;
    keepWeekly?: number;
    secondFolder?: string | null;
    passphrase?: string | null;
  }): Promise<BackupSettings>;
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

export interface BackupListener {
  progressed?(progress: BackupProgress): void;
  changed?(): void;
}

export function createBackupService(options: BackupServiceOptions): BackupService {
  const { dataDir, store, secrets, logger, now } = options;
  const folder = join(dataDir, BACKUPS_FOLDER);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const settingsPath = join(folder, SETTINGS_FILE);
  const statePath = join(folder, STATE_FILE);
  let running: string | null = null;
  let progress: BackupProgress | null = null;
  const listeners = new Set<BackupListener>();
  const changed = () => {
    for (const listener of listeners) listener.changed?.();
  };

  const readSettings = (): StoredSettings => ({
    ...DEFAULT_SETTINGS,
    ...readJsonFile<StoredSettings>(settingsPath),
  });
  const readState = (): StoredState => ({
    lastGoodAt: null,
    lastGoodFile: null,
    lastError: null,
    ...readJsonFile<StoredState>(statePath),
  });

  const storedPassphraseKey = (): ArchiveKey | undefined => {
    const p = readSettings().passphrase;
    if (p === null) return undefined;
    const { sealedKey, ...params } = p;
    return {
      source: { source: 'passphrase', kdf: 'scrypt', ...params },
      masterKey: Buffer.from(secrets.open(sealedKey), 'base64'),
    };
  };
  const keyForNewBackup = (): ArchiveKey => storedPassphraseKey() ?? machineKey(secrets);
  const keyOf = async (file: string, passphrase?: string): Promise<Buffer> => {
    const header = await readArchiveHeader(file);
    const known = storedPassphraseKey();
    return openArchiveKey(header.key, {
      secrets,
      ...(passphrase !== undefined && { passphrase }),
      ...(known !== undefined && { knownPassphraseKey: known }),
    });
  };

  const protectionOf = (source: ArchiveKey['source']): BackupEntry['protection'] =>
    source.source === 'passphrase' ? 'passphrase' : 'this-computer';
  const readEntry = async (
    file: string,
    location: BackupEntry['location'],
    passphrase?: string,
  ): Promise<BackupEntry> => {
    const header = await readArchiveHeader(file);
    const manifest = await readManifest(file, await keyOf(file, passphrase));
    return entryOf(file, manifest, location, protectionOf(header.key));
  };

  const publicSettings = (): BackupSettings => {
    const s = readSettings();
    return {
      keepDaily: s.keepDaily,
      keepWeekly: s.keepWeekly,
      secondFolder: s.secondFolder,
      protection: s.passphrase === null ? 'this-computer' : 'passphrase',
      folder,
    };
  };

  async function make(
    kind: 'backup' | 'move',
    reason: string,
    destination: string,
    key: ArchiveKey,
    onProgress?: (p: BackupProgress) => void,
  ): Promise<BackupManifest> {
    let lastSent = -1;
    const report = (phase: BackupProgress['phase'], fraction: number) => {
      progress = { phase, fraction: Math.min(1, Math.max(0, fraction)), reason };
      onProgress?.(progress);
      // A percent at a time: a 1 GB backup must not flood the UI with thousands of events.
      const percent = Math.floor(progress.fraction * 100);
      if (percent === lastSent) return;
      lastSent = percent;
      for (const listener of listeners) listener.progressed?.(progress);
    };
    const work = join(folder, `.work-${now()}`);
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
      if (portable) await makeSecretsPortable(kind, snapshot, key);
      const contents = await inspectSnapshot(snapshot, { integrity: false });
      const media = listMedia(join(dataDir, MEDIA_FOLDER));
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
    kind: 'backup' | 'move',
    snapshot: string,
    key: ArchiveKey,
  ): Promise<void> {
    const result = await resealDatabaseFile(snapshot, {
      from: secrets,
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
    logger.warn(
      'backup.secrets_not_portable',
      "Some stored keys could not be opened with this computer's key store; the backup keeps them sealed for this computer only",
      { unopened: what },
    );
  }

  async function exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (running !== null) {
      throw new SwitchboardError('CONFLICT', `A ${running} is running; wait for it to finish.`);
    }
    running = what;
    try {
      return await fn();
    } finally {
      running = null;
      progress = null;
      changed();
    }
  }

  const entryOf = (
    path: string,
    manifest: BackupManifest,
    location: BackupEntry['location'],
    protection: BackupEntry['protection'],
  ): BackupEntry => ({
    protection,
    file: path,
    name: basename(path),
    location,
    bytes: statSync(path).size,
    kind: manifest.kind,
    reason: manifest.reason,
    createdAt: manifest.createdAt,
    workspaces: manifest.workspaces,
    numbers: manifest.numbers,
    mediaFiles: manifest.mediaFiles,
  });

  async function prune(dir: string): Promise<void> {
    const s = readSettings();
    // The copy made before an upgrade stays until the next upgrade replaces it.
    const archives = listArchives(dir)
      .filter((path) => !isUpgradeCopy(basename(path)))
      .map((path) => ({ path, createdAt: createdAtOf(path) }));
    for (const old of backupsToDelete(archives, { daily: s.keepDaily, weekly: s.keepWeekly })) {
      await rm(old.path, { force: true });
    }
  }

  return {
    settings: publicSettings,
    async configure(patch) {
      const current = readSettings();
      const next: StoredSettings = { ...current };
      if (patch.keepDaily !== undefined) next.keepDaily = patch.keepDaily;
      if (patch.keepWeekly !== undefined) next.keepWeekly = patch.keepWeekly;
      if (patch.secondFolder !== undefined) next.secondFolder = patch.secondFolder;
      if (patch.passphrase === null) next.passphrase = null;
      if (typeof patch.passphrase === 'string') {
        const key = await passphraseKey(patch.passphrase);
        if (key.source.source !== 'passphrase') throw new Error('unreachable');
        const { salt, N, r, p } = key.source;
        next.passphrase = { salt, N, r, p, sealedKey: secrets.seal(key.masterKey.toString('base64')) };
      }
      writeJsonFileAtomic(settingsPath, next);
      changed();
      logger.info('backup.configured', 'Backup settings changed', {
        keepDaily: next.keepDaily,
        keepWeekly: next.keepWeekly,
        secondFolder: next.secondFolder,
        protection: next.passphrase === null ? 'this-computer' : 'passphrase',
      });
      return publicSettings();
    },
    status() {
      const state = readState();
      const s = readSettings();
      const at = now();
      return {
        running: running === null ? null : (progress ?? { phase: 'copying', fraction: 0, reason: running }),
        lastGoodAt: state.lastGoodAt,
        lastError: state.lastError,
        stale: state.lastGoodAt === null || at - state.lastGoodAt > STALE_AFTER_MS,
        secondFolder: s.secondFolder,
        secondFolderMissing: s.secondFolder !== null && !existsSync(s.secondFolder),
        movedAway: readJsonFile<{ at: number; archive: string }>(join(dataDir, MOVED_AWAY_FILE)),
      };
    },
    create(reason, onProgress) {
      return exclusive('backup', async () => {
        const createdAt = now();
        const destination = join(folder, archiveName(createdAt, reason));
        try {
          const key = keyForNewBackup();
          const manifest = await make('backup', reason, destination, key, onProgress);
          writeJsonFileAtomic(statePath, {
            ...readState(),
            lastGoodAt: manifest.createdAt,
            lastGoodFile: destination,
            lastError: null,
          });
          logger.info('backup.written', 'Backup written and checked', {
            file: destination,
            reason,
            bytes: statSync(destination).size,
            mediaFiles: manifest.mediaFiles,
          });
          await prune(folder);
          const second = readSettings().secondFolder;
          if (second !== null) await copyToSecondFolder(destination, second);
          return entryOf(destination, manifest, 'data-folder', protectionOf(key.source));
        } catch (error) {
          const message =
            error instanceof SwitchboardError
              ? error.message
              : `The backup failed: ${(error as Error).message}`;
          writeJsonFileAtomic(statePath, { ...readState(), lastError: { at: now(), message } });
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
      });
    },
    async list() {
      const second = readSettings().secondFolder;
      const found = [
        ...listArchives(folder).map((file) => ({ file, location: 'data-folder' as const })),
        ...(second !== null && existsSync(second)
          ? listArchives(second).map((file) => ({ file, location: 'second-folder' as const }))
          : []),
      ];
      const entries: BackupEntry[] = [];
      for (const { file, location } of found) {
        try {
          entries.push(await readEntry(file, location));
        } catch (error) {
          logger.warn('backup.unreadable', `A backup could not be read: ${(error as Error).message}`, {
            file,
          });
        }
      }
      return entries.sort((a, b) => b.createdAt - a.createdAt);
    },
    inspect(file, passphrase) {
      return readEntry(file, 'elsewhere', passphrase);
    },
    stageRestore(file, passphrase) {
      return exclusive('restore', async () => {
        const key = await keyOf(file, passphrase);
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
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    createMoveArchive(destination, passphrase) {
      return exclusive('move', async () => {
        if (existsSync(destination)) {
          throw new SwitchboardError('CONFLICT', `${destination} already exists; choose another name.`);
        }
        const key = await passphraseKey(passphrase);
        const manifest = await make('move', 'move', destination, key);
        // The old install must never connect again: two PCs on one WhatsApp session fight (440 conflicts).
        writeJsonFileAtomic(join(dataDir, MOVED_AWAY_FILE), { at: manifest.createdAt, archive: destination });
        logger.warn(
          'backup.moved_away',
          'This install was moved to another computer and will not connect again',
          {
            file: destination,
          },
        );
        return entryOf(destination, manifest, 'elsewhere', 'passphrase');
      });
    },
  };
}

async function copyToSecondFolder(archive: string, second: string): Promise<void> {
  if (!existsSync(second)) return; // Home warns that it is missing.
  const target = join(second, basename(archive));
  await copyFile(archive, `${target}.partial`);
  await rename(`${target}.partial`, target);
}

function archiveName(at: number, reason: string): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `switchboard-${stamp}-${at}-${reason.replace(/[^a-z0-9-]/gi, '')}${ARCHIVE_SUFFIX}`;
}

function createdAtOf(path: string): number {
  const match = /-(\d{10,})-[a-z0-9-]*\.swbk$/i.exec(basename(path));
  return match === null ? statSync(path).mtimeMs : Number(match[1]);
}

function listArchives(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(ARCHIVE_SUFFIX))
    .map((name) => join(dir, name));
}

/**
 * Media files by content-hash name; a file still being written is not one of them: a temporary name,
 * or anything in the media store's own `tmp/` folder (downloads land there before their rename).
 */
function listMedia(root: string): ArchiveFile[] {
  if (!existsSync(root)) return [];
  const files: ArchiveFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || /\.(partial|tmp)$/.test(entry.name)) continue;
      if (dir === root && entry.name === 'tmp') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile())
        files.push({ name: `${MEDIA_FOLDER}/${relative(root, path).split('\\').join('/')}`, path });
    }
  };
  walk(root);
  return files;
}
