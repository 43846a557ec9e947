import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Unread counts: `chat_reads` keeps, per chat of a workspace, up to when (UTC ms, a message's
 * `created_at`) the owner has seen it: set when the owner opens the chat or has it open as messages
 * arrive. A chat's unread count is its customer messages newer than that and than the owner's own last
 * message (an answer from the phone reads the chat too). One row per chat, not per receiving number:
 * the Conversations list shows a chat once whatever number it came through. Rows go with their
 * workspace.
 *
 * Backfill: every chat already stored is read up to its newest message, so an upgrade does not greet
 * the owner with every old message counted as unread.
 */
export const migration0013ChatRead: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`create table chat_reads (
      workspace_id text not null references workspaces (id) on delete cascade,
      chat_id text not null check (length(chat_id) between 1 and 200),
      read_at integer not null,
      updated_at integer not null,
      primary key (workspace_id, chat_id)
    )`.execute(db);
    await sql`insert into chat_reads (workspace_id, chat_id, read_at, updated_at)
      select workspace_id, chat_id, max(created_at), max(created_at) from messages
      where length(chat_id) between 1 and 200
      group by workspace_id, chat_id`.execute(db);
  },
};
