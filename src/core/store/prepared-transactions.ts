import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, type Transaction } from 'kysely';
import { SwitchboardSqliteDialect } from './dialect';
import type { SqliteConnection, Store } from './open-database';
import type { Database } from './schema';

/**
 * Transactions for the pipeline's hot path (a burst of inbound messages). Same contract as
 * `store.transaction`, and the repositories run unchanged inside it; the difference is underneath:
 * kysely's SQLite driver prepares every statement anew (a 32-row insert costs more to prepare than to
 * run), so this runs the transaction on a second kysely bound to the store's own connection, while
 * `store.exclusive` holds that connection, through a cache of prepared statements keyed by SQL text.
 * SQLite only: with another store (PostgreSQL) the hot path is simply `store.transaction`.
 */
export interface PreparedTransactions {
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
}

/** Distinct SQL texts kept prepared; multi-row statements come in a few shapes (repositories/chunks.ts). */
const DEFAULT_MAX_STATEMENTS = 256;

export function createPreparedTransactions(
  store: Store,
  maxStatements = DEFAULT_MAX_STATEMENTS,
): PreparedTransactions {
  let bound: { sqlite: SqliteConnection; db: Kysely<Database> } | null = null;
  const statements = new Map<string, BetterSqlite3.Statement>();

  function prepare(sqlite: SqliteConnection, sql: string): BetterSqlite3.Statement {
    let statement = statements.get(sql);
    if (statement !== undefined) {
      // Most recently used last: the Map's order is the eviction order.
      statements.delete(sql);
      statements.set(sql, statement);
      return statement;
    }
    statement = sqlite.prepare(sql);
    statements.set(sql, statement);
    if (statements.size > maxStatements) statements.delete(statements.keys().next().value!);
    return statement;
  }

  return {
    transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      // exclusive() holds the connection until the promise returned inside settles (it resolves it).
      return store.exclusive((sqlite): Promise<T> => {
        if (bound === null || bound.sqlite !== sqlite) {
          statements.clear();
          // close() is a no-op: the store owns the connection and closes it.
          const database = { close: () => {}, prepare: (sql: string) => prepare(sqlite, sql) };
          bound = {
            sqlite,
            db: new Kysely<Database>({ dialect: new SwitchboardSqliteDialect({ database }) }),
          };
        }
        return bound.db.transaction().execute(fn);
      }) as unknown as Promise<T>;
    },
  };
}
