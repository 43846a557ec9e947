import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, sql, type Migration } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../testing/temp-files';
import { SwitchboardSqliteDialect } from '../dialect';
import { openDatabase } from '../open-database';
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
const TESTED = ['0001-initial', '0002-faq-phrasings'];

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

    const upgraded = await openDatabase({ path });
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
          '0001-initial': { up: async () => {} },
          '0002-faq-phrasings': { up: async () => {} },
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
