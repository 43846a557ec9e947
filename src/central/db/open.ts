import { setTimeout as delay } from 'node:timers/promises';
import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import { CentralError } from '../errors';
import { damagedError, isDamageError, WriteGuardPlugin } from './damage';
import { CENTRAL_MIGRATION_TABLE, centralMigrationProvider } from './migrations/index';
import { createPostgresKysely, redactUrl, type PostgresConfig } from './open-postgres';
import { createSqliteKysely, type SqliteConfig } from './open-sqlite';
import type { CentralSchema } from './schema';

export type { PostgresConfig } from './open-postgres';
export type { SqliteConfig } from './open-sqlite';
export type DatabaseConfig = SqliteConfig | PostgresConfig;
export type DatabaseKind = DatabaseConfig['kind'];
/** The database or a transaction on it: functions that read or write take either. */
export type CentralDb = Kysely<CentralSchema>;

export interface CentralDatabase {
  readonly kind: DatabaseKind;
  readonly db: Kysely<CentralSchema>;
  /** Where the data lives, for logs (never a password). */
  readonly location: string;
  /** The latest migration applied. */
  readonly schemaVersion: string;
  /**
   * All of it commits or none of it does. On PostgreSQL a deadlock or serialization failure is retried
   * (a few times, with jitter), so `fn` must be safe to run again: ours only write inside it.
   */
  transaction<T>(fn: (trx: Transaction<CentralSchema>) => Promise<T>): Promise<T>;
  /**
   * Set once the database said it is damaged (see `noteFailure`): from then on every write is refused
   * with 503 before it reaches the database, and health and the dashboard say so. Null while whole.
   */
  readonly damaged: string | null;
  /** Looks at a failed query's error: a damage error marks the database damaged. True when it did now. */
  noteFailure(error: unknown): boolean;
  close(): Promise<void>;
}

export interface OpenCentralDatabaseOptions {
  /** Stop migrating at this migration (inclusive). Only migration tests use it. */
  migrateTo?: string;
  /** Where a PostgreSQL pool reports a lost idle connection. */
  log?: (line: string) => void;
}

export async function openCentralDatabase(
  config: DatabaseConfig,
  options: OpenCentralDatabaseOptions = {},
): Promise<CentralDatabase> {
  switch (config.kind) {
    case 'sqlite':
      return openSqlite(config, options);
    case 'postgres':
      return openPostgres(config, options);
  }
}

async function openSqlite(
  config: SqliteConfig,
  options: OpenCentralDatabaseOptions,
): Promise<CentralDatabase> {
  let opened: ReturnType<typeof createSqliteKysely>;
  try {
    opened = createSqliteKysely(config);
  } catch (error) {
    if (error instanceof CentralError) throw error;
    throw new CentralError(
      'UNAVAILABLE',
      `Could not open the SQLite database at ${config.path}: ${(error as Error).message}. Check that the ` +
        'folder exists, that this user may write to it, and that the file is a central database.',
      { cause: error },
    );
  }
  const { db: unguarded, checkpoint } = opened;
  try {
    return guardedDatabase({
      kind: 'sqlite',
      unguarded,
      location: config.path,
      schemaVersion: await migrate(unguarded, config.path, undefined, options.migrateTo),
      transaction: (run) => run(),
      async close() {
        // Fold the write-ahead log back into the main file so a copy of the file alone is complete.
        await unguarded.connection().execute(() => Promise.resolve(checkpoint()));
        await unguarded.destroy();
      },
    });
  } catch (error) {
    await unguarded.destroy();
    throw error;
  }
}

