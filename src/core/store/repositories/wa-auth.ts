import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { SecretBox } from '../../secrets/secret-box';
import type { Store } from '../open-database';
import type { Database } from '../schema';
import { keyedTable } from './keyed-table';

/** One change to the Signal key store; `value: null` deletes the key, as Baileys' `keys.set` means it. */
export interface AuthKeyChange {
  type: string;
  id: string;
  value: string | null;
}

export type WaAuthRepository = ReturnType<typeof createWaAuthRepository>;

type Db = Kysely<Database>;

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().execute(fn);

/** The key of a number's rows. */
const ofNumber = (workspaceId: WorkspaceId, phoneNumberId: string) => ({
  workspace_id: workspaceId,
  phone_number_id: phoneNumberId,
});

/** Opens a stored value, passing through rows written before sealing existed. */
function openWith(box: SecretBox): (stored: string) => string {
  return (stored) => (isSealed(stored) ? box.open(stored) : stored);
}

/** The number's creds: read, written (only for a number of the workspace), and whether there are any. */
function credsParts(db: Db, box: SecretBox) {
  const open = openWith(box);
  const creds = keyedTable(db, 'wa_auth_creds');
  return {
    async readCreds(workspaceId: WorkspaceId, phoneNumberId: string): Promise<string | undefined> {
      const row = await creds.find(ofNumber(workspaceId, phoneNumberId), ['creds']);
      return row === undefined ? undefined : open(row.creds);
    },

    async writeCreds(
      workspaceId: WorkspaceId,
      phoneNumberId: string,
      plainCreds: string,
      now: number,
    ): Promise<void> {
      const sealed = box.seal(plainCreds);
      // The number must belong to the workspace: the insert-select writes nothing otherwise.
      await db
        .insertInto('wa_auth_creds')
        .columns(['phone_number_id', 'workspace_id', 'creds', 'updated_at'])
        .expression((eb) =>
          eb
            .selectFrom('phone_numbers')
            .select(['id', 'workspace_id', eb.val(sealed).as('creds'), eb.val(now).as('updated_at')])
            .where('id', '=', phoneNumberId)
            .where('workspace_id', '=', workspaceId),
        )
        .onConflict((oc) =>
          oc.column('phone_number_id').doUpdateSet((eb) => ({
            creds: eb.ref('excluded.creds'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    },

    async hasCreds(workspaceId: WorkspaceId, phoneNumberId: string): Promise<boolean> {
      return creds.exists(ofNumber(workspaceId, phoneNumberId));
    },
  };
}

/** One number's place in the key store. */
interface KeyOwner {
  workspaceId: WorkspaceId;
  phoneNumberId: string;
}

/** Writes one sealed change: `value: null` deletes the key. */
async function applyKeyChange(trx: Db, owner: KeyOwner, change: AuthKeyChange): Promise<void> {
  const keys = keyedTable(trx, 'wa_auth_keys');
  const key = { ...ofNumber(owner.workspaceId, owner.phoneNumberId), type: change.type, key_id: change.id };
  if (change.value === null) await keys.remove(key);
  else await keys.upsert({ ...key, value: change.value }, ['phone_number_id', 'type', 'key_id'], ['value']);
}

/** The Signal keys: read in slices, and written a whole batch at a time. */
function keyParts(db: Db, box: SecretBox) {
  const open = openWith(box);
  return {
    async getKeys(
      workspaceId: WorkspaceId,
      phoneNumberId: string,
      type: string,
      ids: string[],
    ): Promise<Record<string, string>> {
      const found: Record<string, string> = {};
      // SQLite caps bound parameters per statement; large prekey batches are read in slices.
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await db
          .selectFrom('wa_auth_keys')
          .select(['key_id', 'value'])
          .where('workspace_id', '=', workspaceId)
          .where('phone_number_id', '=', phoneNumberId)
          .where('type', '=', type)
          .where('key_id', 'in', ids.slice(i, i + 500))
          .execute();
        for (const row of rows) found[row.key_id] = open(row.value);
      }
      return found;
    },

    async setKeys(workspaceId: WorkspaceId, phoneNumberId: string, changes: AuthKeyChange[]): Promise<void> {
      if (changes.length === 0) return;
      // Sealed before the transaction opens: the write lock is held for the inserts only.
      const sealed = changes.map((change) => ({
        ...change,
        value: change.value === null ? null : box.seal(change.value),
      }));
      await inTransaction(db, async (trx) => {
        const owned = await keyedTable(trx, 'phone_numbers').exists({
          workspace_id: workspaceId,
          id: phoneNumberId,
        });
        if (!owned) return;
        for (const change of sealed) await applyKeyChange(trx, { workspaceId, phoneNumberId }, change);
      });
    },

    /** Forget a number's session (after WhatsApp logged it out): the next connect asks to pair again. */
    async clear(workspaceId: WorkspaceId, phoneNumberId: string): Promise<void> {
      await inTransaction(db, async (trx) => {
        await keyedTable(trx, 'wa_auth_keys').remove(ofNumber(workspaceId, phoneNumberId));
        await keyedTable(trx, 'wa_auth_creds').remove(ofNumber(workspaceId, phoneNumberId));
      });
    },
  };
}

/**
 * WhatsApp credentials and Signal keys per number, as serialised strings (the Baileys adapter owns the
 * format). A half-applied key update is how sessions end up with "Bad MAC" errors, so `setKeys`
 * applies a whole batch in one transaction or none of it.
 *
 * Every value is sealed by the SecretBox before it is written: the creds and keys are the linked
 * device itself (noise, identity and pre-keys, Signal sessions), and a copy of the database file or
 * of a backup must not be enough to clone it. Rows written before sealing existed are still read;
 * `sealPlainAuthRows` converts them once at start.
 */
export function createWaAuthRepository(db: Kysely<Database>, box: SecretBox) {
  return { ...credsParts(db, box), ...keyParts(db, box) };
}

/**
 * Serialised JSON (what Baileys' values become) starts with `{`, `[` or `"`; a SecretBox's output
 * starts with its version prefix (`v1:`, `os1:`). Anything with a prefix is opened, so a damaged or
 * foreign sealed value fails loudly instead of being handed to Baileys as JSON.
 */
function isSealed(stored: string): boolean {
  return /^[a-z0-9]+:/.test(stored);
}

/**
 * Seals, once, the creds and key rows a version before sealing wrote in plain JSON. The old text is
 * zeroed in the file as it is replaced (`secure_delete` for this pass) and the write-ahead log folded
 * back and truncated, so the plain keys do not linger in free pages or the log. Returns how many rows
 * were sealed (0 on every start after the first).
 */
export async function sealPlainAuthRows(store: Store, box: SecretBox): Promise<number> {
  return store.exclusive((sqlite) => {
    const plainCreds = sqlite
      .prepare(`select phone_number_id as id, creds as value from wa_auth_creds where creds like '{%'`)
      .all() as { id: string; value: string }[];
    const plainKeys = sqlite
      .prepare(
        `select rowid as id, value from wa_auth_keys
         where substr(value, 1, 1) in ('{', '[', '"')`,
      )
      .all() as { id: number; value: string }[];
    const total = plainCreds.length + plainKeys.length;
    if (total === 0) return 0;
    const updateCreds = sqlite.prepare('update wa_auth_creds set creds = ? where phone_number_id = ?');
    const updateKey = sqlite.prepare('update wa_auth_keys set value = ? where rowid = ?');
    const previous = sqlite.pragma('secure_delete', { simple: true }) as number;
    sqlite.pragma('secure_delete = ON');
    try {
      sqlite.transaction(() => {
        for (const row of plainCreds) updateCreds.run(box.seal(row.value), row.id);
        for (const row of plainKeys) updateKey.run(box.seal(row.value), row.id);
      })();
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      sqlite.pragma(`secure_delete = ${previous === 1 ? 'ON' : 'OFF'}`);
    }
    return total;
  });
}
