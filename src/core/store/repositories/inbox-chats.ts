import type { Kysely } from 'kysely';
import type { E164, WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';
import { camelRow } from './row-fields';
import { powerOfTwoChunks } from './chunks';
import { keyedTable } from './keyed-table';

export interface ChatPerson {
  contactId: string | null;
  name: string | null;
  phone: string | null;
}

export interface ChatOnNumber {
  chatId: string;
  businessNumber: E164;
  firstAt: number;
  lastAt: number;
  count: number;
}

/** The customer of each chat, from the chat's conversation state (WhatsApp's name and phone). */
async function chatPeople(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  chatIds: readonly string[],
): Promise<Map<string, ChatPerson>> {
  const people = new Map<string, ChatPerson>();
  for (const chunk of powerOfTwoChunks([...new Set(chatIds)])) {
    const rows = await db
      .selectFrom('conversations as c')
      .leftJoin('contacts as ct', (join) =>
        join.onRef('ct.id', '=', 'c.contact_id').onRef('ct.workspace_id', '=', 'c.workspace_id'),
      )
      .select(['c.chat_id', 'c.contact_id', 'ct.name', 'ct.phone_e164'])
      .where('c.workspace_id', '=', workspaceId)
      .where('c.chat_id', 'in', chunk)
      .orderBy('c.updated_at', 'desc')
      .execute();
    for (const row of rows) {
      const known = people.get(row.chat_id);
      if (known?.contactId != null) continue;
      people.set(row.chat_id, { contactId: row.contact_id, name: row.name, phone: row.phone_e164 });
    }
  }
  return people;
}

/** The chats of these contacts. */
async function chatsOfContacts(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  contactIds: readonly string[],
): Promise<string[]> {
  const key = { workspace_id: workspaceId };
  const rows = await keyedTable(db, 'conversations').findIn(key, 'contact_id', contactIds, ['chat_id']);
  return [...new Set(rows.map((row) => row.chat_id))];
}

/**
 * The same customer under other chat ids: a LID chat whose phone was learnt later, or a chat of
 * the same contact.
 */
async function sameCustomer(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  chatId: string,
): Promise<string[]> {
  const lids = await db
    .selectFrom('lid_mappings')
    .select(['lid', 'phone_jid'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('phone_jid', '=', chatId), eb('lid', '=', chatId)]))
    .execute();
  const contacts = await db
    .selectFrom('conversations')
    .select('contact_id')
    .where('workspace_id', '=', workspaceId)
    .where('chat_id', '=', chatId)
    .where('contact_id', 'is not', null)
    .execute();
  const ids = new Set([chatId, ...lids.flatMap((l) => [l.lid, l.phone_jid])]);
  const contactIds = contacts.map((c) => c.contact_id!);
  if (contactIds.length > 0) for (const id of await chatsOfContacts(db, workspaceId, contactIds)) ids.add(id);
  return [...ids];
}

/** Whether a chat exists, the workspace's contacts, and chats found by their digits. */
function chatSearch(db: Kysely<Database>) {
  return {
    /** Whether the workspace has this chat (a message or a conversation state under its id). */
    async exists(workspaceId: WorkspaceId, chatId: string): Promise<boolean> {
      const key = { workspace_id: workspaceId, chat_id: chatId };
      return (await keyedTable(db, 'messages').exists(key)) || keyedTable(db, 'conversations').exists(key);
    },

    /** Every contact of the workspace, for matching names and numbers (a shop has thousands, not millions). */
    async contacts(workspaceId: WorkspaceId, cap = 50_000) {
      return db
        .selectFrom('contacts')
        .select(['id', 'name', 'phone_e164', 'wa_id'])
        .where('workspace_id', '=', workspaceId)
        .limit(cap)
        .execute();
    },

    /** Chat ids of the workspace that contain these digits (a phone-number chat id is its digits). */
    async chatsWithDigits(workspaceId: WorkspaceId, digits: string, limit = 50): Promise<string[]> {
      const rows = await db
        .selectFrom('conversations')
        .select('chat_id')
        .distinct()
        .where('workspace_id', '=', workspaceId)
        .where('chat_id', 'like', `%${digits.replace(/\D/g, '')}%`)
        .limit(limit)
        .execute();
      return rows.map((r) => r.chat_id);
    },
  };
}

/** The numbers each chat wrote to, and when. */
function chatNumbers(db: Kysely<Database>) {
  return {
    /** Message counts and times per (chat, receiving number). */
    async perNumber(workspaceId: WorkspaceId, chatIds: readonly string[]): Promise<ChatOnNumber[]> {
      const rows = await db
        .selectFrom('messages')
        .select((eb) => [
          'chat_id',
          'business_number',
          eb.fn.min('created_at').as('first_at'),
          eb.fn.max('created_at').as('last_at'),
          eb.fn.countAll<number>().as('count'),
        ])
        .where('workspace_id', '=', workspaceId)
        .where('chat_id', 'in', [...chatIds])
        .groupBy(['chat_id', 'business_number'])
        .execute();
      return rows.map((r) => ({
        ...camelRow(r),
        businessNumber: r.business_number as E164,
        count: Number(r.count),
      }));
    },

    /** When each chat was first seen on each number (the conversation state's first contact). */
    async firstSeen(workspaceId: WorkspaceId, chatIds: readonly string[]) {
      return db
        .selectFrom('conversations')
        .select(['chat_id', 'business_number', 'first_seen_at'])
        .where('workspace_id', '=', workspaceId)
        .where('chat_id', 'in', [...chatIds])
        .execute();
    },
  };
}

/** What the inbox reads about chats: whether one exists, who its customer is, its numbers. */
export function createInboxChatRepository(db: Kysely<Database>) {
  return {
    ...chatSearch(db),
    people: (workspaceId: WorkspaceId, chatIds: readonly string[]) => chatPeople(db, workspaceId, chatIds),
    chatsOfContacts: (workspaceId: WorkspaceId, contactIds: readonly string[]) =>
      chatsOfContacts(db, workspaceId, contactIds),
    sameCustomer: (workspaceId: WorkspaceId, chatId: string) => sameCustomer(db, workspaceId, chatId),
    ...chatNumbers(db),
  };
}
