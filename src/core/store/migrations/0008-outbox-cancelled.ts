import { sql, type Kysely, type Migration } from 'kysely';
import { createOutbox, createOutboxIndexes } from './0003-pipeline';

/**
 * Outbox rows can be `cancelled`: a bot reply still queued (waiting for pacing or the connection) when
 * the owner answers the chat by hand would otherwise go out after the owner's answer, and the customer
 * would be answered twice. SQLite cannot change a CHECK constraint in place, so the table is rebuilt
 * with the same columns, rows and indexes (inside the migration's transaction: all or nothing).
 */
export const migration0008OutboxCancelled: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await createOutbox(db, 'outbox_next', `'queued', 'sending', 'sent', 'failed', 'cancelled'`);
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
    await createOutboxIndexes(db);
  },
};
