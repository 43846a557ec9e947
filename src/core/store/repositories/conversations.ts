import { sql, type Kysely, type Selectable } from 'kysely';
import type { E164, MessageAuthor, WorkspaceId } from '../../../shared/types';
import type { ConversationsTable, Database } from '../schema';
import { powerOfTwoChunks } from './chunks';

/** What the pipeline remembers about one chat on one receiving number (camelCase of the row). */
export interface ConversationRecord {
  businessNumber: E164;
  chatId: string;
  contactId: string | null;
  firstSeenAt: number;
  lastInboundAt: number | null;
  greetedAt: number | null;
  handoff: { since: number; reason: string } | null;
  botPausedUntil: number | null;
  lastAwayPeriod: string | null;
  floodWindowStart: number | null;
  floodCount: number;
  /** The FAQ the bot answered last (the flood guard counts the same one again as a repeat). */
  lastAnswerFaqId: string | null;
  /**
   * A person owes the customer an answer since `since` (the "Needs you" list): set by a hand-off, a
   * message in a chat already with a person or paused by the owner, a reply that could not be sent;
   * cleared by the owner's answer or by giving the chat back to the bot.
   */
  waiting: { since: number; reason: string } | null;
  /** When the owner last gave the chat back to the bot. */
  releasedAt: number | null;
  /**
   * The bot asked "Do you mean 1) ... or 2) ...?" and waits for the pick: the offered FAQs in order,
   * and until when the question stands (after that the chat goes to a person). Null: nothing pending.
   */
  clarification: Clarification | null;
}

export interface Clarification {
  faqIds: string[];
  askedAt: number;
  expiresAt: number;
}

/** A chat as the Conversations list shows it: its newest message and its state on any number. */
export interface RecentChat {
  chatId: string;
  businessNumber: E164;
  contactId: string | null;
  contactName: string | null;
  contactPhone: string | null;
  lastText: string | null;
  /** The last message's photo, voice note, location... kind, when it carries one. */
  lastMediaKind: string | null;
  lastAuthor: MessageAuthor;
  lastAt: number;
  handoffSince: number | null;
  handoffReason: string | null;
  botPausedUntil: number | null;
  /** A person owes the customer an answer since then (earliest over the chat's numbers); null if not. */
  waitingSince: number | null;
  waitingReason: string | null;
}

interface RecentChatRow {
  chat_id: string;
  business_number: string;
  author: string;
  text: string | null;
  created_at: number;
  media_kind: string | null;
  contact_id: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  handoff_since: number | null;
  handoff_reason: string | null;
  bot_paused_until: number | null;
  waiting_since: number | null;
  waiting_reason: string | null;
}

/** A chat the pipeline has not seen before: what a first message's decision starts from. */
export const EMPTY_CONVERSATION: Readonly<Omit<ConversationRecord, 'businessNumber' | 'chatId'>> = {
  contactId: null,
  firstSeenAt: 0,
  lastInboundAt: null,
  greetedAt: null,
  handoff: null,
  botPausedUntil: null,
  lastAwayPeriod: null,
  floodWindowStart: null,
  floodCount: 0,
  lastAnswerFaqId: null,
  waiting: null,
  releasedAt: null,
  clarification: null,
};

const NO_CLARIFICATION = { clarify_faq_ids: null, clarify_asked_at: null, clarify_expires_at: null };

/** The hand-off reason of a chat the owner took over from the bot. */
export const OWNER_TOOK_OVER = 'owner-took-over';

export type ConversationRepository = ReturnType<typeof createConversationRepository>;

