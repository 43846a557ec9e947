/**
 * Test support: every database-level and HTTP-level test of the central server runs against both
 * dialects. SQLite gets a temporary file; PostgreSQL (127.0.0.1:5432, database `test`, trust auth, as
 * CI starts it) gets a fresh schema per caller, dropped afterwards, so test files running in parallel
 * never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { makeTempDir } from '../../core/testing/temp-files';
import {
  openCentralDatabase,
  type CentralDatabase,
  type DatabaseConfig,
  type DatabaseKind,
} from '../db/open';

export const TEST_DIALECTS: readonly DatabaseKind[] = ['sqlite', 'postgres'];

/** Debian's cluster has a `postgres` superuser; some images add one named after the OS user. */
const CANDIDATE_URLS = process.env.CENTRAL_TEST_DATABASE_URL
  ? [process.env.CENTRAL_TEST_DATABASE_URL]
  : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];

const SCHEMA_PREFIX = 'central_t_';
/** Schemas left by a test run that was killed are dropped by a later run once they are this old. */
const LEFTOVER_AGE_MS = 60 * 60_000;

let reachable: Promise<string> | undefined;

/** The first PostgreSQL URL that answers; fails with what to do when none does. */
export function testPostgresUrl(): Promise<string> {
  reachable ??= (async () => {
    const failures: string[] = [];
    for (const url of CANDIDATE_URLS) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
      try {
        await client.connect();
        await dropLeftoverSchemas(client);
        return url;
      } catch (error) {
        failures.push(`${url}: ${describe(error)}`);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    throw new Error(
      `PostgreSQL is not reachable (${failures.join('; ')}). The central server's tests run against SQLite ` +
        'and PostgreSQL: start PostgreSQL on 127.0.0.1:5432 with a database named "test" (bash .ci/run does), ' +
        'or point CENTRAL_TEST_DATABASE_URL at one.',
    );
  })();
  return reachable;
}

export interface TestTarget {
  kind: DatabaseKind;
  config: DatabaseConfig;
  /** A temporary folder (the SQLite file and the admin token live here). */
  dataDir: string;
  /** What a child process running `src/central/main.ts` needs to use the same database. */
  childArgs: string[];
  cleanup(): Promise<void>;
}

export async function createTestTarget(kind: DatabaseKind): Promise<TestTarget> {
  const temp = makeTempDir('switchboard-central-');
  switch (kind) {
    case 'sqlite': {
      const path = join(temp.dir, 'central.db');
      return {
        kind,
        config: { kind, path },
        dataDir: temp.dir,
        childArgs: ['--data-dir', temp.dir],
        cleanup: () => Promise.resolve(temp.cleanup()),
      };
    }
    case 'postgres': {
      let url: string;
      try {
        url = await testPostgresUrl();
      } catch (error) {
        temp.cleanup();
        throw error;
      }
      const schema = `${SCHEMA_PREFIX}${Date.now().toString(36)}_${randomBytes(5).toString('hex')}`;
      await withClient(url, (client) => client.query(`create schema ${schema}`));
      const childUrl = new URL(url);
      childUrl.searchParams.set('options', `-c search_path=${schema}`);
      // Lets a test find this server's own sessions in pg_stat_activity.
      childUrl.searchParams.set('application_name', schema);
      return {
        kind,
        config: { kind, url, schema, poolSize: 8 },
        dataDir: temp.dir,
        childArgs: ['--data-dir', temp.dir, '--database-url', childUrl.toString()],
        async cleanup() {
          await withClient(url, (client) => client.query(`drop schema if exists ${schema} cascade`));
          temp.cleanup();
        },
      };
    }
  }
}

export interface TestDatabase {
  database: CentralDatabase;
  target: TestTarget;
  /** Closes the database and removes the file or schema. */
  cleanup(): Promise<void>;
}

export async function openTestDatabase(
  kind: DatabaseKind,
  options: { migrateTo?: string } = {},
): Promise<TestDatabase> {
  const target = await createTestTarget(kind);
  let database: CentralDatabase;
  try {
    database = await openCentralDatabase(target.config, options);
  } catch (error) {
    await target.cleanup();
    throw error;
  }
  return {
    database,
    target,
    async cleanup() {
      await database.close();
      await target.cleanup();
    },
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function dropLeftoverSchemas(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ nspname: string }>(
    `select nspname from pg_namespace where nspname like '${SCHEMA_PREFIX}%'`,
  );
  for (const { nspname } of rows) {
    const created = parseInt(nspname.slice(SCHEMA_PREFIX.length).split('_')[0] ?? '', 36);
    if (Number.isFinite(created) && Date.now() - created > LEFTOVER_AGE_MS && /^[a-z0-9_]+$/.test(nspname)) {
      await client.query(`drop schema if exists ${nspname} cascade`).catch(() => undefined);
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}
