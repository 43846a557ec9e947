import { dirname } from 'node:path';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, type Transaction } from 'kysely';
import { SwitchboardError } from '../errors';
import { SwitchboardSqliteDialect } from './dialect';
import { MIGRATION_NAMES, migrationProvider } from './migrations/index';
import type { Database } from './schema';
import { appliedMigrations } from './upgrade-guard';
import { createEncryptedUpgradeCopier, type UpgradeCopier } from '../backup/upgrade-copy';
import { createFileKeySecretBox } from '../secrets/file-key-secret-box';

export type SqliteConnection = BetterSqlite3.Database;

export interface OpenDatabaseOptions {
  /** A file path, or ':memory:' for throw-away stores in tests. */
  path: string;
  /**
   * 'full' fsyncs the write-ahead log on every commit: a power cut never loses a message that was
   * acknowledged. 'normal' is faster and still never corrupts, but may lose the last commits.
   */
  durability?: 'full' | 'normal';
  busyTimeoutMs?: number;
  /** Stop migrating at this migration (inclusive). Only migration tests use it. */
  migrateTo?: string;
  /**
   * Keeps the encrypted copy made before migrations run. The app passes one sealed with its key store;
   * the default seals with the key file beside the database.
   */
  upgradeCopier?: UpgradeCopier;
}

export interface Store {
  readonly path: string;
  readonly db: Kysely<Database>;
  /** The latest migration applied to this file. */
  readonly schemaVersion: string;
  /** Every multi-statement change goes through here: all of it commits, or none of it does. */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs synchronous work on the raw connection while no kysely query or transaction is in flight
   * (it holds kysely's connection lock). For hot paths inside store/ only: batched event-log writes,
   * prepared statements, the backup API.
   */
  exclusive<T>(fn: (sqlite: SqliteConnection) => T): Promise<T>;
  close(): Promise<void>;
}

const SQLITE_HEADER = 'SQLite format 3\0';
const MIGRATION_TABLE = 'kysely_migration';

export async function openDatabase(options: OpenDatabaseOptions): Promise<Store> {
  const { path } = options;
  if (path !== ':memory:' && existsSync(path)) inspectExistingFile(path);
  const sqlite = connect(options);
  const upgrade = await copyBeforeUpgrade(sqlite, options);
  const db = new Kysely<Database>({ dialect: new SwitchboardSqliteDialect({ database: sqlite }) });
  try {
    const schemaVersion = await migrate(db, options.migrateTo);
    sqlite.pragma(`user_version = ${MIGRATION_NAMES.indexOf(schemaVersion) + 1}`);
    return createStore(path, db, sqlite, schemaVersion);
  } catch (error) {
    await db.destroy();
    if (upgrade === undefined) throw asOpenError(path, error);
    return upgradeFailed(path, error, upgrade);
  }
}

/** The connection, set up: busy timeout, foreign keys, the write-ahead log and the durability asked for. */
function connect(options: OpenDatabaseOptions): SqliteConnection {
  const { path } = options;
  const inMemory = path === ':memory:';
  let sqlite: SqliteConnection;
  try {
    sqlite = new BetterSqlite3(path);
  } catch (error) {
    throw new SwitchboardError(
      'DATABASE_UNAVAILABLE',
      `Could not open the database at ${path}: ${(error as Error).message}. Check that the folder exists and ` +
        'that this user may write to it.',
      { path },
      { cause: error },
    );
  }
  try {
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    sqlite.pragma('foreign_keys = ON');
    if (!inMemory) {
      const mode = sqlite.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`could not switch to WAL (journal mode is ${String(mode)})`);
    }
    sqlite.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
  } catch (error) {
    sqlite.close();
    throw asOpenError(path, error);
  }
  return sqlite;
}

/** The copy made before an upgrade, and how to put it back. */
interface UpgradeCopy {
  applied: string[];
  copy: string;
  putBack: (copy: string) => Promise<void>;
}

/**
 * Before migrations change a database that has data: a copy, put back if the upgrade fails.
 * Undefined when nothing is to be migrated (or the store is in memory).
 */
async function copyBeforeUpgrade(
  sqlite: SqliteConnection,
  options: OpenDatabaseOptions,
): Promise<UpgradeCopy | undefined> {
  const { path } = options;
  const applied = path === ':memory:' ? [] : appliedMigrations(sqlite, MIGRATION_TABLE);
  const target = options.migrateTo ?? MIGRATION_NAMES.at(-1) ?? '';
  if (applied.length === 0 || !MIGRATION_NAMES.some((name) => name <= target && !applied.includes(name))) {
    return undefined;
  }
  try {
    const copier =
      options.upgradeCopier ??
      createEncryptedUpgradeCopier(createFileKeySecretBox({ dataDir: dirname(path) }));
    const copy = await copier.write(sqlite, path, applied.at(-1)!);
    return { applied, copy, putBack: (c) => copier.putBack(path, c) };
  } catch (error) {
    sqlite.close();
    throw new SwitchboardError(
      'BACKUP_FAILED',
      `Switchboard could not copy the database before upgrading it (${(error as Error).message}), so it ` +
        'did not upgrade. Free some disk space and start again.',
      { path },
      { cause: error },
    );
  }
}

