import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';

/** One change to the Signal key store; `value: null` deletes the key, as Baileys' `keys.set` means it. */
export interface AuthKeyChange {
  type: string;
  id: string;
  value: string | null;
}

export type WaAuthRepository = ReturnType<typeof createWaAuthRepository>;

/**
 * WhatsApp credentials and Signal keys per number, as serialised strings (the Baileys adapter owns the
 * format). A half-applied key update is how sessions end up with "Bad MAC" errors, so `setKeys`
 * applies a whole batch in one transaction or none of it.
 */
export function createWaAuthRepository(db: Kysely<Database>) {
  const inTransaction = <T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> =>
    db.isTransaction ? fn(db) : db.transaction().execute(fn);

  return {
    async readCreds(workspaceId: WorkspaceId, phoneNumberId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('wa_auth_creds')
        .select('creds')
        .where('workspace_id', '=', workspaceId)
        .where('phone_number_id', '=', phoneNumberId)
        .executeTakeFirst();
      return row?.creds;
    },

    async writeCreds(
      workspaceId: WorkspaceId,
      phoneNumberId: string,
      creds: string,
      now: number,
    ): Promise<void> {
      // The number must belong to the workspace: the insert-select writes nothing otherwise.
      await db
        .insertInto('wa_auth_creds')
        .columns(['phone_number_id', 'workspace_id', 'creds', 'updated_at'])
        .expression((eb) =>
          eb
            .selectFrom('phone_numbers')
            .select(['id', 'workspace_id', eb.val(creds).as('creds'), eb.val(now).as('updated_at')])
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
        for (const row of rows) found[row.key_id] = row.value;
      }
      return found;
    },

    async setKeys(workspaceId: WorkspaceId, phoneNumberId: string, changes: AuthKeyChange[]): Promise<void> {
      if (changes.length === 0) return;
      await inTransaction(async (trx) => {
        const owner = await trx
          .selectFrom('phone_numbers')
          .select('id')
          .where('id', '=', phoneNumberId)
          .where('workspace_id', '=', workspaceId)
          .executeTakeFirst();
        if (owner === undefined) return;
        for (const change of changes) {
          if (change.value === null) {
            await trx
              .deleteFrom('wa_auth_keys')
              .where('workspace_id', '=', workspaceId)
              .where('phone_number_id', '=', phoneNumberId)
              .where('type', '=', change.type)
              .where('key_id', '=', change.id)
              .execute();
          } else {
            await trx
              .insertInto('wa_auth_keys')
              .values({
                phone_number_id: phoneNumberId,
                workspace_id: workspaceId,
                type: change.type,
                key_id: change.id,
                value: change.value,
              })
              .onConflict((oc) =>
                oc
                  .columns(['phone_number_id', 'type', 'key_id'])
                  .doUpdateSet({ value: change.value as string }),
              )
              .execute();
          }
        }
      });
    },

    /** Forget a number's session (after WhatsApp logged it out): the next connect asks to pair again. */
    async clear(workspaceId: WorkspaceId, phoneNumberId: string): Promise<void> {
      await inTransaction(async (trx) => {
        await trx
          .deleteFrom('wa_auth_keys')
          .where('workspace_id', '=', workspaceId)
          .where('phone_number_id', '=', phoneNumberId)
          .execute();
        await trx
          .deleteFrom('wa_auth_creds')
          .where('workspace_id', '=', workspaceId)
          .where('phone_number_id', '=', phoneNumberId)
          .execute();
      });
    },

    async hasCreds(workspaceId: WorkspaceId, phoneNumberId: string): Promise<boolean> {
      const row = await db
        .selectFrom('wa_auth_creds')
        .select('phone_number_id')
        .where('workspace_id', '=', workspaceId)
        .where('phone_number_id', '=', phoneNumberId)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
