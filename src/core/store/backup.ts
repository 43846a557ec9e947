import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SwitchboardError } from '../errors';
import { inspectExistingFile, type SqliteConnection, type Store } from './open-database';

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
  /** 0..1, for a progress bar. */
  fraction: number;
}

export interface BackupResult {
  path: string;
  bytes: number;
  durationMs: number;
}

/** Pages copied per step: small enough that the app stays responsive between steps. */
const PAGES_PER_STEP = 256;

/**
 * Copies the live database to `destination` with SQLite's online backup API. The app keeps working
 * meanwhile: the copy runs in steps between other work, and because it reads through the store's own
 * connection, writes made during the backup are carried into the copy instead of restarting it. The
 * result is the database as it was when the last step ran, consistent and complete.
 */
export async function backupDatabase(
  store: Store,
  destination: string,
  options: { onProgress?: (progress: BackupProgress) => void; pagesPerStep?: number } = {},
): Promise<BackupResult> {
  if (destination === store.path) {
    throw new SwitchboardError('BACKUP_FAILED', 'Choose a backup location other than the database itself.');
  }
  const started = Date.now();
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  const sqlite = await store.exclusive((connection) => connection);
  try {
    await runBackup(sqlite, partial, options.pagesPerStep ?? PAGES_PER_STEP, options.onProgress);
    // Only a finished copy gets the real name: an interrupted backup never looks like a good one.
    renameSync(partial, destination);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new SwitchboardError(
      'BACKUP_FAILED',
      `The backup to ${destination} failed: ${(error as Error).message}. Check that the folder exists and has ` +
        'free space, then try again.',
      { destination },
      { cause: error },
    );
  }
  return { path: destination, bytes: statSync(destination).size, durationMs: Date.now() - started };
}

async function runBackup(
  source: SqliteConnection,
  destination: string,
  pagesPerStep: number,
  onProgress?: (progress: BackupProgress) => void,
): Promise<void> {
  let total = 0;
  await source.backup(destination, {
    progress({ totalPages, remainingPages }) {
      total = totalPages;
      onProgress?.({
        totalPages,
        remainingPages,
        fraction: totalPages === 0 ? 1 : (totalPages - remainingPages) / totalPages,
      });
      return pagesPerStep;
    },
  });
  // SQLite reports before each step, so the last report is never "done": say it once the copy is whole.
  onProgress?.({ totalPages: total, remainingPages: 0, fraction: 1 });
}

/**
 * Replaces the database at `path` with a backup. The store at `path` must be closed first (the app
 * closes it, restores, and opens it again). The backup is checked before anything changes: not SQLite,
 * damaged, or from a newer version -> refused, and the current database is left as it was. The
 * replaced database is kept beside it as `<name>.before-restore-<time>` so a wrong restore can be undone.
 */
export async function restoreDatabase(options: { path: string; backupPath: string; now?: number }): Promise<{
  previousCopy: string | null;
}> {
  const { path, backupPath } = options;
  if (!existsSync(backupPath)) {
    throw new SwitchboardError('NOT_FOUND', `There is no backup file at ${backupPath}.`, { backupPath });
  }
  inspectExistingFile(backupPath);

  const staging = join(dirname(path), `.${basename(path)}.restoring`);
  rmSync(staging, { force: true });
  const source = new BetterSqlite3(backupPath, { readonly: true, fileMustExist: true });
  try {
    await runBackup(source, staging, 4096);
  } catch (error) {
    rmSync(staging, { force: true });
    throw new SwitchboardError('BACKUP_FAILED', `Could not read the backup: ${(error as Error).message}`, {
      backupPath,
    });
  } finally {
    source.close();
  }

  let previousCopy: string | null = null;
  if (existsSync(path)) {
    previousCopy = `${path}.before-restore-${options.now ?? Date.now()}`;
    renameSync(path, previousCopy);
  }
  // A leftover write-ahead log belongs to the replaced file; applied to the restored one it would corrupt it.
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) {
      if (previousCopy !== null) renameSync(path + suffix, previousCopy + suffix);
      else rmSync(path + suffix, { force: true });
    }
  }
  renameSync(staging, path);
  return { previousCopy };
}
