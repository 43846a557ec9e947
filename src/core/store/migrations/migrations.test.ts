import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, sql, type Migration } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../testing/temp-files';
import { SwitchboardSqliteDialect } from '../dialect';
import { openDatabase } from '../open-database';
import type { UnansweredQuestionsTable } from '../../bot/faq/unanswered-repository';
import { MIGRATION_NAMES } from './index';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});
function tempPath(): string {
  const { dir, cleanup } = makeTempDir();
  cleanups.push(cleanup);
  return join(dir, 'switchboard.db');
}

/** Every migration file has a test below; this keeps a new migration from shipping without one. */
const TESTED = ['0001-initial', '0002-faq-phrasings', '0003-pipeline', '0004-unanswered'];

describe('migrations', () => {
  it('every migration has an upgrade test', () => {
    expect(MIGRATION_NAMES).toEqual(TESTED);
  });

  it('0001-initial: an empty database gets every table, index and the append-only trigger', async () => {
    const path = tempPath();
    const store = await openDatabase({ path, migrateTo: '0001-initial' });
    const objects = await store.exclusive((s) =>
      s.prepare(`select type, name from sqlite_master where name not like 'sqlite_%' order by name`).all(),
    );
    const names = (objects as { name: string }[]).map((o) => o.name);
    for (const table of [
      'workspaces',
      'phone_numbers',
      'contacts',
      'faqs',
      'messages',
      'events',
      'wa_auth_creds',
      'wa_auth_keys',
    ]) {
      expect(names).toContain(table);
    }
    expect(names).toContain('events_append_only');
    expect(names).not.toContain('faq_phrasings');
    await store.close();
  });

  it('0002-faq-phrasings: FAQs written at 0001 keep their rows and gain their question as first phrasing', async () => {
    const path = tempPath();
    const old = await openDatabase({ path, migrateTo: '0001-initial' });
    await old.db
      .insertInto('workspaces')
      .values([
        {
          id: 'wa',
          name: 'Chidi Pharmacy',
          default_country: 'NG',
          bot_mode: 'faq',
          tier: 'free',
          settings: '{}',
          created_at: 1,
          updated_at: 1,
        },
        {
          id: 'wb',
          name: 'Ada Boutique',
          default_country: 'NG',
          bot_mode: 'hybrid',
          tier: 'pro',
          settings: '{}',
          created_at: 2,
          updated_at: 2,
        },
      ])
      .execute();
    await old.db
      .insertInto('faqs')
      .values([
        {
          id: 'f1',
          workspace_id: 'wa',
          question: 'Una dey open for Sunday?',
          answer: 'Yes, 12-6pm',
          enabled: 1,
          created_at: 10,
          updated_at: 10,
        },
        {
          id: 'f2',
          workspace_id: 'wa',
          question: 'How much be paracetamol?',
          answer: '₦500',
          enabled: 0,
          created_at: 11,
          updated_at: 12,
        },
        {
          id: 'f3',
          workspace_id: 'wb',
          question: 'Do you deliver to Abuja?',
          answer: 'Yes, 2 days',
          enabled: 1,
          created_at: 13,
          updated_at: 13,
        },
      ])
      .execute();
    await old.close();

    const upgraded = await openDatabase({ path, migrateTo: '0002-faq-phrasings' });
    expect(upgraded.schemaVersion).toBe('0002-faq-phrasings');
    const faqs = await upgraded.db.selectFrom('faqs').selectAll().orderBy('id').execute();
    expect(faqs.map((f) => [f.id, f.workspace_id, f.enabled, f.updated_at])).toEqual([
      ['f1', 'wa', 1, 10],
      ['f2', 'wa', 0, 12],
      ['f3', 'wb', 1, 13],
    ]);
    const phrasings = await upgraded.db
      .selectFrom('faq_phrasings')
      .select(['faq_id', 'workspace_id', 'text', 'position', 'created_at'])
      .orderBy('faq_id')
      .execute();
    expect(phrasings).toEqual([
      { faq_id: 'f1', workspace_id: 'wa', text: 'Una dey open for Sunday?', position: 0, created_at: 10 },
      { faq_id: 'f2', workspace_id: 'wa', text: 'How much be paracetamol?', position: 0, created_at: 11 },
      { faq_id: 'f3', workspace_id: 'wb', text: 'Do you deliver to Abuja?', position: 0, created_at: 13 },
    ]);
    // The new table cascades with its FAQ.
    await upgraded.db.deleteFrom('faqs').where('id', '=', 'f1').execute();
    expect(
      await upgraded.db.selectFrom('faq_phrasings').select('faq_id').where('faq_id', '=', 'f1').execute(),
    ).toEqual([]);
    await upgraded.close();
  });

  it('0003-pipeline: rows written at 0002 survive; outbox, conversations and unroutable tables start empty', async () => {
    const path = tempPath();
    const old = await openDatabase({ path, migrateTo: '0002-faq-phrasings' });
    await old.db
      .insertInto('workspaces')
      .values({
        id: 'wa',
        name: 'Chidi Pharmacy',
        default_country: 'NG',
        bot_mode: 'faq',
        tier: 'free',
        settings: '{"timezone":"Africa/Lagos"}',
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    await old.db
      .insertInto('contacts')
      .values({
        id: 'c1',
        workspace_id: 'wa',
        phone_e164: '+2348031234567',
        wa_id: '2348031234567@s.whatsapp.net',
        name: 'Emeka',
        created_at: 2,
        updated_at: 2,
      })
      .execute();
    await sql`insert into messages (id, workspace_id, business_number, provider_message_id, chat_id, contact_id,
        direction, author, text, status, provider_ts, created_at, updated_at)
      values ('m1', 'wa', '+2348090000001', 'P1', '2348031234567@s.whatsapp.net', 'c1', 'in', 'contact',
        'Una dey open?', 'received', 3, 3, 3),
      ('m2', 'wa', '+2348090000001', 'P2', '2348031234567@s.whatsapp.net', 'c1', 'out', 'bot', 'Yes', 'sent', 4, 4, 4)`.execute(
      old.db,
    );
    await old.close();

    const upgraded = await openDatabase({ path, migrateTo: '0003-pipeline' });
    expect(upgraded.schemaVersion).toBe('0003-pipeline');
    const messages = await upgraded.db.selectFrom('messages').selectAll().orderBy('id').execute();
    expect(messages.map((m) => [m.id, m.contact_id, m.text, m.status, m.chat_kind])).toEqual([
      ['m1', 'c1', 'Una dey open?', 'received', null],
      ['m2', 'c1', 'Yes', 'sent', null],
    ]);
    expect(await upgraded.db.selectFrom('contacts').select(['id', 'name']).execute()).toEqual([
      { id: 'c1', name: 'Emeka' },
    ]);
    for (const table of ['outbox', 'conversations', 'unroutable_messages'] as const) {
      expect(await upgraded.db.selectFrom(table).selectAll().execute()).toEqual([]);
    }
    // An old message still waiting for its decision is found through the new partial index.
    const plan = await upgraded.exclusive((s) =>
      s
        .prepare(`explain query plan select id from messages where workspace_id = ? and status = 'received'`)
        .all('wa'),
    );
    expect(JSON.stringify(plan)).toContain('messages_undecided');

    // The new tables belong to their workspace: they go when it goes, and refuse what the code never writes.
    await upgraded.db
      .insertInto('outbox')
      .values({
        id: '3EB0AA',
        workspace_id: 'wa',
        business_number: '+2348090000001',
        chat_id: '2348031234567@s.whatsapp.net',
        inbound_message_id: 'm1',
        kind: 'faq',
        text: 'Yes, 9-5',
        status: 'queued',
        attempts: 0,
        next_attempt_at: 5,
        last_error: null,
        created_at: 5,
        updated_at: 5,
        sent_at: null,
        provider_message_id: null,
      })
      .execute();
    await upgraded.db
      .insertInto('conversations')
      .values({
        workspace_id: 'wa',
        business_number: '+2348090000001',
        chat_id: '2348031234567@s.whatsapp.net',
        contact_id: 'c1',
        first_seen_at: 3,
        last_inbound_at: 3,
        greeted_at: null,
        handoff_since: null,
        handoff_reason: null,
        bot_paused_until: null,
        last_away_period: null,
        flood_window_start: null,
        flood_count: 0,
        updated_at: 3,
      })
      .execute();
    await expect(
      sql`update outbox set status = 'lost' where id = '3EB0AA'`.execute(upgraded.db),
    ).rejects.toThrow(/CHECK/);
    await expect(
      sql`update conversations set handoff_since = 1 where workspace_id = 'wa'`.execute(upgraded.db),
    ).rejects.toThrow(/CHECK/);
    await upgraded.db.deleteFrom('workspaces').where('id', '=', 'wa').execute();
    expect(await upgraded.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
    expect(await upgraded.db.selectFrom('conversations').selectAll().execute()).toEqual([]);
    await upgraded.close();
  });

  it('0004-unanswered: rows written before it survive; unanswered questions are unique per workspace and cascade', async () => {
    const path = tempPath();
    const previous = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('0004-unanswered') - 1]!;
    const old = await openDatabase({ path, migrateTo: previous });
    const workspace = (id: string, name: string) => ({
      id,
      name,
      default_country: 'NG',
      bot_mode: 'faq',
      tier: 'free',
      settings: '{}',
      created_at: 1,
      updated_at: 1,
    });
    await old.db
      .insertInto('workspaces')
      .values([workspace('wa', 'Chidi Pharmacy'), workspace('wb', 'Ada Boutique')])
      .execute();
    await old.db
      .insertInto('faqs')
      .values({
        id: 'f1',
        workspace_id: 'wa',
        question: 'Una dey open for Sunday?',
        answer: 'Yes, 12-6pm',
        enabled: 1,
        created_at: 10,
        updated_at: 10,
      })
      .execute();
    await old.close();

    const upgraded = await openDatabase({ path, migrateTo: '0004-unanswered' });
    expect(upgraded.schemaVersion).toBe('0004-unanswered');
    expect(
      (await upgraded.db.selectFrom('workspaces').select('id').orderBy('id').execute()).map((w) => w.id),
    ).toEqual(['wa', 'wb']);
    expect(await upgraded.db.selectFrom('faqs').select(['id', 'question']).execute()).toEqual([
      { id: 'f1', question: 'Una dey open for Sunday?' },
    ]);
    const db = upgraded.db.withTables<{ unanswered_questions: UnansweredQuestionsTable }>();
    expect(await db.selectFrom('unanswered_questions').selectAll().execute()).toEqual([]);
    const row = (id: string, workspaceId: string, normalized: string) => ({
      id,
      workspace_id: workspaceId,
      text: 'Una get size 44??',
      normalized,
      count: 1,
      first_seen_at: 20,
      last_seen_at: 20,
      group_key: id,
      resolved: 0,
    });
    await db
      .insertInto('unanswered_questions')
      .values(row('u1', 'wa', 'you have size 44'))
      .execute();
    // The same question in another workspace is another row; twice in one workspace is refused.
    await db
      .insertInto('unanswered_questions')
      .values(row('u2', 'wb', 'you have size 44'))
      .execute();
    await expect(
      db
        .insertInto('unanswered_questions')
        .values(row('u3', 'wa', 'you have size 44'))
        .execute(),
    ).rejects.toThrow(/UNIQUE/);
    await expect(
      db
        .insertInto('unanswered_questions')
        .values({ ...row('u4', 'wa', 'x'), resolved: 2 })
        .execute(),
    ).rejects.toThrow(/CHECK/);
    await upgraded.db.deleteFrom('workspaces').where('id', '=', 'wa').execute();
    expect(await db.selectFrom('unanswered_questions').select(['id', 'workspace_id']).execute()).toEqual([
      { id: 'u2', workspace_id: 'wb' },
    ]);
    await upgraded.close();
  });

  it('a migration that fails half-way leaves the database exactly at the previous version', async () => {
    const path = tempPath();
    const store = await openDatabase({ path });
    await store.close();
    const db = new Kysely<unknown>({
      dialect: new SwitchboardSqliteDialect({ database: new BetterSqlite3(path) }),
    });
    const broken: Migration = {
      async up(trx) {
        await trx.schema.createTable('half_done').addColumn('id', 'text').execute();
        await sql`insert into no_such_table values (1)`.execute(trx);
      },
    };
    const migrator = new Migrator({
      db,
      provider: {
        getMigrations: async () => ({
          ...Object.fromEntries(MIGRATION_NAMES.map((name) => [name, { up: async () => {} }])),
          '9000-broken': broken,
        }),
      },
    });
    const { error } = await migrator.migrateToLatest();
    expect(error).toBeDefined();
    const tables = await sql<{
      name: string;
    }>`select name from sqlite_master where name = 'half_done'`.execute(db);
    expect(tables.rows).toEqual([]);
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);
    await db.destroy();
  });
});
