import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SwitchboardError } from '../errors';
import { inspectExistingFile } from '../store/open-database';
import { DATABASE_ENTRY, extractArchive, type BackupManifest } from './backup-archive';
import { inspectSnapshot } from './inspect-snapshot';
import {
  archiveSecretBox,
  ARCHIVE_SECRET_PREFIX,
  describeUnopened,
  resealDatabaseFile,
} from './portable-secrets';
import type { SecretBox } from '../secrets/secret-box';
import { readJsonFile, writeJsonFileAtomic } from './json-file';

/** Written when a move archive is made: this install never connects again. */
export const MOVED_AWAY_FILE = 'moved-away.json';
const STAGING = 'restore-staging';
const READY = 'ready.json';

export interface StagedRestore {
  archive: string;
  createdAt: number;
  kind: BackupManifest['kind'];
  /** The folder the current data is moved into, so a wrong restore can be undone. */
  keptBesideAs: string;
  /** Numbers with a WhatsApp session in the backup: they reconnect by themselves. */
  reconnects: string[];
  /** Numbers without one: the owner scans a QR for each. */
  needScan: string[];
}

/**
 * Unpacks a backup into `<dataDir>/restore-staging` and checks it whole (every frame, every file's
 * hash, SQLite's integrity check, a schema this version knows) while the app keeps running. Nothing of
 * the current data changes until `applyPendingRestore` runs at the next start, with the database closed.
 */
export async function stageRestore(options: {
  dataDir: string;
  archive: string;
  masterKey: Buffer;
  /** This computer's key store: the secrets an archive carries under its own key are sealed with it. */
  secrets: SecretBox;
  now: number;
}): Promise<StagedRestore> {
  const staging = join(options.dataDir, STAGING);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  try {
    const files = join(staging, 'files');
    const manifest = await extractArchive(options.archive, options.masterKey, files);
    const db = join(files, DATABASE_ENTRY);
    inspectExistingFile(db); // refuses a database from a newer version, with its own message
    const contents = await inspectSnapshot(db, { integrity: true });
    if (contents.integrity.join() !== 'ok') {
      throw new SwitchboardError(
        'BACKUP_FAILED',
        `The database in ${options.archive} is damaged; pick an older backup.`,
      );
    }
    const resealed = await resealDatabaseFile(db, {
      from: archiveSecretBox(options.masterKey),
      to: options.secrets,
      which: (sealed) => sealed.startsWith(ARCHIVE_SECRET_PREFIX),
    });
    if (resealed.unopened.length > 0) {
      throw new SwitchboardError(
        'BACKUP_FAILED',
        `The stored keys in ${options.archive} are damaged (${describeUnopened(resealed.unopened)}); pick another backup.`,
      );
    }
    const staged: StagedRestore = {
      archive: options.archive,
      createdAt: manifest.createdAt,
      kind: manifest.kind,
      keptBesideAs: join(options.dataDir, `before-restore-${options.now}`),
      reconnects: contents.numbers.filter((n) => n.hasSession || n.provider !== 'baileys').map((n) => n.e164),
      needScan: contents.numbers.filter((n) => !n.hasSession && n.provider === 'baileys').map((n) => n.e164),
    };
    writeJsonFileAtomic(join(staging, READY), staged);
    return staged;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

export function pendingRestore(dataDir: string): StagedRestore | undefined {
  return readJsonFile<StagedRestore>(join(dataDir, STAGING, READY));
}

/**
 * Puts a staged backup in place (the database must be closed): the current database, its WAL and the
 * media move into `before-restore-<time>/`, the staged files take their place. Safe to run again after a
 * power cut half-way: each step moves a file only if it is still where the step expects it.
 */
export function applyPendingRestore(dataDir: string): StagedRestore | undefined {
  const staged = pendingRestore(dataDir);
  if (staged === undefined) return undefined;
  const files = join(dataDir, STAGING, 'files');
  const beside = staged.keptBesideAs;
  mkdirSync(beside, { recursive: true, mode: 0o700 });
  const incoming = existsSync(files) ? readdirSync(files) : [];
  const replaced = new Set([...incoming, `${DATABASE_ENTRY}-wal`, `${DATABASE_ENTRY}-shm`]);
  for (const name of replaced) {
    const current = join(dataDir, name);
    // Once the staged file is gone from staging it is already in place: do not move it away again.
    if (existsSync(current) && (existsSync(join(files, name)) || name.startsWith(`${DATABASE_ENTRY}-`))) {
      renameSync(current, join(beside, name));
    }
  }
  for (const name of incoming) renameSync(join(files, name), join(dataDir, name));
  rmSync(join(dataDir, STAGING), { recursive: true, force: true });
  return staged;
}
