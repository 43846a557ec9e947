import { sql, type Kysely } from 'kysely';
import type { E164, MessageAuthor, WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';
import { toRecord } from './conversation-rows';
import type { ConversationRecord, RecentChat } from './conversation-types';

/** One row of the recent-chats query: a chat's newest message with its contact and hand-off state. */
interface RecentChatRow {
  chat_id: string;
  business_number: string;
  author: string;
  text: string | null;
  created_at: number;
  media_kind: string | null;
  media_file_name: string | null;
  contact_id: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  handoff_since: number | null;
  handoff_reason: string | null;
  bot_paused_until: number | null;
  waiting_since: number | null;
  waiting_reason: string | null;
}

/** The chats of a workspace for the screens: the most recent, and those waiting for the owner. */
export function conversationLists(db: Kysely<Database>) {
  return {
    /**
     * The workspace's chats by their newest message, newest first, with the customer (from the chat's
     * latest message that names one) and the hand-off and pause state across the workspace's numbers.
     * Plain SQL with a window function (SQLite 3.25+, PostgreSQL): kysely has no builder for it.
     */
    async listRecent(workspaceId: WorkspaceId, limit = 50): Promise<RecentChat[]> {
      const result = await sql<RecentChatRow>`
        with ranked as (
          select id, chat_id, business_number, author, text, created_at,
            row_number() over (partition by chat_id order by created_at desc, id desc) as rn
          from messages
          where workspace_id = ${workspaceId}
        ),
        latest as (
          select * from ranked where rn = 1 order by created_at desc, chat_id limit ${Math.min(limit, 1000)}
        ),
        who as (
          select l.*, (
            select m.contact_id from messages m
            where m.workspace_id = ${workspaceId} and m.chat_id = l.chat_id and m.contact_id is not null
            order by m.created_at desc limit 1
          ) as contact_id
          from latest l
        )
        select w.chat_id, w.business_number, w.author, w.text, w.created_at, w.contact_id,
          (select mm.kind from message_media mm where mm.message_id = w.id) as media_kind,
          (select mm.file_name from message_media mm where mm.message_id = w.id) as media_file_name,
          ct.name as contact_name, ct.phone_e164 as contact_phone,
          (select max(c.handoff_since) from conversations c
            where c.workspace_id = ${workspaceId} and c.chat_id = w.chat_id) as handoff_since,
          (select c.handoff_reason from conversations c
            where c.workspace_id = ${workspaceId} and c.chat_id = w.chat_id and c.handoff_since is not null
            order by c.handoff_since desc limit 1) as handoff_reason,
          (select max(c.bot_paused_until) from conversations c
            where c.workspace_id = ${workspaceId} and c.chat_id = w.chat_id) as bot_paused_until,
          (select min(c.waiting_since) from conversations c
            where c.workspace_id = ${workspaceId} and c.chat_id = w.chat_id) as waiting_since,
          (select c.waiting_reason from conversations c
            where c.workspace_id = ${workspaceId} and c.chat_id = w.chat_id and c.waiting_since is not null
            order by c.waiting_since limit 1) as waiting_reason
        from who w
        left join contacts ct on ct.workspace_id = ${workspaceId} and ct.id = w.contact_id
        order by w.created_at desc, w.chat_id
      `.execute(db);
      return result.rows.map((row) => ({
        chatId: row.chat_id,
        businessNumber: row.business_number as E164,
        contactId: row.contact_id,
        contactName: row.contact_name,
        contactPhone: row.contact_phone,
        lastText: row.text,
        lastMediaKind: row.media_kind,
        lastMediaFileName: row.media_file_name,
        lastAuthor: row.author as MessageAuthor,
        lastAt: row.created_at,
        handoffSince: row.handoff_since,
        handoffReason: row.handoff_reason,
        botPausedUntil: row.bot_paused_until,
        waitingSince: row.waiting_since,
        waitingReason: row.waiting_reason,
      }));
    },

    /** Chats a person owes an answer, longest waiting first: the "Needs you" list. */
    async listWaiting(workspaceId: WorkspaceId, limit = 200): Promise<ConversationRecord[]> {
      const rows = await db
        .selectFrom('conversations')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('waiting_since', 'is not', null)
        .orderBy('waiting_since')
        .orderBy('chat_id')
        .limit(Math.min(limit, 1000))
        .execute();
      return rows.map(toRecord);
    },
  };
}
