import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { NulTextPlugin } from './nul-text';
import type { CentralSchema } from './schema';

export interface PostgresConfig {
  kind: 'postgres';
  /** postgres://user:password@host:port/database[?options=-c search_path=...] */
  url: string;
  /** Use this schema (it must exist) instead of the URL's search_path; tests get one each. */
  schema?: string;
  poolSize?: number;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Times and sequence numbers are int8, which pg returns as strings by default (an int8 can exceed
 * 2^53). Ours are milliseconds and counters far below that, so they come back as numbers; a value that
 * would lose precision fails loudly instead of being rounded.
 */
function parseBigInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`integer ${value} does not fit in a JS number`);
  return n;
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown => {
    if (format === 'binary') return pg.types.getTypeParser(oid, 'binary') as unknown;
    if (oid === INT8_OID) return parseBigInteger;
    // sum() over int8 is numeric.
    if (oid === NUMERIC_OID) return Number;
    return pg.types.getTypeParser(oid, 'text') as unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function createPostgresKysely(
  config: PostgresConfig,
  onPoolError: (error: Error) => void,
): { db: Kysely<CentralSchema>; pool: pg.Pool } {
  if (config.schema !== undefined && !SCHEMA_NAME.test(config.schema))
    throw new Error(`"${config.schema}" is not a schema name this server accepts (a-z, 0-9, _)`);
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 10,
    types,
    connectionTimeoutMillis: 10_000,
    ...(config.schema !== undefined && { options: `-c search_path=${config.schema}` }),
  });
  // An idle client losing its connection (the database restarting) must not crash the server.
  pool.on('error', onPoolError);
  const db = new Kysely<CentralSchema>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new NulTextPlugin()],
  });
  return { db, pool };
}

/** The URL without its password, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
