import type { Kysely, Selectable } from 'kysely';
import type { Contact } from '../../../shared/dto';
import type { E164, WorkspaceId } from '../../../shared/types';
import type { ContactsTable, Database } from '../schema';

export interface ContactIdentity {
  /** The customer's phone number, when known (a LID-only sender may not reveal it at first). */
  phone: E164 | null;
  /** The WhatsApp id they write from: a phone JID or a LID. */
  waId: string | null;
  name?: string | null;
}

export type ContactRepository = ReturnType<typeof createContactRepository>;

export function createContactRepository(db: Kysely<Database>) {
  const repo = {
    async get(workspaceId: WorkspaceId, id: string): Promise<Contact | undefined> {
      const row = await db
        .selectFrom('contacts')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? undefined : toContact(row);
    },

    async findByPhone(workspaceId: WorkspaceId, phone: E164): Promise<Contact | undefined> {
      const row = await db
        .selectFrom('contacts')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('phone_e164', '=', phone)
        .executeTakeFirst();
      return row === undefined ? undefined : toContact(row);
    },

    async findByWaId(workspaceId: WorkspaceId, waId: string): Promise<Contact | undefined> {
      const row = await db
        .selectFrom('contacts')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('wa_id', '=', waId)
        .executeTakeFirst();
      return row === undefined ? undefined : toContact(row);
    },

    /**
     * One customer, one contact: found by phone number first (the identity that survives a LID change),
     * then by WhatsApp id; what is new about them is filled in, never overwritten with nothing.
     */
    async upsert(
      workspaceId: WorkspaceId,
      identity: ContactIdentity,
      newId: string,
      now: number,
    ): Promise<Contact> {
      const existing =
        (identity.phone !== null ? await repo.findByPhone(workspaceId, identity.phone) : undefined) ??
        (identity.waId !== null ? await repo.findByWaId(workspaceId, identity.waId) : undefined);
      if (existing === undefined) {
        const row = {
          id: newId,
          workspace_id: workspaceId,
          phone_e164: identity.phone,
          wa_id: identity.waId,
          name: identity.name ?? null,
          created_at: now,
          updated_at: now,
        };
        await db.insertInto('contacts').values(row).execute();
        return toContact(row);
      }
      const phone = existing.phone ?? identity.phone;
      const waId = identity.waId ?? existing.waId;
      const name = identity.name ?? existing.name;
      if (phone === existing.phone && waId === existing.waId && name === existing.name) return existing;
      await db
        .updateTable('contacts')
        .set({ phone_e164: phone, wa_id: waId, name, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', existing.id)
        .execute();
      return { ...existing, phone, waId, name, updatedAt: now };
    },

    async list(
      workspaceId: WorkspaceId,
      options: { limit?: number; offset?: number } = {},
    ): Promise<Contact[]> {
      const rows = await db
        .selectFrom('contacts')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('updated_at', 'desc')
        .orderBy('id')
        .limit(Math.min(options.limit ?? 100, 1000))
        .offset(options.offset ?? 0)
        .execute();
      return rows.map(toContact);
    },

    async rename(workspaceId: WorkspaceId, id: string, name: string | null, now: number): Promise<boolean> {
      const result = await db
        .updateTable('contacts')
        .set({ name, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async delete(workspaceId: WorkspaceId, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('contacts')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
  return repo;
}

function toContact(row: Selectable<ContactsTable>): Contact {
  return {
    id: row.id,
    workspaceId: row.workspace_id as WorkspaceId,
    phone: row.phone_e164 as E164 | null,
    waId: row.wa_id,
    name: row.name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
