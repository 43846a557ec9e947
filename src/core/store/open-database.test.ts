import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { isSwitchboardError } from '../errors';
import { makeTempDir } from '../testing/temp-files';
import { LATEST_MIGRATION, MIGRATION_NAMES } from './migrations/index';
import { openDatabase } from './open-database';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});
function tempPath(name = 'switchboard.db'): string {
  const { dir, cleanup } = makeTempDir();
  cleanups.push(cleanup);
  return join(dir, name);
}

async function expectOpenError(path: string, code: string, pattern: RegExp): Promise<void> {
  const error = await openDatabase({ path }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isSwitchboardError(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  expect((error as Error).message).toMatch(pattern);
}

describe('openDatabase', () => {
  it('creates a new file in WAL mode with foreign keys, a busy timeout and the latest schema', async () => {
    const path = tempPath();
    const store = await openDatabase({ path });
    const pragmas = await store.exclusive((sqlite) => ({
      journal: sqlite.pragma('journal_mode', { simple: true }),
      foreignKeys: sqlite.pragma('foreign_keys', { simple: true }),
      busy: sqlite.pragma('busy_timeout', { simple: true }),
      synchronous: sqlite.pragma('synchronous', { simple: true }),
      userVersion: sqlite.pragma('user_version', { simple: true }),
    }));
    expect(pragmas).toEqual({
      journal: 'wal',
      foreignKeys: 1,
      busy: 5000,
      synchronous: 2,
      userVersion: MIGRATION_NAMES.length,
    });
    expect(store.schemaVersion).toBe(LATEST_MIGRATION);
    await store.close();
  });

  it('opens an existing database again without changing its data', async () => {
    const path = tempPath();
    const first = await openDatabase({ path });
    await first.db
      .insertInto('workspaces')
      .values({
        id: 'w1',
        name: 'Mama Put',
        default_country: 'NG',
        bot_mode: 'faq',
        tier: 'free',
        settings: '{}',
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    await first.close();
    const second = await openDatabase({ path });
    expect(await second.db.selectFrom('workspaces').select('name').execute()).toEqual([{ name: 'Mama Put' }]);
    await second.close();
  });

  it('enforces foreign keys', async () => {
    const store = await openDatabase({ path: tempPath() });
    await expect(
      store.db
        .insertInto('faqs')
        .values({
          id: 'f',
          workspace_id: 'nope',
          question: 'q',
          answer: 'a',
          enabled: 1,
          created_at: 1,
          updated_at: 1,
        })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY/);
    await store.close();
  });

  it('accepts an empty file as a new database', async () => {
    const path = tempPath();
    writeFileSync(path, '');
    const store = await openDatabase({ path });
    expect(store.schemaVersion).toBe(LATEST_MIGRATION);
    await store.close();
  });

  it('refuses a file that is not SQLite, and leaves it byte for byte as it was', async () => {
    const path = tempPath();
    const content = Buffer.from('name,phone\nAda,08031234567\n'.repeat(200));
    writeFileSync(path, content);
    await expectOpenError(path, 'DATABASE_CORRUPT', /not a Switchboard database/);
    expect(readFileSync(path).equals(content)).toBe(true);
  });

  it.each([
    {
      what: 'with an SQLite header but damaged pages',
      // Keep the 100-byte header, overwrite the schema page and beyond with noise.
      damage: (bytes: Buffer) => bytes.map((b, i) => (i < 100 ? b : (i * 7919) % 251)),
      error: /damaged|not a Switchboard database/,
    },
    {
      what: 'truncated',
      damage: (bytes: Buffer) => bytes.subarray(0, 50),
      error: /not a Switchboard database|damaged/,
    },
  ])('refuses a database file $what, and leaves it as it was', async ({ damage, error }) => {
    const path = tempPath();
    const store = await openDatabase({ path });
    await store.close();
    const bytes = damage(readFileSync(path));
    writeFileSync(path, bytes);
    await expectOpenError(path, 'DATABASE_CORRUPT', error);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses a database written by a newer version and does not modify it', async () => {
    const path = tempPath();
    const store = await openDatabase({ path });
    await store.close();
    const raw = new BetterSqlite3(path);
    raw
      .prepare(`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01')`)
      .run();
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = readFileSync(path);
    const mtime = statSync(path).mtimeMs;
    await expectOpenError(path, 'DATABASE_TOO_NEW', /newer version of Switchboard.*untouched/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(statSync(path).mtimeMs).toBe(mtime);
  });

  it('says what to do when the folder does not exist', async () => {
    await expectOpenError('/nonexistent-folder/for/switchboard.db', 'DATABASE_UNAVAILABLE', /folder exists/);
  });

  it('serialises a raw exclusive section with kysely transactions', async () => {
    const store = await openDatabase({ path: tempPath() });
    const order: string[] = [];
    const trx = store.transaction(async (t) => {
      order.push('trx-start');
      await new Promise((r) => setTimeout(r, 20));
      await t.selectFrom('workspaces').selectAll().execute();
      order.push('trx-end');
    });
    await new Promise((r) => setTimeout(r, 1));
    const exclusive = store.exclusive(() => order.push('exclusive'));
    await Promise.all([trx, exclusive]);
    expect(order).toEqual(['trx-start', 'trx-end', 'exclusive']);
    await store.close();
  });
});
