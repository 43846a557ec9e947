import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { NulTextPlugin } from './nul-text';
import { asStartError, checkSqliteFile, checkSqliteLocation } from './sqlite-checks';
import { CentralSqliteDialect } from './sqlite-dialect';
import type { CentralSchema } from './schema';

export interface SqliteConfig {
  kind: 'sqlite';
  /** A file path (its folder must exist), or ':memory:'. */
  path: string;
  /**
   * 'full' (default) fsyncs the write-ahead log on every commit: a batch the server has acknowledged
   * survives a power cut, so the client never has a reason to keep it. 'normal' is for benchmarks.
   */
  durability?: 'full' | 'normal';
}

/** One better-sqlite3 connection in WAL mode; kysely's driver serialises queries and transactions on it. */
export function createSqliteKysely(config: SqliteConfig): {
  db: Kysely<CentralSchema>;
  checkpoint: () => void;
} {
  checkSqliteLocation(config.path);
  const sqlite = new BetterSqlite3(config.path);
  try {
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    if (config.path !== ':memory:') {
      const mode = sqlite.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`could not switch to WAL (journal mode is ${String(mode)})`);
    }
    sqlite.pragma(`synchronous = ${config.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
    checkSqliteFile(sqlite, config.path);
  } catch (error) {
    sqlite.close();
    throw asStartError(config.path, error);
  }
  const db = new Kysely<CentralSchema>({
    dialect: new CentralSqliteDialect({ database: sqlite }),
    plugins: [new NulTextPlugin()],
  });
  return {
    db,
    checkpoint: () => {
      try {
        sqlite.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // Another connection may hold the log; the next open checkpoints it.
      }
    },
  };
}
