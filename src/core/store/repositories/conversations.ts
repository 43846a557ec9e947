import type { Kysely } from 'kysely';
import type { E164, WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';
import { powerOfTwoChunks } from './chunks';
import { conversationHandoff, conversationOwnerTurns } from './conversation-handoff';
import { conversationLists } from './conversation-lists';
import { toRecord, toRow } from './conversation-rows';
import type { ConversationRecord } from './conversation-types';
import { keyedTable } from './keyed-table';

export * from './conversation-types';

export { OWNER_TOOK_OVER } from './conversation-rows';

export type ConversationRepository = ReturnType<typeof createConversationRepository>;

/** What the pipeline remembers per chat, read and saved in batches, with the hand-off and owner turns. */
export function createConversationRepository(db: Kysely<Database>) {
  return {
    ...conversationRecords(db),
    ...conversationHandoff(db),
    ...conversationOwnerTurns(db),
    ...conversationLists(db),
  };
}

/** The chats' records by key, one or many, and saving many at once. */
export function conversationRecords(db: Kysely<Database>) {
  return {
    async get(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      chatId: string,
    ): Promise<ConversationRecord | undefined> {
      const key = { workspace_id: workspaceId, business_number: businessNumber, chat_id: chatId };
      const row = await keyedTable(db, 'conversations').get(key);
      return row === undefined ? undefined : toRecord(row);
    },

    /** The states of many chats on one number in one query: decide runs over a batch of messages. */
    async getMany(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      chatIds: readonly string[],
    ): Promise<Map<string, ConversationRecord>> {
      const key = { workspace_id: workspaceId, business_number: businessNumber };
      const rows = await keyedTable(db, 'conversations').getIn(key, 'chat_id', chatIds);
      return new Map(rows.map((row) => [row.chat_id, toRecord(row)]));
    },

    /** Writes whole states (insert or replace), several per statement: the hot path of decide's commit. */
    async saveMany(
      workspaceId: WorkspaceId,
      records: readonly ConversationRecord[],
      now: number,
    ): Promise<void> {
      // 14 columns x 128 rows: well under SQLite's 32,766 bound parameters.
      for (const chunk of powerOfTwoChunks(records)) {
        const rows = chunk.map((r) => toRow(workspaceId, r, now));
        await db
          .insertInto('conversations')
          .values(rows)
          .onConflict((oc) =>
            oc.columns(['workspace_id', 'business_number', 'chat_id']).doUpdateSet((eb) => ({
              contact_id: eb.fn.coalesce(eb.ref('excluded.contact_id'), eb.ref('conversations.contact_id')),
              first_seen_at: eb.ref('excluded.first_seen_at'),
              last_inbound_at: eb.ref('excluded.last_inbound_at'),
              greeted_at: eb.ref('excluded.greeted_at'),
              handoff_since: eb.ref('excluded.handoff_since'),
              handoff_reason: eb.ref('excluded.handoff_reason'),
              bot_paused_until: eb.ref('excluded.bot_paused_until'),
              last_away_period: eb.ref('excluded.last_away_period'),
              flood_window_start: eb.ref('excluded.flood_window_start'),
              flood_count: eb.ref('excluded.flood_count'),
              last_answer_faq_id: eb.ref('excluded.last_answer_faq_id'),
              waiting_since: eb.ref('excluded.waiting_since'),
              waiting_reason: eb.ref('excluded.waiting_reason'),
              released_at: eb.ref('excluded.released_at'),
              clarify_faq_ids: eb.ref('excluded.clarify_faq_ids'),
              clarify_asked_at: eb.ref('excluded.clarify_asked_at'),
              clarify_expires_at: eb.ref('excluded.clarify_expires_at'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
    },
  };
}
