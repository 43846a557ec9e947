import { sql, type Kysely, type Migration } from 'kysely';
import { createIndex, requiredColumns, requiredTime, textId, workspaceId } from './columns/index';

/**
 * The messaging pipeline's durable state (architecture.md, "The messaging pipeline"): the outbox the
 * senders drain, each chat's conversation state (greeting, hand-off, pauses, away, flood guard), and
 * the messages no workspace owns. Everything a decision needs lives here, not in a process's memory,
 * so any process holding the database can pick up where a crashed one stopped.
 */
export const migration0003Pipeline: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // The outbox the senders drain.
    await createOutbox(db, 'outbox', `'queued', 'sending', 'sent', 'failed'`);
    await createOutboxIndexes(db);

    // One row per chat per receiving number: the memory decide() needs between messages.
    await db.schema
      .createTable('conversations')
      .$call(workspaceId)
      .addColumn('business_number', 'text', (c) => c.notNull())
      .addColumn('chat_id', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
      .addColumn('first_seen_at', 'integer', (c) => c.notNull())
      .addColumn('last_inbound_at', 'integer')
      .addColumn('greeted_at', 'integer')
      // Set while the chat waits for a human; the bot stays quiet until the owner releases it.
      .addColumn('handoff_since', 'integer')
      .addColumn('handoff_reason', 'text')
      .addColumn('bot_paused_until', 'integer')
      // Which closed period the away message was last sent in: at most once per contact per period.
      .addColumn('last_away_period', 'text')
      .addColumn('flood_window_start', 'integer')
      .addColumn('flood_count', 'integer', (c) => c.notNull().defaultTo(0))
      .$call(requiredTime('updated_at'))
      .addPrimaryKeyConstraint('conversations_pk', ['workspace_id', 'business_number', 'chat_id'])
      .addCheckConstraint(
        'conversations_handoff_pair',
        sql`(handoff_since is null) = (handoff_reason is null)`,
      )
      .execute();
    await createIndex(db, 'conversations_workspace_chat', 'conversations', ['workspace_id', 'chat_id']);
    await db.schema
      .createIndex('conversations_handoffs')
      .on('conversations')
      .columns(['workspace_id', 'handoff_since'])
      .where(sql.ref('handoff_since'), 'is not', null)
      .execute();

    // Messages to a number no workspace owns (removed while its socket still delivered, or a routing
    // bug). Kept, never answered: there is no workspace whose settings could answer them.
    await db.schema
      .createTable('unroutable_messages')
      .$call(textId)
      .$call(requiredColumns('text', 'business_number', 'provider_message_id', 'chat_id'))
      .addColumn('sender_wa_id', 'text')
      .addColumn('sender_phone', 'text')
      .addColumn('sender_name', 'text')
      .addColumn('text', 'text', (c) => c.check(sql`text is null or length(text) <= 65536`))
      .addColumn('provider_ts', 'integer')
      .addColumn('received_at', 'integer', (c) => c.notNull())
      .addUniqueConstraint('unroutable_provider_id', ['business_number', 'provider_message_id'])
      .execute();

    // Decide needs the chat's kind (group, status, ...) to re-process a message that was stored but not
    // yet decided when the process stopped; the chat id alone is provider-specific.
    await db.schema.alterTable('messages').addColumn('chat_kind', 'text').execute();
    // Stored-but-undecided inbound rows: what a restart re-processes. Partial, so it stays tiny.
    await db.schema
      .createIndex('messages_undecided')
      .on('messages')
      .columns(['workspace_id', 'created_at'])
      .where(sql.ref('status'), '=', 'received')
      .execute();
  },
};

/**
 * The outbox as 0003 made it, under `table` and allowing `statuses` (SQL literals): 0008 rebuilt it
 * with the same columns to allow one more status. `id` is the WhatsApp message id the sender passes on
 * every attempt, chosen when the row is written: a resend after a crash carries the same id, so the
 * recipient's phone (and our own ack handling) can tell it is the same message. `seq` is the send
 * order: per-chat order and FIFO across chats follow it, and, unlike created_at, it never ties.
 */
export async function createOutbox(db: Kysely<unknown>, table: string, statuses: string): Promise<void> {
  await sql`create table ${sql.raw(table)} (
      seq integer primary key autoincrement,
      id text not null unique,
      workspace_id text not null references workspaces(id) on delete cascade,
      business_number text not null,
      chat_id text not null,
      inbound_message_id text,
      kind text not null check (kind in ('faq', 'ai', 'greeting', 'away', 'handoff', 'owner')),
      text text not null check (length(text) between 1 and 65536),
      status text not null check (status in (${sql.raw(statuses)})),
      attempts integer not null default 0 check (attempts >= 0),
      next_attempt_at integer not null,
      last_error text,
      created_at integer not null,
      updated_at integer not null,
      sent_at integer,
      provider_message_id text
    )`.execute(db);
}

/** The outbox's indexes (made again after 0008's rebuild). */
export async function createOutboxIndexes(db: Kysely<unknown>): Promise<void> {
  // Partial: senders only ever look for unfinished rows, and sent rows pile up forever.
  await db.schema
    .createIndex('outbox_pending')
    .on('outbox')
    .columns(['workspace_id', 'business_number', 'seq'])
    .where(sql.ref('status'), 'in', sql`('queued', 'sending')`)
    .execute();
  await createIndex(db, 'outbox_workspace_chat', 'outbox', ['workspace_id', 'chat_id', 'seq']);
}
