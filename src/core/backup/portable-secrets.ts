import { hkdfSync } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { createAesGcmSecretBox } from '../secrets/file-key-secret-box';
import type { SecretBox } from '../secrets/secret-box';

/**
 * Secrets in the database (WhatsApp session keys, sync tokens, AI keys, Cloud API tokens) are sealed
 * with this computer's key store, which another computer cannot open. An archive meant for any computer
 * (a move, a passphrase backup) carries them resealed under a key derived from the archive's own key
 * (`arc1:` values); restoring it reseals them with the new computer's key store.
 */

export const ARCHIVE_SECRET_PREFIX = 'arc1:';

/** The archive's secret box: a key of its own (HKDF), so a secret's key is never the frames' key. */
export function archiveSecretBox(masterKey: Buffer): SecretBox {
  const key = Buffer.from(
    hkdfSync('sha256', masterKey, Buffer.alloc(0), 'switchboard.archive-secrets.v1', 32),
  );
  return createAesGcmSecretBox(() => key, {
    prefix: ARCHIVE_SECRET_PREFIX,
    aad: Buffer.from('switchboard.archive-secret.v1'),
    keyName: "the backup's key",
  });
}

/** WhatsApp's creds and Signal keys, besides every column named `*_sealed`. */
const SEALED_WITHOUT_SUFFIX: readonly { table: string; column: string }[] = [
  { table: 'wa_auth_creds', column: 'creds' },
  { table: 'wa_auth_keys', column: 'value' },
];

/** A SecretBox's output starts with its version prefix (`v1:`, `os1:`, `arc1:`); plain JSON does not. */
const isSealed = (value: unknown): value is string => typeof value === 'string' && /^[a-z0-9]+:/.test(value);

export interface ResealResult {
  resealed: number;
  /** Values `from` could not open, per column; they are left as they were. */
  unopened: { table: string; column: string; count: number }[];
}

export function sealedColumns(sqlite: BetterSqlite3.Database): { table: string; column: string }[] {
  const tables = sqlite
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)
    .pluck()
    .all() as string[];
  const found: { table: string; column: string }[] = [];
  for (const table of tables) {
    const columns = (sqlite.pragma(`table_info(${quote(table)})`) as { name: string }[]).map((c) => c.name);
    for (const column of columns) {
      const listed = SEALED_WITHOUT_SUFFIX.some((s) => s.table === table && s.column === column);
      if (listed || column.endsWith('_sealed')) found.push({ table, column });
    }
  }
  return found;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const BATCH = 500;

/**
 * Opens with `from` and seals with `to` every sealed value `which` selects, in the database file at
 * `path` (a copy, never the live database). Done in batches with a turn of the event loop between them:
 * a shop with many chats has thousands of Signal keys, and the key store is only reachable from here.
 * The file is left in rollback-journal mode so it is whole on its own, without a `-wal` beside it.
 */
export async function resealDatabaseFile(
  path: string,
  options: { from: SecretBox; to: SecretBox; which: (sealed: string) => boolean },
): Promise<ResealResult> {
  const sqlite = new BetterSqlite3(path, { fileMustExist: true });
  const result: ResealResult = { resealed: 0, unopened: [] };
  try {
    sqlite.pragma('journal_mode = DELETE');
    for (const { table, column } of sealedColumns(sqlite)) {
      const read = sqlite.prepare(
        `select rowid as id, ${quote(column)} as value from ${quote(table)} where rowid > ? order by rowid limit ${BATCH}`,
      );
      const write = sqlite.prepare(`update ${quote(table)} set ${quote(column)} = ? where rowid = ?`);
      let unopened = 0;
      let after = Number.MIN_SAFE_INTEGER;
      for (;;) {
        const rows = read.all(after) as { id: number; value: unknown }[];
        if (rows.length === 0) break;
        after = rows.at(-1)!.id;
        const changes: [string, number][] = [];
        for (const row of rows) {
          if (!isSealed(row.value) || !options.which(row.value)) continue;
          let plain: string;
          try {
            plain = options.from.open(row.value);
          } catch {
            unopened += 1;
            continue;
          }
          changes.push([options.to.seal(plain), row.id]);
        }
        sqlite.transaction(() => {
          for (const [value, id] of changes) write.run(value, id);
        })();
        result.resealed += changes.length;
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (unopened > 0) result.unopened.push({ table, column, count: unopened });
    }
  } finally {
    sqlite.close();
  }
  return result;
}

/** The one-line account of what could not be carried, for an error or the log. */
export function describeUnopened(unopened: ResealResult['unopened']): string {
  return unopened.map((u) => `${u.count} in ${u.table}.${u.column}`).join(', ');
}
