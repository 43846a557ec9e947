import { sql, type Expression, type Kysely, type Selectable, type SqlBool, type UpdateObject } from 'kysely';
import type { OutboundMediaKind } from '../../../shared/media-send-contract';
import type { E164, WorkspaceId } from '../../../shared/types';
import type { Database, OutboxTable } from '../schema';
import { powerOfTwoChunks } from './chunks';
import { keyedTable } from './keyed-table';
import { camelRow } from './row-fields';
import { scopedTable } from './scoped-table';

export const OUTBOX_KINDS = ['faq', 'ai', 'greeting', 'away', 'handoff', 'owner'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';
/** What the bot sends on its own; 'owner' rows are typed by a person and never cancelled for them. */
export const BOT_OUTBOX_KINDS: readonly OutboxKind[] = ['faq', 'ai', 'greeting', 'away', 'handoff'];

/**
 * A file a row sends; the bytes are in the media store under `sha256`. The row's `text` (never empty)
 * is then the caption, or the file's name when it has none.
 */
export interface OutboxMedia {
  kind: OutboundMediaKind;
  sha256: string;
  mime: string;
  fileName: string | null;
  caption: string | null;
}

export interface NewOutboxRow {
  /** The WhatsApp message id every attempt sends with (chosen here, stable across retries). */
  id: string;
  businessNumber: E164;
  chatId: string;
  /** Our id of the inbound message this answers, if any. */
  inboundMessageId: string | null;
  kind: OutboxKind;
  text: string;
  /** A photo, document or voice note sent with it (0017); absent or null for text alone. */
  media?: OutboxMedia | null;
  /** A clarifying question's options (0018): a Cloud API number sends them as a list to pick from. */
  choices?: readonly string[] | null;
  /** The FAQ a bot answer came from (not stored): its photo or document goes with it. */
  faqId?: string | null;
}

export interface OutboxRow extends NewOutboxRow {
  seq: number;
  workspaceId: WorkspaceId;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
  providerMessageId: string | null;
}

/** A pending row with what the sender needs to mark the answered message read. */
export interface PendingOutboxRow extends OutboxRow {
  inboundProviderMessageId: string | null;
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;

/**
 * Spelled as literals, not bound parameters: SQLite only uses the partial `outbox_pending` index when
 * the query's WHERE repeats the index's own constants.
 */
const PENDING = sql<boolean>`outbox.status in ('queued', 'sending')`;
const NOT_SENT = sql<boolean>`outbox.status != 'sent'`;
/** A row the owner may send again: it failed, or was refused after it was sent, or was cancelled. */
const FINISHED = sql<boolean>`outbox.status in ('failed', 'sent', 'cancelled')`;

/** A row as it enters the queue (new, or sent again by the owner): due now, no attempts yet. */
function queuedAfresh(now: number) {
  return {
    status: 'queued',
    attempts: 0,
    next_attempt_at: now,
    last_error: null,
    created_at: now,
    updated_at: now,
  } as const;
}

/** Moves one row to the state `patch` writes, if it is in a state `from` allows; whether it moved. */
async function transition(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  id: string,
  patch: UpdateObject<Database, 'outbox'>,
  from: Expression<SqlBool>,
): Promise<boolean> {
  return (await keyedTable(db, 'outbox').update({ workspace_id: workspaceId, id }, patch, from)) > 0;
}

/**
 * The replies waiting to be sent, per number and chat, each with its attempts and outcome: what the
 * sender drains (reads, the send transitions, and what the owner and the pipeline change).
 */
export function createOutboxRepository(db: Kysely<Database>) {
  return { ...outboxReads(db), ...outboxSendSteps(db), ...outboxQueueing(db) };
}

/** Rows as they are: for the sender, the thread and the echo filter. */
function outboxReads(db: Kysely<Database>) {
  return {
    async get(workspaceId: WorkspaceId, id: string): Promise<OutboxRow | undefined> {
      const row = await scopedTable(db, 'outbox').get(workspaceId, id);
      return row === undefined ? undefined : toRow(row);
    },

    /** Unfinished rows of one number in send order, with the provider id of the message each answers. */
    async listPending(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      limit = 100,
    ): Promise<PendingOutboxRow[]> {
      const rows = await db
        .selectFrom('outbox')
        .leftJoin('messages', (join) =>
          join
            .onRef('messages.id', '=', 'outbox.inbound_message_id')
            .onRef('messages.workspace_id', '=', 'outbox.workspace_id'),
        )
        .selectAll('outbox')
        .select('messages.provider_message_id as inbound_provider_message_id')
        .where('outbox.workspace_id', '=', workspaceId)
        .where('outbox.business_number', '=', businessNumber)
        .where(PENDING)
        .orderBy('outbox.seq')
        .limit(Math.min(limit, 1000))
        .execute();
      return rows.map((row) => ({
        ...toRow(row),
        inboundProviderMessageId: row.inbound_provider_message_id,
      }));
    },

    /** A chat's rows, oldest first (the screen of a conversation, and tests). */
    async listByChat(workspaceId: WorkspaceId, chatId: string, limit = 200): Promise<OutboxRow[]> {
      const key = { workspace_id: workspaceId, chat_id: chatId };
      return (await keyedTable(db, 'outbox').list(key, ['seq'], Math.min(limit, 1000))).map(toRow);
    },

    /**
     * The kind of each of these rows that exists, and its last error (a chat's replies carry their
     * outbox id as message id: the thread names bot replies and says why a send failed).
     */
    describe: (workspaceId: WorkspaceId, ids: readonly string[]) => describeRows(db, workspaceId, ids),

    /** The kind of each of these rows that exists. */
    async kindsOf(workspaceId: WorkspaceId, ids: readonly string[]): Promise<Map<string, OutboxKind>> {
      const rows = await describeRows(db, workspaceId, ids);
      return new Map([...rows].map(([id, row]) => [id, row.kind]));
    },

    /** The numbers of this workspace with unfinished rows: where senders must resume after a start. */
    async pendingNumbers(workspaceId: WorkspaceId): Promise<E164[]> {
      const rows = await db
        .selectFrom('outbox')
        .select('business_number')
        .distinct()
        .where('workspace_id', '=', workspaceId)
        .where(PENDING)
        .execute();
      return rows.map((r) => r.business_number as E164);
    },

    /**
     * Whether a message id is one the pipeline sent: its echo from the owner's phone must not count as
     * the owner typing. Matched on our id, which is the id the message travels with (SendOptions).
     */
    async isOwn(workspaceId: WorkspaceId, messageId: string): Promise<boolean> {
      return keyedTable(db, 'outbox').exists({ workspace_id: workspaceId, id: messageId });
    },
  };
}

/** The sender's transitions of one row: claimed, sent, put off, given up. */
function outboxSendSteps(db: Kysely<Database>) {
  return {
    /**
     * Recorded before the provider is called, attempt counted: a crash from here on leaves the row
     * 'sending', and the next start sends it again with the same id.
     */
    markSending: (workspaceId: WorkspaceId, id: string, now: number) =>
      transition(
        db,
        workspaceId,
        id,
        { status: 'sending', attempts: (eb) => eb('attempts', '+', 1), updated_at: now },
        PENDING,
      ),

    /** Idempotent: a row already sent keeps its first provider id and time. */
    markSent: (workspaceId: WorkspaceId, id: string, providerMessageId: string, now: number) =>
      transition(
        db,
        workspaceId,
        id,
        {
          status: 'sent',
          provider_message_id: providerMessageId,
          sent_at: now,
          last_error: null,
          updated_at: now,
        },
        NOT_SENT,
      ),

    /** Back to the queue, to be tried again at `nextAttemptAt` (a failed attempt, or no connection). */
    reschedule: (
      workspaceId: WorkspaceId,
      id: string,
      retry: { attempts: number; nextAttemptAt: number; lastError: string | null },
      now: number,
    ) =>
      transition(
        db,
        workspaceId,
        id,
        {
          status: 'queued',
          attempts: retry.attempts,
          next_attempt_at: retry.nextAttemptAt,
          last_error: retry.lastError,
          updated_at: now,
        },
        PENDING,
      ),

    markFailed: (workspaceId: WorkspaceId, id: string, error: string, now: number) =>
      transition(db, workspaceId, id, { status: 'failed', last_error: error, updated_at: now }, PENDING),
  };
}

/** Rows queued, retried by the owner, or dropped when the owner answered by hand. */
function outboxQueueing(db: Kysely<Database>) {
  return {
    async insertMany(workspaceId: WorkspaceId, rows: readonly NewOutboxRow[], now: number): Promise<void> {
      for (const chunk of powerOfTwoChunks(rows)) {
        await db
          .insertInto('outbox')
          .values(
            chunk.map((r) => ({
              id: r.id,
              workspace_id: workspaceId,
              business_number: r.businessNumber,
              chat_id: r.chatId,
              inbound_message_id: r.inboundMessageId,
              kind: r.kind,
              text: r.text,
              ...queuedAfresh(now),
              sent_at: null,
              provider_message_id: null,
              media_kind: r.media?.kind ?? null,
              media_sha256: r.media?.sha256 ?? null,
              media_mime: r.media?.mime ?? null,
              media_file_name: r.media?.fileName ?? null,
              media_caption: r.media?.caption ?? null,
              choices: r.choices != null && r.choices.length > 0 ? JSON.stringify(r.choices) : null,
            })),
          )
          .execute();
      }
    },

    /** A row that went out and was refused afterwards keeps its status, with the reason. */
    async noteFailure(workspaceId: WorkspaceId, id: string, error: string, now: number): Promise<void> {
      await scopedTable(db, 'outbox').update(workspaceId, id, { last_error: error, updated_at: now });
    },

    /**
     * The owner's Retry: a finished row (failed, or refused after it was sent) goes back to the queue
     * with its attempts reset. Returns false for a row still queued or sending: it is not queued twice.
     */
    requeue: (workspaceId: WorkspaceId, id: string, now: number) =>
      transition(
        db,
        workspaceId,
        id,
        // created_at too: a retried bot reply is the owner's fresh choice, not a stale one to hold back.
        queuedAfresh(now),
        FINISHED,
      ),

    /**
     * The bot's replies still waiting in a chat (not yet handed to WhatsApp) are dropped: the owner
     * answered there by hand. Rows already 'sending' may be at WhatsApp and are left alone. Returns the
     * ids cancelled (migration 0008).
     */
    async cancelQueuedBotReplies(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      chatId: string,
      reason: string,
      now: number,
    ): Promise<string[]> {
      const rows = await db
        .updateTable('outbox')
        .set({ status: 'cancelled', last_error: reason, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('business_number', '=', businessNumber)
        .where('chat_id', '=', chatId)
        .where('status', '=', 'queued')
        .where('kind', 'in', BOT_OUTBOX_KINDS)
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },
  };
}

async function describeRows(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  ids: readonly string[],
): Promise<Map<string, { kind: OutboxKind; lastError: string | null }>> {
  const found = await keyedTable(db, 'outbox').findIn({ workspace_id: workspaceId }, 'id', ids, [
    'id',
    'kind',
    'last_error',
  ]);
  return new Map(found.map((row) => [row.id, { kind: row.kind as OutboxKind, lastError: row.last_error }]));
}

function toRow(row: Selectable<OutboxTable>): OutboxRow {
  const { media_kind, media_sha256, media_mime, media_file_name, media_caption, choices, ...columns } = row;
  return {
    ...camelRow(columns),
    workspaceId: row.workspace_id as WorkspaceId,
    businessNumber: row.business_number as E164,
    kind: row.kind as OutboxKind,
    status: row.status as OutboxStatus,
    media:
      media_kind !== null && media_sha256 !== null
        ? {
            kind: media_kind as OutboundMediaKind,
            sha256: media_sha256,
            mime: media_mime ?? 'application/octet-stream',
            fileName: media_file_name,
            caption: media_caption,
          }
        : null,
    choices: choicesOf(choices),
  };
}

function choicesOf(json: string | null): string[] | null {
  if (json === null) return null;
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) && parsed.every((c) => typeof c === 'string') ? parsed : null;
}
