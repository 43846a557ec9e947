import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, sql, type Migration } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDatabasePath } from '../../testing/temp-files';
import { SwitchboardSqliteDialect } from '../dialect';
import { openDatabase } from '../open-database';
import type { UnansweredQuestionsTable } from '../repositories/unanswered-questions';
import { MIGRATION_NAMES } from './index';
import { insertShops, migrationUnderTest } from './testing/previous-version';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});
const tempPath = () => tempDatabasePath(cleanups);

/** Chidi Pharmacy's FAQ f1 (workspace wa), as every version since 0001 stores it. */
const SUNDAY_FAQ = {
  id: 'f1',
  workspace_id: 'wa',
  question: 'Una dey open for Sunday?',
  answer: 'Yes, 12-6pm',
  enabled: 1,
  created_at: 10,
  updated_at: 10,
};

/** Every migration file has a test below; this keeps a new migration from shipping without one. */
const TESTED = [
  '0001-initial',
  '0002-faq-phrasings',
  '0003-pipeline',
  '0004-unanswered',
  '0005-sync',
  '0006-message-outcome',
  '0007-ai',
  '0008-outbox-cancelled',
  '0009-cloud-numbers',
  '0010-cloud-relay-held',
  '0011-conversation-policy',
  '0012-lid-mappings', // 0012-lid-mappings.test.ts
  '0013-chat-read',
  '0014-message-media', // 0014-message-media.test.ts
  '0015-inbox', // 0015-inbox.test.ts
  '0016-clarify-and-learning', // 0016-clarify-and-learning.test.ts
  '0017-outbound-media', // 0017-outbound-media.test.ts
  '0018-outbox-choices', // 0018-outbox-choices.test.ts
];

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
    const upgraded = await migrationUnderTest('0002-faq-phrasings', cleanups).upgradeFrom(async (db) => {
      await insertShops(db, 'wa', 'wb');
      await db
        .insertInto('faqs')
        .values([
          SUNDAY_FAQ,
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
    });
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
    const upgraded = await migrationUnderTest('0003-pipeline', cleanups).upgradeFrom(async (db) => {
      await insertShops(db, 'wa');
      await db
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
        db,
      );
    });
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
    const upgraded = await migrationUnderTest('0004-unanswered', cleanups).upgradeFrom(async (db) => {
      await insertShops(db, 'wa', 'wb');
      await db.insertInto('faqs').values(SUNDAY_FAQ).execute();
    });
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

  it('0005-sync: rows written before it survive; the installation gets one stable id; sync state cascades', async () => {
    const upgraded = await migrationUnderTest('0005-sync', cleanups).upgradeFrom(async (db) => {
      await insertShops(db, 'wa', 'wb');
      await db
        .insertInto('events')
        .values([
          {
            ts: 5,
            level: 'info',
            type: 'workspace.created',
            workspace_id: 'wa',
            contact_id: null,
            message: 'a',
            meta: null,
          },
          {
            ts: 6,
            level: 'warn',
            type: 'message.failed',
            workspace_id: 'wb',
            contact_id: null,
            message: 'b',
            meta: '{}',
          },
        ])
        .execute();
    });
    expect(
      await upgraded.db.selectFrom('events').select(['seq', 'workspace_id']).orderBy('seq').execute(),
    ).toEqual([
      { seq: 1, workspace_id: 'wa' },
      { seq: 2, workspace_id: 'wb' },
    ]);
    const installation = await upgraded.db.selectFrom('installation').selectAll().execute();
    expect(installation).toHaveLength(1);
    expect(installation[0]!.id).toMatch(/^[0-9a-f]{32}$/);
    expect(installation[0]!.created_at).toBeGreaterThan(1_600_000_000_000);
    // One row only: the identity cannot fork inside one file.
    await expect(
      upgraded.db
        .insertInto('installation')
        .values({ singleton: 2, id: 'another-id', created_at: 1 })
        .execute(),
    ).rejects.toThrow(/CHECK/);
    expect(await upgraded.db.selectFrom('sync_state').selectAll().execute()).toEqual([]);

    const row = (workspaceId: string) => ({
      workspace_id: workspaceId,
      server_url: 'https://central.example.ng',
      central_workspace_id: 'cw-1',
      central_workspace_name: 'Chidi Pharmacy (HQ)',
      token_sealed: 'v1:sealed',
      last_acked_seq: 0,
      share_message_text: 0,
      state: 'active',
      enrolled_at: 10,
      last_success_at: null,
      last_error: null,
      last_error_at: null,
      updated_at: 10,
    });
    await upgraded.db
      .insertInto('sync_state')
      .values([row('wa'), row('wb')])
      .execute();
    for (const bad of [
      { server_url: 'ftp://central.example.ng' },
      { share_message_text: 2 },
      { state: 'paused' },
      { last_acked_seq: -1 },
      { last_error: 'boom' },
    ]) {
      await expect(
        upgraded.db
          .insertInto('sync_state')
          .values({ ...row('wa'), workspace_id: 'wc', ...bad })
          .execute(),
        JSON.stringify(bad),
      ).rejects.toThrow(/CHECK/);
    }
    await upgraded.db.deleteFrom('workspaces').where('id', '=', 'wa').execute();
    expect(await upgraded.db.selectFrom('sync_state').select('workspace_id').execute()).toEqual([
      { workspace_id: 'wb' },
    ]);
    await upgraded.close();

    // Reopening (and migrating nothing) keeps the same installation id.
    const again = await openDatabase({ path: upgraded.path });
    expect(await again.db.selectFrom('installation').select('id').execute()).toEqual([
      { id: installation[0]!.id },
    ]);
    await again.close();
  });

  it('0006-message-outcome: messages survive and get the outcome their outbox rows show', async () => {
    const upgraded = await migrationUnderTest('0006-message-outcome', cleanups).upgradeFrom(async (db) => {
      await insertShops(db, 'wa', 'wb');
      const message = (id: string, workspaceId: string, direction: 'in' | 'out', text: string) => ({
        id,
        workspace_id: workspaceId,
        business_number: '+2348090000001',
        provider_message_id: `p-${id}`,
        chat_id: 'c1',
        contact_id: null,
        direction,
        author: direction === 'in' ? 'contact' : 'bot',
        text,
        status: direction === 'in' ? 'processed' : 'sent',
        provider_ts: null,
        created_at: 10,
        updated_at: 10,
      });
      await db
        .insertInto('messages')
        .values([
          message('m-faq', 'wa', 'in', 'What time do you open?'),
          message('m-handoff', 'wa', 'in', 'I want a human'),
          message('m-greeting', 'wa', 'in', 'hi'),
          message('m-quiet', 'wa', 'in', 'ok thanks'),
          message('o-faq', 'wa', 'out', 'We open at 8'),
          // Workspace B has a message with the same id as one of A's answered ones: ids are per workspace.
          message('m-other', 'wb', 'in', 'What time do you open?'),
        ])
        .execute();
      const outbox = (id: string, workspaceId: string, inbound: string | null, kind: string) => ({
        id,
        workspace_id: workspaceId,
        business_number: '+2348090000001',
        chat_id: 'c1',
        inbound_message_id: inbound,
        kind,
        text: 'reply',
        status: 'sent',
        attempts: 1,
        next_attempt_at: 10,
        last_error: null,
        created_at: 10,
        updated_at: 10,
        sent_at: 10,
        provider_message_id: null,
      });
      await db
        .insertInto('outbox')
        .values([
          outbox('ob1', 'wa', 'm-faq', 'greeting'),
          outbox('ob2', 'wa', 'm-faq', 'faq'),
          outbox('ob3', 'wa', 'm-handoff', 'handoff'),
          outbox('ob4', 'wa', 'm-greeting', 'greeting'),
          outbox('ob5', 'wa', null, 'owner'),
          // B's outbox names A's message: the backfill matches within a workspace only.
          outbox('ob6', 'wb', 'm-quiet', 'faq'),
        ])
        .execute();
    });
    const rows = await upgraded.db
      .selectFrom('messages')
      .select(['id', 'workspace_id', 'text', 'outcome'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.id, r.outcome])).toEqual([
      ['m-faq', 'bot'],
      ['m-greeting', null],
      ['m-handoff', 'handoff'],
      ['m-other', null],
      ['m-quiet', null],
      ['o-faq', null],
    ]);
    expect(rows.find((r) => r.id === 'm-faq')?.text).toBe('What time do you open?');
    await expect(
      upgraded.db.updateTable('messages').set({ outcome: 'maybe' }).where('id', '=', 'm-quiet').execute(),
    ).rejects.toThrow(/CHECK constraint failed/);
    await upgraded.close();
  });

  it('0007-ai: rows written before it survive; AI keys and spend are unique per workspace and cascade', async () => {
    const upgraded = await migrationUnderTest('0007-ai', cleanups).upgradeFrom(async (db) => {
      await insertShops(db, 'wa', 'wb');
    });
    const db = upgraded.db;
    expect((await sql<{ n: number }>`select count(*) as n from workspaces`.execute(db)).rows[0]!.n).toBe(2);
    await sql`insert into ai_keys (workspace_id, provider_id, key_sealed, hint, updated_at)
      values ('wa', 'openai', 'v1:x', '1234', 1), ('wb', 'openai', 'v1:y', '5678', 1)`.execute(db);
    await expect(
      sql`insert into ai_keys (workspace_id, provider_id, key_sealed, hint, updated_at)
        values ('wa', 'openai', 'v1:z', '0000', 2)`.execute(db),
    ).rejects.toThrow(/UNIQUE/);
    await sql`insert into ai_spend (workspace_id, period, period_key, nano_usd, updated_at)
      values ('wa', 'day', '2026-11-25', 5, 1), ('wa', 'month', '2026-11', 5, 1)`.execute(db);
    await expect(
      sql`insert into ai_spend (workspace_id, period, period_key, nano_usd, updated_at)
        values ('wa', 'week', '2026-W48', 5, 1)`.execute(db),
    ).rejects.toThrow(/CHECK constraint failed/);
    await sql`delete from workspaces where id = 'wa'`.execute(db);
    expect((await sql`select workspace_id from ai_keys`.execute(db)).rows).toEqual([{ workspace_id: 'wb' }]);
    expect((await sql`select * from ai_spend`.execute(db)).rows).toEqual([]);
    await upgraded.close();
  });

  it('0008-outbox-cancelled: outbox rows, their seq high-water mark and indexes survive; cancelled is allowed', async () => {
    const upgraded = await migrationUnderTest('0008-outbox-cancelled', cleanups).upgradeFrom(async (db) => {
      await insertShops(db, 'wa');
      for (const [id, status] of [
        ['o1', 'sent'],
        ['o2', 'queued'],
        ['o3', 'failed'],
      ] as const) {
        await sql`insert into outbox (id, workspace_id, business_number, chat_id, kind, text, status,
            next_attempt_at, created_at, updated_at)
          values (${id}, 'wa', '+2348090000001', 'c1', 'faq', ${`reply ${id}`}, ${status}, 0, 1, 1)`.execute(
          db,
        );
      }
      await sql`delete from outbox where id = 'o3'`.execute(db); // the newest row is gone: seq 3 stays used
    });
    const db = upgraded.db;
    expect((await sql`select seq, id, status, text from outbox order by seq`.execute(db)).rows).toEqual([
      { seq: 1, id: 'o1', status: 'sent', text: 'reply o1' },
      { seq: 2, id: 'o2', status: 'queued', text: 'reply o2' },
    ]);
    await sql`update outbox set status = 'cancelled' where id = 'o2'`.execute(db);
    await sql`insert into outbox (id, workspace_id, business_number, chat_id, kind, text, status,
        next_attempt_at, created_at, updated_at)
      values ('o4', 'wa', '+2348090000001', 'c1', 'faq', 'reply o4', 'queued', 0, 1, 1)`.execute(db);
    expect((await sql`select seq from outbox where id = 'o4'`.execute(db)).rows).toEqual([{ seq: 4 }]);
    await expect(sql`update outbox set status = 'lost' where id = 'o4'`.execute(db)).rejects.toThrow(
      /CHECK constraint failed/,
    );
    const indexes = (
      await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'outbox'
        and name not like 'sqlite_%' order by name`.execute(db)
    ).rows.map((r) => r.name);
    expect(indexes).toEqual(['outbox_pending', 'outbox_workspace_chat']);
    await sql`delete from workspaces where id = 'wa'`.execute(db);
    expect((await sql`select count(*) as n from outbox`.execute(db)).rows).toEqual([{ n: 0 }]);
    await upgraded.close();
  });

  it('0009-cloud-numbers: numbers survive; a Cloud row per number, unique phone_number_id, cascades', async () => {
    const upgraded = await migrationUnderTest('0009-cloud-numbers', cleanups).upgradeFrom(async (db) => {
      await insertShops(db, 'wa', 'wb');
      await sql`insert into phone_numbers (id, workspace_id, e164, provider, status, label, created_at, updated_at)
        values ('pa', 'wa', '+2348090000001', 'baileys', 'connected', null, 1, 1),
               ('pb', 'wb', '+2348090000002', 'cloud-api', 'unpaired', null, 1, 1)`.execute(db);
    });
    const db = upgraded.db;
    expect((await sql`select id, provider from phone_numbers order by id`.execute(db)).rows).toEqual([
      { id: 'pa', provider: 'baileys' },
      { id: 'pb', provider: 'cloud-api' },
    ]);
    const cloudRow = (number: string, ws: string, pnid: string) =>
      sql`insert into cloud_numbers (number_id, workspace_id, phone_number_id, waba_id, token_sealed, token_hint,
          created_at, updated_at)
        values (${number}, ${ws}, ${pnid}, '102290129340398', 'v1:sealed', 'abcd', 1, 1)`.execute(db);
    await cloudRow('pb', 'wb', '106540352242922');
    // One Meta phone_number_id, one number on the machine (webhooks are routed by it).
    await expect(cloudRow('pa', 'wa', '106540352242922')).rejects.toThrow(/UNIQUE/);
    // Only a number that exists.
    await expect(cloudRow('nope', 'wa', '106540352242999')).rejects.toThrow(/FOREIGN KEY/);
    await sql`insert into cloud_message_pricing (workspace_id, business_number, provider_message_id, billable,
        category, recorded_at)
      values ('wb', '+2348090000002', 'wamid.1', 1, 'service', 1)`.execute(db);
    await expect(
      sql`insert into cloud_message_pricing (workspace_id, business_number, provider_message_id, billable, recorded_at)
        values ('wb', '+2348090000002', 'wamid.1', 0, 2)`.execute(db),
    ).rejects.toThrow(/UNIQUE/);
    await expect(
      sql`insert into cloud_message_pricing (workspace_id, business_number, provider_message_id, billable, recorded_at)
        values ('wb', '+2348090000002', 'wamid.2', 2, 2)`.execute(db),
    ).rejects.toThrow(/CHECK constraint failed/);
    // Removing the number removes its Cloud settings (and its sealed token); the workspace its pricing.
    await sql`delete from phone_numbers where id = 'pb'`.execute(db);
    expect((await sql`select count(*) as n from cloud_numbers`.execute(db)).rows).toEqual([{ n: 0 }]);
    await sql`delete from workspaces where id = 'wb'`.execute(db);
    expect((await sql`select count(*) as n from cloud_message_pricing`.execute(db)).rows).toEqual([{ n: 0 }]);
    await upgraded.close();
  });

  it('0010-cloud-relay-held: one row per relay seq and server, in fetch order, gone with the workspace', async () => {
    const upgraded = await migrationUnderTest('0010-cloud-relay-held', cleanups).upgradeFrom(async (db) => {
      await insertShops(db, 'wa');
    });
    const db = upgraded.db;
    const hold = (key: string, seq: number, pnid = '106540352242922', messages = 1) =>
      sql`insert into cloud_relay_held (workspace_id, phone_number_id, relay_key, seq, notification, messages,
          statuses, received_at, held_at)
        values ('wa', ${pnid}, ${key}, ${seq}, '{}', ${messages}, 0, 1, 1)`.execute(db);
    await hold('https://central.example.ng|cw-1', 4);
    await hold('https://central.example.ng|cw-1', 2);
    // A redelivered seq from the same server is the same webhook; another server's seq 4 is not.
    await expect(hold('https://central.example.ng|cw-1', 4)).rejects.toThrow(/UNIQUE/);
    await hold('https://other.example.ng|cw-9', 4);
    await expect(hold('https://central.example.ng|cw-1', 0)).rejects.toThrow(/CHECK constraint failed/);
    await expect(hold('https://central.example.ng|cw-1', 5, '')).rejects.toThrow(/CHECK constraint failed/);
    await expect(hold('https://central.example.ng|cw-1', 6, '1', -1)).rejects.toThrow(
      /CHECK constraint failed/,
    );
    await expect(
      sql`insert into cloud_relay_held (workspace_id, phone_number_id, relay_key, seq, notification, messages,
          statuses, received_at, held_at) values ('nope', '1', 'k', 1, '{}', 0, 0, 1, 1)`.execute(db),
    ).rejects.toThrow(/FOREIGN KEY/);
    // The id keeps the order they were fetched in, whatever their seqs.
    expect((await sql`select seq from cloud_relay_held order by id`.execute(db)).rows).toEqual([
      { seq: 4 },
      { seq: 2 },
      { seq: 4 },
    ]);
    await sql`delete from workspaces where id = 'wa'`.execute(db);
    expect((await sql`select count(*) as n from cloud_relay_held`.execute(db)).rows).toEqual([{ n: 0 }]);
    await upgraded.close();
  });

  it('0011-conversation-policy: a hand-off the owner has not answered since waits from its hand-off', async () => {
    const chat = (n: number) => `23480312345${n}@s.whatsapp.net`;
    const upgraded = await migrationUnderTest('0011-conversation-policy', cleanups).upgradeFrom(
      async (db) => {
        await insertShops(db, 'wa');
        // 1: handed over at 10, nobody answered. 2: handed over at 10, the owner answered at 12. 3: no hand-off.
        for (const n of [1, 2, 3]) {
          await sql`insert into conversations (workspace_id, business_number, chat_id, first_seen_at, handoff_since,
            handoff_reason, flood_count, updated_at)
          values ('wa', '+2348090000001', ${chat(n)}, 1, ${n === 3 ? null : 10},
            ${n === 3 ? null : 'handoff-bot:no-match'}, 0, 1)`.execute(db);
        }
        await sql`insert into messages (id, workspace_id, business_number, provider_message_id, chat_id, contact_id,
          direction, author, text, status, provider_ts, created_at, updated_at)
        values ('m1', 'wa', '+2348090000001', 'P1', ${chat(2)}, null, 'out', 'owner', 'I am here', 'sent', 12, 12, 12),
          ('m2', 'wa', '+2348090000001', 'P2', ${chat(1)}, null, 'out', 'owner', 'Earlier', 'sent', 5, 5, 5),
          ('m3', 'wa', '+2348090000001', 'P3', ${chat(3)}, null, 'in', 'contact', 'Price?', 'processed', 6, 6, 6),
          ('m4', 'wa', '+2348090000001', 'P4', ${chat(3)}, null, 'in', 'contact', 'ok', 'processed', 7, 7, 7),
          ('m5', 'wa', '+2348090000001', 'P5', ${chat(3)}, null, 'in', 'contact', 'hm', 'received', 8, 8, 8)`.execute(
          db,
        );
        await sql`update messages set outcome = 'bot' where id = 'm3'`.execute(db);
      },
    );
    const rows = await sql<{ chat_id: string; waiting_since: number | null; waiting_reason: string | null }>`
      select chat_id, waiting_since, waiting_reason from conversations order by chat_id`.execute(upgraded.db);
    expect(rows.rows).toEqual([
      { chat_id: chat(1), waiting_since: 10, waiting_reason: 'handoff-bot:no-match' },
      { chat_id: chat(2), waiting_since: null, waiting_reason: null },
      { chat_id: chat(3), waiting_since: null, waiting_reason: null },
    ]);
    const decisions = await sql<{ id: string; decision: string | null; disposition: string | null }>`
      select id, decision, disposition from messages order by id`.execute(upgraded.db);
    // Decided messages get the outcome their stored outcome says, or 'left'; undecided and outbound none.
    expect(decisions.rows).toEqual([
      { id: 'm1', decision: null, disposition: null },
      { id: 'm2', decision: null, disposition: null },
      { id: 'm3', decision: null, disposition: 'answered' },
      { id: 'm4', decision: null, disposition: 'left' },
      { id: 'm5', decision: null, disposition: null },
    ]);
    await expect(
      sql`update messages set disposition = 'maybe' where id = 'm3'`.execute(upgraded.db),
    ).rejects.toThrow(/CHECK constraint failed/);
    await upgraded.close();
  });

  it('0013-chat-read: every stored chat is read up to its newest message; markers go with the workspace', async () => {
    const chat = (n: number) => `23480312345${n}@s.whatsapp.net`;
    const upgraded = await migrationUnderTest('0013-chat-read', cleanups).upgradeFrom(async (db) => {
      await insertShops(db, 'wa', 'wb');
      // wa: chat 1 has three messages (newest at 30), chat 2 one at 15; wb: chat 1 one at 99.
      const rows: [string, string, number, string][] = [
        ['wa', chat(1), 10, 'contact'],
        ['wa', chat(1), 20, 'bot'],
        ['wa', chat(1), 30, 'contact'],
        ['wa', chat(2), 15, 'contact'],
        ['wb', chat(1), 99, 'contact'],
      ];
      for (const [i, [ws, chatId, at, author]] of rows.entries()) {
        await sql`insert into messages (id, workspace_id, business_number, provider_message_id, chat_id, contact_id,
            direction, author, text, status, provider_ts, created_at, updated_at)
          values (${`m${i}`}, ${ws}, '+2348090000001', ${`P${i}`}, ${chatId}, null,
            ${author === 'contact' ? 'in' : 'out'}, ${author}, 'hi', 'received', ${at}, ${at}, ${at})`.execute(
          db,
        );
      }
    });
    const reads = await sql<{ workspace_id: string; chat_id: string; read_at: number }>`
      select workspace_id, chat_id, read_at from chat_reads order by workspace_id, chat_id`.execute(
      upgraded.db,
    );
    expect(reads.rows).toEqual([
      { workspace_id: 'wa', chat_id: chat(1), read_at: 30 },
      { workspace_id: 'wa', chat_id: chat(2), read_at: 15 },
      { workspace_id: 'wb', chat_id: chat(1), read_at: 99 },
    ]);
    // One marker per chat of a workspace; none for a workspace that does not exist.
    await expect(
      sql`insert into chat_reads (workspace_id, chat_id, read_at, updated_at) values ('wa', ${chat(1)}, 40, 40)`.execute(
        upgraded.db,
      ),
    ).rejects.toThrow(/UNIQUE/);
    await expect(
      sql`insert into chat_reads (workspace_id, chat_id, read_at, updated_at) values ('nope', 'x', 1, 1)`.execute(
        upgraded.db,
      ),
    ).rejects.toThrow(/FOREIGN KEY/);
    await sql`delete from workspaces where id = 'wa'`.execute(upgraded.db);
    expect((await sql`select workspace_id from chat_reads`.execute(upgraded.db)).rows).toEqual([
      { workspace_id: 'wb' },
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
