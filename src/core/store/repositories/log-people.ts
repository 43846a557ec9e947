import { sql } from 'kysely';
import type { LogPerson } from '../../../shared/log-sentence';
import type { WorkspaceId } from '../../../shared/types';
import type { Store } from '../open-database';
import { keyedTable } from './keyed-table';

/**
 * What the Activity log needs to speak of customers and FAQs by name: the customer behind each chat id
 * its events carry, the question of each FAQ they name, and, for a search by name, the ids those
 * customers' events carry. All indexed reads, a handful per page of the log.
 */
export interface LogPeople {
  /** chatId -> the customer, for the chat ids of one workspace that have one. */
  peopleOf(workspaceId: string, chatIds: readonly string[]): Promise<Map<string, LogPerson>>;
  /** faqId -> its question, for the FAQs that still exist. */
  faqQuestions(workspaceId: string, faqIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * The phone digits and WhatsApp ids of customers whose name contains `search` (case-insensitive):
   * an event names a customer only by chat id, which holds one of them.
   */
  idsOfNamed(workspaceId: string, search: string): Promise<string[]>;
}

/** A phone chat id's digits: "2348066665555@s.whatsapp.net" -> "+2348066665555". */
const phoneOfChat = (chatId: string): string | null => {
  const match = /^(\d{6,15})(?::\d+)?@(?:s\.whatsapp\.net|c\.us)$/.exec(chatId);
  return match === null ? null : `+${match[1]}`;
};

/**
 * At most this many customers' ids join a search (each adds two LIKEs per scanned event), and only for
 * two letters or more: a name as short as "a" matches everyone.
 */
const MAX_NAMED = 10;

export function createLogPeople(store: Store): LogPeople {
  const { db } = store;
  return {
    async peopleOf(workspaceId, chatIds) {
      const people = new Map<string, LogPerson>();
      const unique = [...new Set(chatIds)];
      if (unique.length === 0) return people;
      // Phone chats by the contact's number (one indexed lookup for all of them)...
      const phones = new Map<string, string>();
      for (const chatId of unique) {
        const phone = phoneOfChat(chatId);
        if (phone !== null) phones.set(phone, chatId);
      }
      if (phones.size > 0) {
        const rows = await db
          .selectFrom('contacts')
          .select(['phone_e164', 'name'])
          .where('workspace_id', '=', workspaceId)
          .where('phone_e164', 'in', [...phones.keys()])
          .execute();
        for (const row of rows) {
          const chatId = phones.get(row.phone_e164 ?? '');
          if (chatId !== undefined) people.set(chatId, { name: row.name, phone: row.phone_e164 });
        }
      }
      // ...the others (a LID, a Cloud API wa_id) by the contact of each chat's latest message that has
      // one, in one query (the messages index is by workspace and chat).
      const others = unique.filter((chatId) => phoneOfChat(chatId) === null);
      if (others.length > 0) {
        const rows = await sql<{ chat_id: string; name: string | null; phone_e164: string | null }>`
          with latest as (
            select chat_id, contact_id,
              row_number() over (partition by chat_id order by created_at desc) as rn
            from messages
            where workspace_id = ${workspaceId} and contact_id is not null
              and chat_id in (${sql.join(others)})
          )
          select l.chat_id, c.name, c.phone_e164 from latest l
          join contacts c on c.workspace_id = ${workspaceId} and c.id = l.contact_id
          where l.rn = 1
        `.execute(db);
        for (const row of rows.rows) people.set(row.chat_id, { name: row.name, phone: row.phone_e164 });
      }
      return people;
    },

    async faqQuestions(workspaceId, faqIds) {
      const key = { workspace_id: workspaceId as WorkspaceId };
      const rows = await keyedTable(db, 'faqs').findIn(key, 'id', faqIds, ['id', 'question']);
      return new Map(rows.map((r) => [r.id, r.question]));
    },

    async idsOfNamed(workspaceId, search) {
      const text = search.trim().toLowerCase();
      if (text.length < 2) return [];
      const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = await db
        .selectFrom('contacts')
        .select(['phone_e164', 'wa_id'])
        .where('workspace_id', '=', workspaceId)
        .where((eb) => eb(sql<string>`lower(name)`, 'like', sql<string>`${pattern} escape '\\'`))
        .limit(MAX_NAMED)
        .execute();
      const ids = new Set<string>();
      for (const row of rows) {
        // Chat ids hold the digits without "+": "2348066665555@s.whatsapp.net".
        if (row.phone_e164 !== null) ids.add(row.phone_e164.replace(/^\+/, ''));
        if (row.wa_id !== null && row.wa_id !== '') ids.add(row.wa_id);
      }
      return [...ids];
    },
  };
}
