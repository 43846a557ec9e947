import type { CentralDb } from './db/open';
import { openWithKey } from './secret-key';

/** A registered Cloud number as webhook intake sees it: where its changes go and its App Secret. */
export interface RoutableNumber {
  phoneNumberId: string;
  workspaceId: string;
  /** null: sealed under another server key; the number must be registered again. */
  appSecret: string | null;
}

/**
 * The App Secrets of registered Cloud numbers, opened once per process rather than on every webhook.
 * The rows themselves are read from the database each time (a primary-key look-up): several servers
 * may share one database, and a number registered, moved or removed through another one must take
 * effect here at once. The cache is keyed by number and remembers which sealed value it opened, so a
 * row sealed anew anywhere is opened anew; `forget` drops a number this server changed.
 */
export interface CloudSecrets {
  /** The registered numbers among `phoneNumberIds` (unknown ids are left out). */
  named(db: CentralDb, phoneNumberIds: readonly string[]): Promise<RoutableNumber[]>;
  /** Every registered number. */
  all(db: CentralDb): Promise<RoutableNumber[]>;
  forget(phoneNumberId: string): void;
  /** Numbers whose opened secret is held (tests). */
  readonly size: number;
}

/** Past this many ids in one POST, one read of every number is cheaper than a long `in (...)` list. */
const MAX_NAMED = 200;

export function createCloudSecrets(key: Buffer): CloudSecrets {
  const opened = new Map<string, { sealed: string; secret: string | null }>();

  function toRoutable(row: { phone_number_id: string; workspace_id: string; app_secret_sealed: string }) {
    let entry = opened.get(row.phone_number_id);
    if (entry?.sealed !== row.app_secret_sealed) {
      let secret: string | null;
      try {
        secret = openWithKey(key, row.app_secret_sealed);
      } catch {
        secret = null;
      }
      entry = { sealed: row.app_secret_sealed, secret };
      opened.set(row.phone_number_id, entry);
    }
    return { phoneNumberId: row.phone_number_id, workspaceId: row.workspace_id, appSecret: entry.secret };
  }

  const columns = ['phone_number_id', 'workspace_id', 'app_secret_sealed'] as const;

  async function all(db: CentralDb): Promise<RoutableNumber[]> {
    const rows = await db.selectFrom('cloud_numbers').select(columns).execute();
    // Numbers removed through another server leave the cache here.
    const present = new Set(rows.map((r) => r.phone_number_id));
    for (const id of opened.keys()) if (!present.has(id)) opened.delete(id);
    return rows.map(toRoutable);
  }

  return {
    async named(db, phoneNumberIds) {
      if (phoneNumberIds.length === 0) return [];
      if (phoneNumberIds.length > MAX_NAMED) {
        const wanted = new Set(phoneNumberIds);
        return (await all(db)).filter((n) => wanted.has(n.phoneNumberId));
      }
      const rows = await db
        .selectFrom('cloud_numbers')
        .select(columns)
        .where('phone_number_id', 'in', phoneNumberIds)
        .execute();
      return rows.map(toRoutable);
    },
    all,
    forget(phoneNumberId) {
      opened.delete(phoneNumberId);
    },
    get size() {
      return opened.size;
    },
  };
}