export function createConversationRepository(db: Kysely<Database>) {
  return {
    async get(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      chatId: string,
    ): Promise<ConversationRecord | undefined> {
      const row = await db
        .selectFrom('conversations')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('business_number', '=', businessNumber)
        .where('chat_id', '=', chatId)
        .executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },

    /** The states of many chats on one number in one query: decide runs over a batch of messages. */
    async getMany(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      chatIds: readonly string[],
    ): Promise<Map<string, ConversationRecord>> {
      const found = new Map<string, ConversationRecord>();
      for (const chunk of powerOfTwoChunks([...new Set(chatIds)])) {
        const rows = await db
          .selectFrom('conversations')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .where('business_number', '=', businessNumber)
          .where('chat_id', 'in', chunk)
          .execute();
        for (const row of rows) found.set(row.chat_id, toRecord(row));
      }
      return found;
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

    /**
     * The owner answered by hand: the bot keeps out of this chat until `until`. Creates the state when
     * the owner writes first, so the customer is not greeted as a stranger afterwards.
     */
    async pause(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      chatId: string,
      until: number,
      now: number,
    ): Promise<void> {
      await db
        .insertInto('conversations')
        .values({
          workspace_id: workspaceId,
          business_number: businessNumber,
          chat_id: chatId,
          first_seen_at: now,
          bot_paused_until: until,
          flood_count: 0,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'business_number', 'chat_id']).doUpdateSet((eb) => ({
            // Never shorten a longer pause already in place (a CASE, not SQLite's two-argument max(),
            // so the statement also runs on PostgreSQL).
            bot_paused_until: eb
              .case()
              .when('conversations.bot_paused_until', '>', eb.ref('excluded.bot_paused_until'))
              .then(eb.ref('conversations.bot_paused_until'))
              .else(eb.ref('excluded.bot_paused_until'))
              .end(),
            // The owner is answering: a clarifying question of the bot's no longer waits for a pick.
            ...NO_CLARIFICATION,
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    },

    /**
     * "Give back to the bot": ends the hand-off, the owner's pause and the wait on every number of the
     * workspace, so the customer's next question is the bot's again. Returns how many chats were with
     * a person (handed over, paused or waiting).
     */
    async release(workspaceId: WorkspaceId, chatId: string, now: number): Promise<number> {
      const result = await db
        .updateTable('conversations')
        .set({
          handoff_since: null,
          handoff_reason: null,
          bot_paused_until: null,
          waiting_since: null,
          waiting_reason: null,
          released_at: now,
          ...NO_CLARIFICATION,
          updated_at: now,
        })
        .where('workspace_id', '=', workspaceId)
        .where('chat_id', '=', chatId)
        .where((eb) =>
          eb.or([
            eb('handoff_since', 'is not', null),
            eb('waiting_since', 'is not', null),
            eb('bot_paused_until', '>', now),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /**
     * "Take over": the owner answers this chat from now on; the bot keeps out on every number of the
     * chat until it is given back. Creates the state on `businessNumber` when the bot never saw the chat.
     */
    async takeOver(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      chatId: string,
      now: number,
    ): Promise<void> {
      await db
        .insertInto('conversations')
        .values({
          workspace_id: workspaceId,
          business_number: businessNumber,
          chat_id: chatId,
          first_seen_at: now,
          handoff_since: now,
          handoff_reason: OWNER_TOOK_OVER,
          flood_count: 0,
          updated_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await db
        .updateTable('conversations')
        .set({ handoff_since: now, handoff_reason: OWNER_TOOK_OVER, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('chat_id', '=', chatId)
        .where('handoff_since', 'is', null)
        .execute();
    },

    /** A person answered the customer (from the app or the phone): the chat no longer waits. */
    async answeredByOwner(workspaceId: WorkspaceId, chatId: string, now: number): Promise<number> {
      const result = await db
        .updateTable('conversations')
        .set({ waiting_since: null, waiting_reason: null, ...NO_CLARIFICATION, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('chat_id', '=', chatId)
        .where('waiting_since', 'is not', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /**
     * The chat needs a person from `now` (a reply could not be sent, a queued reply went stale): the
     * earliest wait is kept. With `handOver` the bot also keeps out until the chat is given back.
     * Returns true when the chat was not waiting before (the owner is to be told).
     */
    async markWaiting(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      chatId: string,
      reason: string,
      now: number,
      handOver = false,
    ): Promise<boolean> {
      if (handOver) {
        await db
          .updateTable('conversations')
          .set({ handoff_since: now, handoff_reason: reason, updated_at: now })
          .where('workspace_id', '=', workspaceId)
          .where('business_number', '=', businessNumber)
          .where('chat_id', '=', chatId)
          .where('handoff_since', 'is', null)
          .execute();
      }
      const result = await db
        .updateTable('conversations')
        .set({ waiting_since: now, waiting_reason: reason, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('business_number', '=', businessNumber)
        .where('chat_id', '=', chatId)
        .where('waiting_since', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

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

function toRow(workspaceId: WorkspaceId, r: ConversationRecord, now: number): ConversationsTable {
  return {
    workspace_id: workspaceId,
    business_number: r.businessNumber,
    chat_id: r.chatId,
    contact_id: r.contactId,
    first_seen_at: r.firstSeenAt,
    last_inbound_at: r.lastInboundAt,
    greeted_at: r.greetedAt,
    handoff_since: r.handoff?.since ?? null,
    handoff_reason: r.handoff?.reason ?? null,
    bot_paused_until: r.botPausedUntil,
    last_away_period: r.lastAwayPeriod,
    flood_window_start: r.floodWindowStart,
    flood_count: r.floodCount,
    last_answer_faq_id: r.lastAnswerFaqId,
    waiting_since: r.waiting?.since ?? null,
    waiting_reason: r.waiting?.reason ?? null,
    released_at: r.releasedAt,
    clarify_faq_ids: r.clarification === null ? null : JSON.stringify(r.clarification.faqIds),
    clarify_asked_at: r.clarification?.askedAt ?? null,
    clarify_expires_at: r.clarification?.expiresAt ?? null,
    updated_at: now,
  };
}

function toRecord(row: Selectable<ConversationsTable>): ConversationRecord {
  return {
    businessNumber: row.business_number as E164,
    chatId: row.chat_id,
    contactId: row.contact_id,
    firstSeenAt: row.first_seen_at,
    lastInboundAt: row.last_inbound_at,
    greetedAt: row.greeted_at,
    handoff:
      row.handoff_since === null ? null : { since: row.handoff_since, reason: row.handoff_reason ?? '' },
    botPausedUntil: row.bot_paused_until,
    lastAwayPeriod: row.last_away_period,
    floodWindowStart: row.flood_window_start,
    floodCount: row.flood_count,
    lastAnswerFaqId: row.last_answer_faq_id,
    waiting:
      row.waiting_since === null ? null : { since: row.waiting_since, reason: row.waiting_reason ?? '' },
    releasedAt: row.released_at,
    clarification: readClarification(row),
  };
}

function readClarification(row: Selectable<ConversationsTable>): Clarification | null {
  if (row.clarify_faq_ids === null || row.clarify_expires_at === null) return null;
  let ids: unknown;
  try {
    ids = JSON.parse(row.clarify_faq_ids);
  } catch {
    return null; // unreadable: as if nothing were pending (the next message is decided afresh)
  }
  if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string')) return null;
  return {
    faqIds: ids,
    askedAt: row.clarify_asked_at ?? row.clarify_expires_at,
    expiresAt: row.clarify_expires_at,
  };
}
