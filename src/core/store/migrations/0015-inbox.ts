import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The inbox (search, labels, saved replies, the contact card).
 *
 * `message_search`: an FTS5 index over `messages.text` with `messages` as its external content, so the
 * text is stored once and `snippet()` reads it back from the row. Triggers keep it in step as messages
 * arrive (only rows with text are indexed; the delete triggers mirror that, since deleting a row the
 * index never held would corrupt it). `unicode61 remove_diacritics 2` folds case and accents, so
 * "adebayo" finds "Adébáyọ̀"; 3- and 4-letter prefix tables make "ord" or "deli" cheap to look up while
 * the owner is still typing. The index keys on the implicit rowid of `messages`: a VACUUM may renumber
 * it, so anything that vacuums must `insert into message_search(message_search) values ('rebuild')`.
 * Rows already stored are indexed here.
 *
 * `labels` + `chat_labels`: the WhatsApp Business app's labels per workspace (its five defaults are
 * seeded for every workspace, by a trigger for new ones) and which chats carry them.
 * `saved_replies`: the owner's quick replies. `chat_profiles`: what the owner keeps about a customer
 * (a name of their choosing over WhatsApp's push name, private notes), one row per chat.
 */
export const DEFAULT_LABELS: readonly { name: string; color: string }[] = [
  { name: 'New customer', color: '#2f8fe0' },
  { name: 'New order', color: '#e6a817' },
  { name: 'Pending payment', color: '#e8663d' },
  { name: 'Paid', color: '#2e9e5b' },
  { name: 'Order complete', color: '#8a5cc7' },
];

/** One insert of a default label (names and colours are constants above, never user text). */
const seedLabel = (l: { name: string; color: string }, i: number, from: string) =>
  `insert into labels (id, workspace_id, name, color, position, created_at, updated_at)
   select 'lbl-' || lower(hex(randomblob(12))), w.id, '${l.name}', '${l.color}', ${i}, w.created_at, w.created_at
   from ${from};`;

export const migration0015Inbox: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`create virtual table message_search using fts5(
      text, content = 'messages', tokenize = 'unicode61 remove_diacritics 2', prefix = '3 4'
    )`.execute(db);
    await sql`insert into message_search (rowid, text) select rowid, text from messages where text is not null`.execute(
      db,
    );
    await sql`create trigger message_search_insert after insert on messages when new.text is not null begin
      insert into message_search (rowid, text) values (new.rowid, new.text);
    end`.execute(db);
    await sql`create trigger message_search_delete after delete on messages when old.text is not null begin
      insert into message_search (message_search, rowid, text) values ('delete', old.rowid, old.text);
    end`.execute(db);
    await sql`create trigger message_search_update after update of text on messages begin
      insert into message_search (message_search, rowid, text)
        select 'delete', old.rowid, old.text where old.text is not null;
      insert into message_search (rowid, text) select new.rowid, new.text where new.text is not null;
    end`.execute(db);

    await sql`create table labels (
      id text primary key,
      workspace_id text not null references workspaces (id) on delete cascade,
      name text not null check (length(name) between 1 and 40),
      color text not null check (color glob '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
      position integer not null,
      created_at integer not null,
      updated_at integer not null
    )`.execute(db);
    await sql`create unique index labels_workspace_name on labels (workspace_id, name collate nocase)`.execute(
      db,
    );
    await sql`create table chat_labels (
      workspace_id text not null references workspaces (id) on delete cascade,
      chat_id text not null check (length(chat_id) between 1 and 200),
      label_id text not null references labels (id) on delete cascade,
      created_at integer not null,
      primary key (workspace_id, chat_id, label_id)
    )`.execute(db);
    await sql`create index chat_labels_label on chat_labels (label_id)`.execute(db);
    const forNew = DEFAULT_LABELS.map((l, i) =>
      seedLabel(l, i, '(select new.id as id, new.created_at as created_at) w'),
    );
    await sql
      .raw(`create trigger labels_seed after insert on workspaces begin ${forNew.join('\n')} end`)
      .execute(db);
    // Existing workspaces get the defaults too, as if they had been created with them.
    for (const [i, l] of DEFAULT_LABELS.entries()) await sql.raw(seedLabel(l, i, 'workspaces w')).execute(db);

    await sql`create table saved_replies (
      id text primary key,
      workspace_id text not null references workspaces (id) on delete cascade,
      title text not null check (length(title) between 1 and 60),
      text text not null check (length(text) between 1 and 4096),
      created_at integer not null,
      updated_at integer not null
    )`.execute(db);
    await sql`create index saved_replies_workspace on saved_replies (workspace_id, title)`.execute(db);

    await sql`create table chat_profiles (
      workspace_id text not null references workspaces (id) on delete cascade,
      chat_id text not null check (length(chat_id) between 1 and 200),
      name text check (name is null or length(name) between 1 and 100),
      notes text not null default '' check (length(notes) <= 4000),
      updated_at integer not null,
      primary key (workspace_id, chat_id)
    )`.execute(db);
  },
};
