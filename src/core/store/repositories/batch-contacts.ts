import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { ContactsTable, Database } from '../schema';
import { powerOfTwoChunks } from './chunks';
import type { ContactIdentity } from './contacts';
import { scopedTable } from './scoped-table';

type ContactRow = Omit<ContactsTable, 'workspace_id'>;

/** The batch's contacts, found by phone, WhatsApp id and id; one object per contact. */
interface ContactIndex {
  byPhone: Map<string, ContactRow>;
  byWaId: Map<string, ContactRow>;
  byId: Map<string, ContactRow>;
  add(c: ContactRow): void;
}

/** What the batch changes: new contacts and contacts with something new about them. */
interface ContactWrites {
  inserts: Map<string, ContactRow>;
  updates: Map<string, ContactRow>;
}

/**
 * One contact per customer, with the contacts repository's rules (phone first, then WhatsApp id;
 * fill in what is new, never overwrite with nothing), for a whole batch in two or three statements.
 * A change that would take a phone or WhatsApp id another contact holds is skipped rather than
 * failing the batch: a unique-key error here would lose every message in it.
 */
export async function resolveContacts(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  identities: readonly ContactIdentity[],
  newId: () => string,
  now: number,
): Promise<(string | null)[]> {
  const known = await loadContacts(db, workspaceId, identities);
  const writes: ContactWrites = { inserts: new Map(), updates: new Map() };
  const ids = identities.map((identity) => resolveOne(identity, known, writes, newId, now));
  await writeContacts(db, workspaceId, writes, now);
  return ids;
}

function contactIndex(): ContactIndex {
  const byPhone = new Map<string, ContactRow>();
  const byWaId = new Map<string, ContactRow>();
  const byId = new Map<string, ContactRow>();
  return {
    byPhone,
    byWaId,
    byId,
    add(c) {
      byId.set(c.id, c);
      if (c.phone_e164 !== null) byPhone.set(c.phone_e164, c);
      if (c.wa_id !== null) byWaId.set(c.wa_id, c);
    },
  };
}

/** The workspace's contacts with any phone or WhatsApp id of the batch. */
async function loadContacts(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  identities: readonly ContactIdentity[],
): Promise<ContactIndex> {
  const known = contactIndex();
  const phones = [...new Set(identities.flatMap((i) => (i.phone === null ? [] : [i.phone])))];
  const waIds = [...new Set(identities.flatMap((i) => (i.waId === null ? [] : [i.waId])))];
  // Two indexed lookups, not one `phone in (..) or wa_id in (..)`: SQLite answers the OR by scanning
  // every contact of the workspace, which grows with the shop.
  const lookups = [
    { column: 'phone_e164' as const, values: phones },
    { column: 'wa_id' as const, values: waIds },
  ];
  for (const { column, values } of lookups) {
    for (const chunk of powerOfTwoChunks(values)) {
      const rows = await db
        .selectFrom('contacts')
        .select(['id', 'phone_e164', 'wa_id', 'name', 'created_at', 'updated_at'])
        .where('workspace_id', '=', workspaceId)
        .where(column, 'in', chunk)
        .execute();
      // A contact found by both lookups must stay one object, or an update would fork it.
      for (const row of rows) if (!known.byId.has(row.id)) known.add(row);
    }
  }
  return known;
}

/** The contact id of one sender (null for a sender with neither phone nor WhatsApp id). */
function resolveOne(
  identity: ContactIdentity,
  known: ContactIndex,
  writes: ContactWrites,
  newId: () => string,
  now: number,
): string | null {
  if (identity.phone === null && identity.waId === null) return null;
  const existing =
    (identity.phone !== null ? known.byPhone.get(identity.phone) : undefined) ??
    (identity.waId !== null ? known.byWaId.get(identity.waId) : undefined);
  if (existing === undefined) {
    const row: ContactRow = {
      id: newId(),
      phone_e164: identity.phone,
      wa_id: identity.waId,
      name: identity.name ?? null,
      created_at: now,
      updated_at: now,
    };
    writes.inserts.set(row.id, row);
    known.add(row);
    return row.id;
  }
  let phone = existing.phone_e164 ?? identity.phone;
  let waId = identity.waId ?? existing.wa_id;
  const name = identity.name ?? existing.name;
  if (
    phone !== null &&
    phone !== existing.phone_e164 &&
    (known.byPhone.get(phone)?.id ?? existing.id) !== existing.id
  ) {
    phone = existing.phone_e164;
  }
  if (
    waId !== null &&
    waId !== existing.wa_id &&
    (known.byWaId.get(waId)?.id ?? existing.id) !== existing.id
  ) {
    waId = existing.wa_id;
  }
  if (phone !== existing.phone_e164 || waId !== existing.wa_id || name !== existing.name) {
    if (existing.wa_id !== null && existing.wa_id !== waId) known.byWaId.delete(existing.wa_id);
    existing.phone_e164 = phone;
    existing.wa_id = waId;
    existing.name = name;
    existing.updated_at = now;
    known.add(existing);
    if (!writes.inserts.has(existing.id)) writes.updates.set(existing.id, existing);
  }
  return existing.id;
}

async function writeContacts(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  writes: ContactWrites,
  now: number,
): Promise<void> {
  for (const chunk of powerOfTwoChunks([...writes.inserts.values()])) {
    await db
      .insertInto('contacts')
      .values(chunk.map((c) => ({ ...c, workspace_id: workspaceId })))
      .execute();
  }
  const contacts = scopedTable(db, 'contacts');
  for (const c of writes.updates.values()) {
    await contacts.update(workspaceId, c.id, {
      phone_e164: c.phone_e164,
      wa_id: c.wa_id,
      name: c.name,
      updated_at: now,
    });
  }
}
