import { sql, type Kysely, type Migration } from 'kysely';
import {
  createIndex,
  createWorkspaceIndex,
  flag,
  idAndWorkspace,
  requiredColumns,
  requiredTime,
  textId,
  timestamps,
  workspaceId,
  workspaceName,
} from './columns/index';

/**
 * The first schema. CHECK constraints repeat the service-level validation on purpose: whatever path a
 * row takes into the file, a bad value is refused by SQLite itself rather than stored half-right.
 */
export const migration0001Initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('workspaces')
      .$call(textId)
      .$call(workspaceName)
      .addColumn('default_country', 'text', (c) => c.notNull().check(sql`length(default_country) = 2`))
      .addColumn('bot_mode', 'text', (c) => c.notNull().check(sql`bot_mode in ('faq', 'ai', 'hybrid')`))
      .addColumn('tier', 'text', (c) => c.notNull().check(sql`tier in ('free', 'standard', 'pro')`))
      .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
      .$call(timestamps())
      .execute();

    await db.schema
      .createTable('phone_numbers')
      .$call(idAndWorkspace)
      // Unique across the machine: one number, one workspace, one socket.
      .addColumn('e164', 'text', (c) =>
        c
          .notNull()
          .unique()
          .check(sql`e164 glob '+[1-9]*' and length(e164) <= 16`),
      )
      .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('baileys', 'cloud-api')`))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.check(sql`label is null or length(label) <= 100`))
      .$call(timestamps())
      .execute();
    await createWorkspaceIndex(db, 'phone_numbers');

    await db.schema
      .createTable('contacts')
      .$call(idAndWorkspace)
      .addColumn('phone_e164', 'text')
      // The WhatsApp id the contact writes from (a phone JID or a LID): replies go there.
      .addColumn('wa_id', 'text')
      .addColumn('name', 'text', (c) => c.check(sql`name is null or length(name) <= 200`))
      .$call(timestamps())
      .addUniqueConstraint('contacts_workspace_phone', ['workspace_id', 'phone_e164'])
      .addUniqueConstraint('contacts_workspace_wa_id', ['workspace_id', 'wa_id'])
      .execute();

    await db.schema
      .createTable('faqs')
      .$call(idAndWorkspace)
      .addColumn('question', 'text', (c) => c.notNull().check(sql`length(question) between 1 and 1000`))
      .addColumn('answer', 'text', (c) => c.notNull().check(sql`length(answer) between 1 and 4096`))
      .$call(flag('enabled', 1))
      .$call(timestamps())
      .execute();
    await createWorkspaceIndex(db, 'faqs');

    await db.schema
      .createTable('messages')
      .$call(idAndWorkspace)
      // The shop's own number (E.164), not a foreign key: messages outlive a number being unlinked.
      .$call(requiredColumns('text', 'business_number', 'provider_message_id', 'chat_id'))
      .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
      .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('in', 'out')`))
      .addColumn('author', 'text', (c) => c.notNull().check(sql`author in ('contact', 'bot', 'owner')`))
      // WhatsApp's own limit on a text message is 65,536 characters.
      .addColumn('text', 'text', (c) => c.check(sql`text is null or length(text) <= 65536`))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('provider_ts', 'integer')
      .$call(timestamps())
      // Redeliveries after a reconnect carry the same id: this key is what drops them. It includes the
      // workspace so that no write in one workspace can ever collide with (and so reveal) another's row.
      .addUniqueConstraint('messages_provider_id', ['workspace_id', 'business_number', 'provider_message_id'])
      .execute();
    await createIndex(db, 'messages_workspace_chat', 'messages', ['workspace_id', 'chat_id', 'created_at']);
    await createIndex(db, 'messages_workspace_time', 'messages', ['workspace_id', 'created_at']);

    // Append-only: AUTOINCREMENT guarantees a sequence that never goes back or reuses a number, even
    // after retention deletes the newest rows; the sync client resumes from the last acknowledged seq.
    await sql`create table events (
      seq integer primary key autoincrement,
      ts integer not null,
      level text not null check (level in ('debug', 'info', 'warn', 'error')),
      type text not null check (length(type) between 1 and 100),
      workspace_id text,
      contact_id text,
      message text not null,
      meta text
    )`.execute(db);
    await createIndex(db, 'events_workspace_ts', 'events', ['workspace_id', 'ts']);
    await createIndex(db, 'events_type_ts', 'events', ['type', 'ts']);
    await createIndex(db, 'events_level_ts', 'events', ['level', 'ts']);
    await createIndex(db, 'events_ts', 'events', ['ts']);
    await sql`create trigger events_append_only before update on events
      begin select raise(abort, 'the event log is append-only'); end`.execute(db);

    await db.schema
      .createTable('wa_auth_creds')
      .addColumn('phone_number_id', 'text', (c) =>
        c.primaryKey().references('phone_numbers.id').onDelete('cascade'),
      )
      .$call(workspaceId)
      .addColumn('creds', 'text', (c) => c.notNull())
      .$call(requiredTime('updated_at'))
      .execute();

    await db.schema
      .createTable('wa_auth_keys')
      .addColumn('phone_number_id', 'text', (c) =>
        c.notNull().references('phone_numbers.id').onDelete('cascade'),
      )
      .$call(workspaceId)
      .$call(requiredColumns('text', 'type', 'key_id', 'value'))
      .addPrimaryKeyConstraint('wa_auth_keys_pk', ['phone_number_id', 'type', 'key_id'])
      .execute();
  },
};
