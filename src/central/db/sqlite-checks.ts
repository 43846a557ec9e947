import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { CentralError } from '../errors';
import { isDamageError } from './damage';

/**
 * Checks made before the server takes a request, as the desktop's store does (core/store/open-database):
 * a folder or file this user may not write, and a damaged file, are refused at start with what to fix,
 * rather than answering 500 to every write (clients would retry for ever) or writing into damage.
 */
export function checkSqliteLocation(path: string): void {
  if (path === ':memory:') return;
  const folder = dirname(path);
  if (existsSync(folder) && !writable(folder)) {
    throw new CentralError(
      'UNAVAILABLE',
      `The folder ${folder} is read-only for this user, and the central server keeps its SQLite database ` +
        'there (central.db with its -wal and -shm files, made next to it). Make the folder writable for the ' +
        'user running the server, or start it with --data-dir pointing at a writable folder.',
    );
  }
  if (existsSync(path) && !writable(path)) throw readOnlyFile(path);
}

/** After opening: the file is whole (quick_check) and takes writes. */
export function checkSqliteFile(sqlite: BetterSqlite3.Database, path: string): void {
  if (path === ':memory:') return;
  try {
    const check = sqlite.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') throw damagedAtStart(path, String(check));
    // Writes the header's user_version (unused by the central server) as it is: refused on a read-only file.
    const version = sqlite.pragma('user_version', { simple: true }) as number;
    sqlite.pragma(`user_version = ${version}`);
  } catch (error) {
    throw asStartError(path, error);
  }
}

/** What an error while opening or checking the file means for whoever starts the server. */
export function asStartError(path: string, error: unknown): unknown {
  if (error instanceof CentralError) return error;
  if (isDamageError(error)) return damagedAtStart(path, (error as Error).message);
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_READONLY' || (typeof code === 'string' && code.startsWith('SQLITE_READONLY_')))
    return readOnlyFile(path);
  return error;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function readOnlyFile(path: string): CentralError {
  return new CentralError(
    'UNAVAILABLE',
    `The database file ${path} is read-only: the central server would answer every upload with an error. ` +
      'Make it (and its -wal and -shm files, if any) writable for the user running the server.',
  );
}

function damagedAtStart(path: string, detail: string): CentralError {
  return new CentralError(
    'UNAVAILABLE',
    `The central database at ${path} is damaged (${detail.replace(/\s+/g, ' ').trim()}). Restore the latest backup of it (stop the ` +
      'server, replace central.db and remove central.db-wal and central.db-shm); the server has not written to it.',
  );
}
