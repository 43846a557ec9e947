import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

/** The raw connection (as open-database's SqliteConnection; named here so the two files do not import each other). */
type SqliteConnection = BetterSqlite3.Database;

/** Where the copy made before an upgrade goes: the data folder's backups folder. */
export const upgradeCopyPath = (databasePath: string, fromSchema: string): string =>
  join(dirname(databasePath), 'backups', `before-upgrade-${fromSchema}.db`);

/** The migrations this file has applied (none for a new file). */
export function appliedMigrations(sqlite: SqliteConnection, table: string): string[] {
  const exists = sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(table);
  if (exists === undefined) return [];
  return sqlite.prepare(`select name from ${table} order by name`).pluck().all() as string[];
}

/**
 * A copy of the database before migrations change it, through SQLite's backup API (consistent, the
 * write-ahead log included). It stays until the next upgrade replaces it: a version that turns out to
 * be wrong after its migrations ran can still be gone back from. Older copies are removed.
 */
export async function copyBeforeUpgrade(
  sqlite: SqliteConnection,
  databasePath: string,
  fromSchema: string,
): Promise<string> {
  const copy = upgradeCopyPath(databasePath, fromSchema);
  mkdirSync(dirname(copy), { recursive: true, mode: 0o700 });
  for (const name of readdirSync(dirname(copy))) {
    if (name.startsWith('before-upgrade-')) rmSync(join(dirname(copy), name), { force: true });
  }
  await sqlite.backup(`${copy}.partial`);
  renameSync(`${copy}.partial`, copy);
  return copy;
}

/** Puts the pre-upgrade copy back after a failed upgrade (the database must be closed). */
export function putBackBeforeUpgrade(databasePath: string, copy: string): void {
  for (const suffix of ['-wal', '-shm']) rmSync(databasePath + suffix, { force: true });
  if (existsSync(copy)) renameSync(copy, databasePath);
}
