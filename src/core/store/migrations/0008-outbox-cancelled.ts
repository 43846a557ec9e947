import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Outbox rows can be `cancelled`: a bot reply still queued (waiting for pacing or the connection) when
 * the owner answers the chat by hand would otherwise go out after the owner's answer, and the customer
 * would be answered twice. SQLite cannot change a CHECK constraint in place, so the table is rebuilt
 * with the same columns, rows and indexes (inside the migration's transaction: all or nothing).
 */
export const migration0008OutboxCancelled: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`create table outbox_next (
      seq integer primary key autoincrement,
      id text not null unique,
      workspace_id text not null references workspaces(id) on delete cascade,
      business_number text not null,
      chat_id text not null,
      inbound_message_id text,
      kind text not null check (kind in ('faq', 'ai', 'greeting', 'away', 'handoff', 'owner')),
      text text not null check (length(text) between 1 and 65536),
      status text not null check (status in ('queued', 'sending', 'sent', 'failed', 'cancelled')),
      attempts integer not null default 0 check (attempts >= 0),
      next_attempt_at integer not null,
      last_error text,
      created_at integer not null,
      updated_at integer not null,
      sent_at integer,
      provider_message_id text
    )`.execute(db);
    await sql`insert into outbox_next (seq, id, workspace_id, business_number, chat_id, inbound_message_id,
        kind, text, status, attempts, next_attempt_at, last_error, created_at, updated_at, sent_at,
        provider_message_id)
      select seq, id, workspace_id, business_number, chat_id, inbound_message_id, kind, text, status,
        attempts, next_attempt_at, last_error, created_at, updated_at, sent_at, provider_message_id
      from outbox`.execute(db);
    // AUTOINCREMENT's high-water mark (sqlite_sequence, keyed by table name, renamed with the table):
    // carry the old one over, so a seq is never reused even when the newest rows were deleted.
    await sql`update sqlite_sequence
      set seq = (select max(seq) from sqlite_sequence where name in ('outbox', 'outbox_next'))
      where name = 'outbox_next'`.execute(db);
    await sql`drop table outbox`.execute(db);
    await sql`alter table outbox_next rename to outbox`.execute(db);
    await db.schema
      .createIndex('outbox_pending')
      .on('outbox')
      .columns(['workspace_id', 'business_number', 'seq'])
      .where(sql.ref('status'), 'in', sql`('queued', 'sending')`)
      .execute();
    await db.schema
      .createIndex('outbox_workspace_chat')
      .on('outbox')
      .columns(['workspace_id', 'chat_id', 'seq'])
      .execute();
  },
};
