import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Media: one row per message that carries a photo, voice note, audio, video, document,
 * sticker, location or contact card, beside its `messages` row (1:1, deleted with it) rather than a
 * dozen mostly-empty columns on the hottest table. `sha256` names the file under <dataDir>/media/
 * once `state` is 'stored'; `ref` is what the provider needs to download it (Baileys: the media key
 * and direct path; Cloud API: the media id), `thumbnail` the small JPEG the sender attached, `extra`
 * the location's coordinates or the contact card. A failed or too-large download keeps its `error`
 * and `attempts`; retention sets 'deleted' and removes the file, keeping the rest.
 */
export const migration0014MessageMedia: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`create table message_media (
      message_id text primary key references messages (id) on delete cascade,
      workspace_id text not null references workspaces (id) on delete cascade,
      kind text not null check (kind in
        ('image', 'video', 'voice', 'audio', 'document', 'sticker', 'location', 'contact')),
      mime text,
      size integer check (size is null or size >= 0),
      sha256 text check (sha256 is null or length(sha256) = 64),
      file_name text,
      caption text,
      duration_s integer,
      thumbnail blob,
      extra text,
      ref text,
      state text not null check (state in ('pending', 'stored', 'failed', 'too-large', 'deleted', 'none')),
      error text,
      attempts integer not null default 0,
      created_at integer not null,
      updated_at integer not null
    )`.execute(db);
    await sql`create index message_media_workspace_state on message_media (workspace_id, state, created_at)`.execute(
      db,
    );
    await sql`create index message_media_sha256 on message_media (sha256) where sha256 is not null`.execute(
      db,
    );
  },
};
