import type BetterSqlite3 from 'better-sqlite3';

/** The raw connection (as open-database's SqliteConnection; named here so the two files do not import each other). */
type SqliteConnection = BetterSqlite3.Database;

/** The migrations this file has applied (none for a new file). */
export function appliedMigrations(sqlite: SqliteConnection, table: string): string[] {
  const exists = sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(table);
  if (exists === undefined) return [];
  return sqlite.prepare(`select name from ${table} order by name`).pluck().all() as string[];
}
