import type { Kysely, Selectable } from 'kysely';
import type { Contact } from '../../../shared/dto';
import type { E164, WorkspaceId } from '../../../shared/types';
import type { ContactsTable, Database } from '../schema';
import { scopedTable } from './scoped-table';

export interface ContactIdentity {
  /** The customer's phone number, when known (a LID-only sender may not reveal it at first). */
  phone: E164 | null;
  /** The WhatsApp id they write from: a phone JID or a LID. */
  waId: string | null;
  name?: string | null;
}

export type ContactRepository = ReturnType<typeof createContactRepository>;

export function createContactRepository(db: Kysely<Database>) {
  const contacts = scopedTable(db, 'contacts');
  const found = (row: Selectable<ContactsTable> | undefined) =>
    row === undefined ? undefined : toContact(row);
  const repo = {
    async get(workspaceId: WorkspaceId, id: string): Promise<Contact | undefined> {
      return found(await contacts.get(workspaceId, id));
    },

    async findByPhone(workspaceId: WorkspaceId, phone: E164): Promise<Contact | undefined> {
      return found(await contacts.findBy(workspaceId, 'phone_e164', phone));
    },

    async findByWaId(workspaceId: WorkspaceId, waId: string): Promise<Contact | undefined> {
      return found(await contacts.findBy(workspaceId, 'wa_id', waId));
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
      await contacts.update(workspaceId, existing.id, {
        phone_e164: phone,
        wa_id: waId,
        name,
        updated_at: now,
      });
      return { ...existing, phone, waId, name, updatedAt: now };
    },

    async list(
      workspaceId: WorkspaceId,
      options: { limit?: number; offset?: number } = {},
    ): Promise<Contact[]> {
      const page = { limit: Math.min(options.limit ?? 100, 1000), offset: options.offset ?? 0 };
      return (await contacts.list(workspaceId, [['updated_at', 'desc'], 'id'], page)).map(toContact);
    },

    async rename(workspaceId: WorkspaceId, id: string, name: string | null, now: number): Promise<boolean> {
      return contacts.update(workspaceId, id, { name, updated_at: now });
    },

    async delete(workspaceId: WorkspaceId, id: string): Promise<boolean> {
      return contacts.remove(workspaceId, id);
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