async function openPostgres(
  config: PostgresConfig,
  options: OpenCentralDatabaseOptions,
): Promise<CentralDatabase> {
  const location = redactUrl(config.url);
  const log = options.log ?? (() => undefined);
  const { db } = createPostgresKysely(config, (error) =>
    log(`PostgreSQL connection lost (${error.message}); the pool will reconnect`),
  );
  try {
    let schema: string | null;
    try {
      const result = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
      schema = result.rows[0]?.schema ?? null;
    } catch (error) {
      throw new CentralError(
        'UNAVAILABLE',
        `Could not connect to PostgreSQL at ${location}: ${describe(error)}. Check DATABASE_URL and that ` +
          'the server is running and accepts this user.',
        { cause: error },
      );
    }
    if (schema === null) {
      throw new CentralError(
        'UNAVAILABLE',
        `PostgreSQL at ${location} has no schema to write to: the search_path names none that exists. ` +
          'Create the schema or fix the search_path.',
      );
    }
    const readOnly = await sql<{
      read_only: string;
    }>`select current_setting('transaction_read_only') as read_only`.execute(db);
    if (readOnly.rows[0]?.read_only === 'on') {
      throw new CentralError(
        'UNAVAILABLE',
        `PostgreSQL at ${location} takes no writes (transaction_read_only is on): it is a standby, or ` +
          'default_transaction_read_only is set for this database or user. Point DATABASE_URL at the ' +
          'primary server, or turn the setting off (alter database/role ... reset default_transaction_read_only).',
      );
    }
    return guardedDatabase({
      kind: 'postgres',
      unguarded: db,
      location: schema === 'public' ? location : `${location} (schema ${schema})`,
      schemaVersion: await migrate(db, location, schema, options.migrateTo),
      transaction: retryingConflicts,
      close: () => db.destroy(),
    });
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

async function migrate(
  db: Kysely<CentralSchema>,
  location: string,
  schema: string | undefined,
  upTo: string | undefined,
): Promise<string> {
  const migrator = new Migrator({
    db,
    provider: centralMigrationProvider(upTo),
    migrationTableName: CENTRAL_MIGRATION_TABLE,
    migrationLockTableName: `${CENTRAL_MIGRATION_TABLE}_lock`,
    // Kysely looks for its tables in every schema unless told which: with several central databases
    // in one PostgreSQL database (one schema each), it would find another's.
    ...(schema !== undefined && { migrationTableSchema: schema }),
  });
  const { error, results } =
    upTo === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(upTo);
  if (error !== undefined) {
    const text = describe(error);
    const missing = /previously executed migration (\S+) is missing/.exec(text);
    if (missing !== null) {
      throw new CentralError(
        'UNAVAILABLE',
        `The central database at ${location} was written by a newer version of the central server ` +
          `(migration ${missing[1]}). Run that version or newer; this one has left the database untouched.`,
      );
    }
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new CentralError(
      'INTERNAL',
      `Upgrading the central database at ${location} failed at migration ${failed}: ${text}`,
      { cause: error },
    );
  }
  const applied = (await migrator.getMigrations()).filter((m) => m.executedAt !== undefined);
  return applied.at(-1)?.name ?? '';
}

/**
 * The open database as its users see it: writes refused once it is damaged, transactions run through
 * the dialect's `transaction` wrapper (PostgreSQL retries conflicts), and `close` done once only.
 */
function guardedDatabase(parts: {
  kind: DatabaseKind;
  unguarded: Kysely<CentralSchema>;
  location: string;
  schemaVersion: string;
  transaction: <T>(run: () => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
}): CentralDatabase {
  const damage = damageTracker();
  const db = parts.unguarded.withPlugin(damage.guard);
  let closed = false;
  return {
    kind: parts.kind,
    db,
    location: parts.location,
    schemaVersion: parts.schemaVersion,
    transaction: (fn) => parts.transaction(() => db.transaction().execute(fn)),
    get damaged() {
      return damage.detail();
    },
    noteFailure: damage.note,
    async close() {
      if (closed) return;
      closed = true;
      await parts.close();
    },
  };
}

/** The damage state of one open database and the plugin that refuses writes once there is some. */
function damageTracker() {
  let refusal: CentralError | null = null;
  let detail: string | null = null;
  return {
    guard: new WriteGuardPlugin(() => refusal),
    detail: () => detail,
    note: (error: unknown): boolean => {
      if (detail !== null || !isDamageError(error)) return false;
      detail = describe(error);
      refusal = damagedError(detail);
      return true;
    },
  };
}

const RETRYABLE = new Set(['40001', '40P01']);

async function retryingConflicts<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 4 || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
      await delay(Math.random() * 20 * attempt);
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}
