import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Files the business sends. `outbox` rows may carry one: the kind, the file's SHA-256 in the media
 * store, its type, name and caption (null: none; the row's `text`, which may not be empty, then names
 * the file for the logs), so a queued photo survives a restart and goes out once like a text reply. `faq_attachments`: the photo or document an FAQ's answer sends
 * with its text (the price list, the menu), at most one per FAQ, kept beside `faqs` rather than in
 * it so the FAQ rows the matcher reads stay as they are.
 */
export const migration0017OutboundMedia: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`alter table outbox add column media_kind text
      check (media_kind is null or media_kind in ('image', 'voice', 'audio', 'document'))`.execute(db);
    await sql`alter table outbox add column media_sha256 text
      check (media_sha256 is null or length(media_sha256) = 64)`.execute(db);
    await sql`alter table outbox add column media_mime text`.execute(db);
    await sql`alter table outbox add column media_file_name text`.execute(db);
    await sql`alter table outbox add column media_caption text`.execute(db);
    await sql`create table faq_attachments (
      faq_id text primary key references faqs (id) on delete cascade,
      workspace_id text not null references workspaces (id) on delete cascade,
      kind text not null check (kind in ('image', 'document')),
      sha256 text not null check (length(sha256) = 64),
      mime text not null,
      file_name text not null,
      size integer not null check (size > 0),
      created_at integer not null
    )`.execute(db);
    await sql`create index faq_attachments_workspace on faq_attachments (workspace_id)`.execute(db);
  },
};
