import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../shared/types';
import { isSwitchboardError } from '../errors';
import { openTempStore } from '../testing/temp-files';
import { backupDatabase, restoreDatabase, type BackupProgress } from './backup';
import { openDatabase, type Store } from './open-database';
import { insertTestWorkspace } from '../testing/fixtures';
import { insertTestMessages } from '../testing/backup-fixtures';

const WS = 'ws-1' as WorkspaceId;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function freshStore() {
  const opened = await openTempStore({ durability: 'normal' });
  cleanups.push(opened.cleanup);
  await insertTestWorkspace(opened.store.db, WS, { name: 'Bukka Hut' });
  return opened;
}

const insertMessages = (store: Store, from: number, count: number) =>
  insertTestMessages(store, WS, from, count, 8);

const countMessages = async (store: Store) =>
  Number(
    (
      await store.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('backupDatabase', () => {
  it('makes a complete, consistent copy while writes go on, and reports progress', async () => {
    const { store, dir } = await freshStore();
    await insertMessages(store, 0, 4000);

    let writing = true;
    let written = 4000;
    const writer = (async () => {
      while (writing) {
        await insertMessages(store, written, 25);
        written += 25;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const progress: BackupProgress[] = [];
    const destination = join(dir, 'backup.db');
    const result = await backupDatabase(store, destination, {
      pagesPerStep: 16,
      onProgress: (p) => progress.push(p),
    });
    const writtenWhenDone = written;
    writing = false;
    await writer;

    expect(progress.length).toBeGreaterThan(5); // it ran in steps, giving the writer room in between
    expect(progress.at(-1)?.fraction).toBe(1);
    expect(writtenWhenDone).toBeGreaterThan(4000); // writes really happened during the backup
    expect(result.bytes).toBeGreaterThan(0);

    const copy = await openDatabase({ path: destination });
    const copied = await countMessages(copy);
    // The copy holds at least everything written before it started and nothing that was never written.
    expect(copied).toBeGreaterThanOrEqual(4000);
    expect(copied).toBeLessThanOrEqual(written);
    expect(copied % 25).toBe(0); // whole transactions only
    const integrity = await copy.exclusive((s) => s.pragma('integrity_check', { simple: true }));
    expect(integrity).toBe('ok');
    await copy.close();
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('refuses to back up onto the database itself', async () => {
    const { store } = await freshStore();
    await expect(backupDatabase(store, store.path)).rejects.toThrow(/other than the database itself/);
  });

  it('fails clearly when the destination folder does not exist, leaving no partial file', async () => {
    const { store } = await freshStore();
    const error = await backupDatabase(store, '/nonexistent/dir/backup.db').catch((e: unknown) => e);
    expect(isSwitchboardError(error, 'BACKUP_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/folder exists/);
  });
});

describe('restoreDatabase', () => {
  it('brings the database back to the backup and keeps the replaced file', async () => {
    const { store, dir, path } = await freshStore();
    await insertMessages(store, 0, 100);
    const backupPath = join(dir, 'backup.db');
    await backupDatabase(store, backupPath);
    await insertMessages(store, 100, 50);
    await store.close();

    const { previousCopy } = await restoreDatabase({ path, backupPath, now: 42 });
    expect(previousCopy).toBe(`${path}.before-restore-42`);
    const restored = await openDatabase({ path });
    expect(await countMessages(restored)).toBe(100);
    await restored.close();
    const previous = await openDatabase({ path: previousCopy! });
    expect(await countMessages(previous)).toBe(150);
    await previous.close();
  });

  it('refuses a backup that is not a database and leaves the current one untouched', async () => {
    const { store, dir, path } = await freshStore();
    await insertMessages(store, 0, 10);
    await store.close();
    const bogus = join(dir, 'bogus.db');
    writeFileSync(bogus, 'this is a photo, not a database');
    const error = await restoreDatabase({ path, backupPath: bogus }).catch((e: unknown) => e);
    expect(isSwitchboardError(error, 'DATABASE_CORRUPT')).toBe(true);
    const current = await openDatabase({ path });
    expect(await countMessages(current)).toBe(10);
    await current.close();
    expect(readdirSync(dir).some((f) => f.includes('before-restore'))).toBe(false);
  });

  it('says so when the backup file is missing', async () => {
    const { store, dir, path } = await freshStore();
    await store.close();
    const error = await restoreDatabase({ path, backupPath: join(dir, 'missing.db') }).catch(
      (e: unknown) => e,
    );
    expect(isSwitchboardError(error, 'NOT_FOUND')).toBe(true);
    expect(existsSync(path)).toBe(true);
  });
});
