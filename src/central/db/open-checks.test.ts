// Issue 14 #5 and #8: a damaged or read-only central database is refused at start with what to fix,
// instead of starting, saying ok on health and answering 500 to every write.
import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, closeSync, constants, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../core/testing/temp-files';
import {
  createTestTarget,
  openTestDatabase,
  TEST_DIALECTS,
  testPostgresUrl,
  type TestTarget,
} from '../testing/databases';
import { openCentralDatabase } from './open';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const { dir, cleanup } = makeTempDir('switchboard-central-checks-');
  cleanups.push(cleanup);
  return dir;
}

/** A central database with a few hundred rows, closed. */
async function seededFile(dir: string): Promise<string> {
  const path = join(dir, 'central.db');
  const database = await openCentralDatabase({ kind: 'sqlite', path });
  await database.db
    .insertInto('workspaces')
    .values(
      Array.from({ length: 300 }, (_, i) => ({
        id: `ws-${i}`,
        name: `Shop ${i} ${'x'.repeat(100)}`,
        created_at: i,
      })),
    )
    .execute();
  await database.close();
  return path;
}

/**
 * Not writable for this process: chmod for a normal user; root ignores modes, so `chattr +i` there.
 * False when neither works here (a file system without attributes): the test is skipped then.
 */
function makeReadOnly(path: string, folder: boolean): boolean {
  if (process.getuid?.() === 0) {
    try {
      execFileSync('chattr', ['+i', path], { stdio: 'ignore' });
      cleanups.push(() => execFileSync('chattr', ['-i', path]));
    } catch {
      return false;
    }
  } else {
    chmodSync(path, folder ? 0o555 : 0o444);
    cleanups.push(() => chmodSync(path, folder ? 0o755 : 0o644));
  }
  try {
    accessSync(path, constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

describe('opening a central SQLite database', () => {
  it('refuses a file with overwritten pages, saying to restore a backup, and leaves it as it was', async () => {
    const path = await seededFile(tempDir());
    const probe = new BetterSqlite3(path, { readonly: true });
    const pageSize = probe.pragma('page_size', { simple: true }) as number;
    const root = probe
      .prepare(`select rootpage from sqlite_master where name = 'workspaces'`)
      .pluck()
      .get() as number;
    probe.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize * 2, 0x5a), 0, pageSize * 2, pageSize * root);
    closeSync(fd);

    const before = readFileSync(path);
    await expect(openCentralDatabase({ kind: 'sqlite', path })).rejects.toThrow(
      /The central database at .*central\.db is damaged \(.+\)\. Restore the latest backup/,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a read-only file, saying what to make writable', async (context) => {
    const path = await seededFile(tempDir());
    if (!makeReadOnly(path, false)) context.skip();
    await expect(openCentralDatabase({ kind: 'sqlite', path })).rejects.toThrow(
      /The database file .*central\.db is read-only.*Make it .*writable/,
    );
  });

  it('names a read-only folder as such', async (context) => {
    const dir = tempDir();
    await seededFile(dir);
    if (!makeReadOnly(dir, true)) context.skip();
    await expect(openCentralDatabase({ kind: 'sqlite', path: join(dir, 'central.db') })).rejects.toThrow(
      new RegExp(`The folder ${dir} is read-only for this user.*--data-dir`),
    );
  });
});

describe('opening a central PostgreSQL database', () => {
  it('refuses one that takes no writes (a standby, or default_transaction_read_only)', async () => {
    const target: TestTarget = await createTestTarget('postgres');
    cleanups.push(() => target.cleanup());
    const first = await openCentralDatabase(target.config);
    await first.close();
    if (target.config.kind !== 'postgres') throw new Error('unreachable');
    const url = new URL(await testPostgresUrl());
    url.searchParams.set(
      'options',
      `-c search_path=${target.config.schema} -c default_transaction_read_only=on`,
    );
    await expect(openCentralDatabase({ kind: 'postgres', url: url.toString() })).rejects.toThrow(
      /PostgreSQL at .* takes no writes .*transaction_read_only/,
    );
  });
});

describe.each(TEST_DIALECTS)('a damage error at run time (%s)', (kind) => {
  it('stops every write before it reaches the database; reads go on', async () => {
    const test = await openTestDatabase(kind);
    cleanups.push(() => test.cleanup());
    const { database } = test;
    const write = () =>
      database.db.insertInto('workspaces').values({ id: 'w', name: 'W', created_at: 1 }).execute();
    expect(database.noteFailure(new Error('a plain failure'))).toBe(false);
    expect(database.damaged).toBeNull();
    const code = kind === 'sqlite' ? 'SQLITE_CORRUPT_INDEX' : 'XX001';
    expect(database.noteFailure(Object.assign(new Error('page 7 is malformed'), { code }))).toBe(true);
    expect(database.noteFailure(Object.assign(new Error('again'), { code }))).toBe(false);
    expect(database.damaged).toBe('page 7 is malformed');
    await expect(write()).rejects.toMatchObject({ status: 503, headers: { 'Retry-After': '300' } });
    await expect(database.transaction((trx) => trx.deleteFrom('workspaces').execute())).rejects.toThrow(
      /The central database is damaged \(page 7 is malformed\)/,
    );
    expect(await database.db.selectFrom('workspaces').selectAll().execute()).toEqual([]);
  });
});