/** A failed upgrade: the copy goes back, and the owner is told what happened and what to do. */
async function upgradeFailed(path: string, error: unknown, upgrade: UpgradeCopy): Promise<never> {
  const { applied, copy: upgradeCopy } = upgrade;
  try {
    await upgrade.putBack(upgradeCopy);
  } catch (putBackError) {
    throw new SwitchboardError(
      'DATABASE_UNAVAILABLE',
      `Upgrading the database to this version of Switchboard failed (${(error as Error).message}), and ` +
        `putting back the copy made before the upgrade failed too (${(putBackError as Error).message}). ` +
        `Nothing was deleted: the copy is ${upgradeCopy}. Install the previous version again and restore ` +
        'that file from Settings › Backups, or ask your reseller.',
      { path, copy: upgradeCopy },
      { cause: error },
    );
  }
  const failed =
    typeof (error as SwitchboardError).details?.failed === 'string'
      ? ((error as SwitchboardError).details!.failed as string)
      : 'unknown';
  throw new SwitchboardError(
    'DATABASE_UNAVAILABLE',
    `Upgrading the database to this version of Switchboard failed at step ${failed} ` +
      `(${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}). Your data was ` +
      `put back exactly as it was before the upgrade (schema ${applied.at(-1)}). Install the previous version ` +
      `again and tell your reseller; nothing was lost. The encrypted copy stays in ${upgradeCopy}.`,
    { path, failed, restoredSchema: applied.at(-1), copy: upgradeCopy },
    { cause: error },
  );
}

function createStore(
  path: string,
  db: Kysely<Database>,
  sqlite: SqliteConnection,
  schemaVersion: string,
): Store {
  let closed = false;
  return {
    path,
    db,
    schemaVersion,
    transaction: (fn) => db.transaction().execute(fn),
    exclusive: (fn) => db.connection().execute(() => Promise.resolve(fn(sqlite))),
    async close() {
      if (closed) return;
      closed = true;
      // Fold the write-ahead log back into the main file so a copy of the file alone is complete.
      await db.connection().execute(() => {
        try {
          sqlite.pragma('wal_checkpoint(TRUNCATE)');
        } catch {
          // Another connection may hold the log; the next open checkpoints it.
        }
        return Promise.resolve();
      });
      await db.destroy();
    },
  };
}

/**
 * Refuse, before writing a byte, a file that is not ours to open: not SQLite at all, damaged, or
 * written by a newer Switchboard whose schema this version does not know.
 */
export function inspectExistingFile(path: string): void {
  const size = statSync(path).size;
  if (size === 0) return; // SQLite treats an empty file as an empty database.
  const header = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_HEADER) throw notADatabase(path);

  let probe: SqliteConnection | undefined;
  try {
    probe = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    const check = probe.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') throw corrupt(path, String(check));
    const hasMigrations = probe
      .prepare(`select 1 from sqlite_master where type = 'table' and name = ?`)
      .get(MIGRATION_TABLE);
    if (hasMigrations === undefined) return;
    const applied = probe
      .prepare(`select name from ${MIGRATION_TABLE} order by name`)
      .pluck()
      .all() as string[];
    const unknown = applied.filter((name) => !MIGRATION_NAMES.includes(name));
    if (unknown.length > 0) {
      throw new SwitchboardError(
        'DATABASE_TOO_NEW',
        `The database at ${path} was written by a newer version of Switchboard (schema ${unknown.at(-1)}). ` +
          'Install that version or newer to open it; this version has left the file untouched.',
        { path, unknownMigrations: unknown },
      );
    }
  } catch (error) {
    if (error instanceof SwitchboardError) throw error;
    throw asOpenError(path, error);
  } finally {
    probe?.close();
  }
}

async function migrate(db: Kysely<Database>, upTo: string | undefined): Promise<string> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider(upTo),
    migrationTableName: MIGRATION_TABLE,
  });
  const { error, results } =
    upTo === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(upTo);
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new SwitchboardError(
      'INTERNAL',
      `Upgrading the database failed at migration ${failed}.`,
      { failed },
      {
        cause: error,
      },
    );
  }
  const applied = (await migrator.getMigrations()).filter((m) => m.executedAt !== undefined);
  return applied.at(-1)?.name ?? '';
}

function asOpenError(path: string, error: unknown): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB') return notADatabase(path);
  if (code.startsWith('SQLITE_CORRUPT')) return corrupt(path, (error as Error).message);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new SwitchboardError(
      'DATABASE_UNAVAILABLE',
      `The database at ${path} is locked by another program. Close other copies of Switchboard and try again.`,
      { path },
      { cause: error },
    );
  }
  return new SwitchboardError(
    'DATABASE_UNAVAILABLE',
    `Could not open the database at ${path}: ${(error as Error).message}`,
    { path },
    { cause: error },
  );
}

function notADatabase(path: string): SwitchboardError {
  return new SwitchboardError(
    'DATABASE_CORRUPT',
    `The file at ${path} is not a Switchboard database. Restore a backup, or move the file away to start ` +
      'with an empty database; it has not been changed.',
    { path },
  );
}

function corrupt(path: string, detail: string): SwitchboardError {
  return new SwitchboardError(
    'DATABASE_CORRUPT',
    `The database at ${path} is damaged (${detail}). Restore the latest backup; the file has not been changed.`,
    { path, detail },
  );
}
