import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../shared/types';
import { isSwitchboardError } from '../errors';
import { insertTestWorkspace } from '../testing/fixtures';
import { tempDatabasePath } from '../testing/temp-files';
import { openDatabase } from './open-database';
import { upgradeCopyPath } from '../backup/upgrade-copy';
import { readArchiveHeader } from '../backup/archive-format';
import { createSwitchboard } from '../app';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

const appliedOf = (path: string): string[] => {
  const sqlite = new BetterSqlite3(path, { readonly: true });
  try {
    return sqlite.prepare('select name from kysely_migration order by name').pluck().all() as string[];
  } finally {
    sqlite.close();
  }
};

describe('upgrading the database', () => {
  it('copies the database before migrations run and keeps the copy after a good upgrade', async () => {
    const path = tempDatabasePath(cleanups);
    const old = await openDatabase({ path, migrateTo: '0011-conversation-policy' });
    await insertTestWorkspace(old.db, 'ws-1' as WorkspaceId, { name: 'Mama Put' });
    await old.close();

    const upgraded = await openDatabase({ path });
    await upgraded.close();
    const copy = upgradeCopyPath(path, '0011-conversation-policy');
    // Encrypted and checked like every backup: nothing of the shop in plain text, no SQLite file.
    const raw = readFileSync(copy);
    expect(raw.includes(Buffer.from('Mama Put'))).toBe(false);
    expect(raw.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect((await readArchiveHeader(copy)).key.source).toBe('machine');
    expect(readdirSync(dirname(copy))).toEqual(['before-upgrade-0011-conversation-policy.swbk']);
    expect(appliedOf(path).at(-1)).not.toBe('0011-conversation-policy');
    // Opening an up-to-date database copies nothing.
    const again = await openDatabase({ path });
    await again.close();
    expect(existsSync(upgradeCopyPath(path, appliedOf(path).at(-1)!))).toBe(false);
  });

  it('puts the database back as it was when a migration fails, and says what happened', async () => {
    const path = tempDatabasePath(cleanups);
    const old = await openDatabase({ path, migrateTo: '0011-conversation-policy' });
    await insertTestWorkspace(old.db, 'ws-1' as WorkspaceId, { name: 'Mama Put' });
    // A table in the way of 0013's: 0012 would run, 0013 fails.
    await old.exclusive((s) => s.exec('create table chat_reads (x integer)'));
    await old.close();

    const error = await openDatabase({ path }).catch((e: unknown) => e);
    expect(isSwitchboardError(error, 'DATABASE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(
      /failed at step 0013-chat-read .*put back exactly as it was before the upgrade \(schema 0011-conversation-policy\).*The encrypted copy stays in .*before-upgrade-0011-conversation-policy\.swbk/,
    );
    expect(appliedOf(path)).toEqual(appliedOf(path).filter((n) => n <= '0011-conversation-policy'));
    expect(appliedOf(path).at(-1)).toBe('0011-conversation-policy');
    const reopened = await openDatabase({ path, migrateTo: '0011-conversation-policy' });
    const names = await reopened.db.selectFrom('workspaces').select('name').execute();
    expect(names).toEqual([{ name: 'Mama Put' }]);
    await reopened.close();
  });

  it("the app's copy is listed with the backups, sealed with the app's key store, and can be restored", async () => {
    const path = tempDatabasePath(cleanups);
    const old = await openDatabase({ path, migrateTo: '0011-conversation-policy' });
    await insertTestWorkspace(old.db, 'ws-1' as WorkspaceId, { name: 'Mama Put' });
    await old.close();
    const app = await createSwitchboard({ dataDir: dirname(path), durability: 'normal' });
    try {
      const listed = await app.backups.list();
      expect(listed.map((b) => [b.name, b.reason, b.workspaces[0]?.name])).toEqual([
        ['before-upgrade-0011-conversation-policy.swbk', 'upgrade', 'Mama Put'],
      ]);
      // Daily backups do not prune it away.
      await app.backups.create('manual');
      expect(existsSync(join(dirname(path), 'backups', listed[0]!.name))).toBe(true);
      const staged = await app.backups.stageRestore(listed[0]!.file);
      expect(staged.kind).toBe('backup');
    } finally {
      await app.close();
    }
  });
});
