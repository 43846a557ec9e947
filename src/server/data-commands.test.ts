import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSwitchboard, type WorkspaceId } from '../core/index';
import { insertTestWorkspace } from '../core/testing/fixtures';
import { insertTestMessages } from '../core/testing/backup-fixtures';
import { makeTempDir } from '../core/testing/temp-files';
import { parseServeArgs } from './cli';
import { explainDamagedDatabase, runDataCommand, type DataCommand } from './data-commands';
import { startHeadlessHost } from './host';

const WS = 'ws-1' as WorkspaceId;
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

async function run(dataDir: string, command: DataCommand): Promise<string> {
  const lines: string[] = [];
  await runDataCommand({ dataDir, command, passphrase: undefined, log: (line) => lines.push(line) });
  return lines.join('\n');
}
async function messages(dataDir: string): Promise<number> {
  const app = await createSwitchboard({ dataDir, durability: 'normal' });
  try {
    const rows = await app.store.db.selectFrom('messages').select('id').execute();
    return rows.length;
  } finally {
    await app.close();
  }
}

describe("the host's backup commands", () => {
  it('parses the commands, and refuses one without its file', () => {
    expect(parseServeArgs(['backups'], {}).command).toEqual({ name: 'backups' });
    expect(parseServeArgs(['restore', 'latest', '--data-dir', '/d'], {})).toMatchObject({
      command: { name: 'restore', file: 'latest' },
      dataDir: '/d',
    });
    expect(() => parseServeArgs(['restore'], {})).toThrow(/restore needs a file \(or "latest"\)/);
    expect(() => parseServeArgs(['move', '--port', '1'], {})).toThrow(/move needs a file/);
  });

  it('backs up, lists with workspaces and counts, and restores the latest with the current data kept', async () => {
    const { dir: dataDir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const app = await createSwitchboard({ dataDir, durability: 'normal' });
    await insertTestWorkspace(app.store.db, WS, { name: 'Mama Put' });
    await insertTestMessages(app.store, WS, 0, 40);
    await app.close();

    expect(await run(dataDir, { name: 'backups' })).toMatch(/No backups yet/);
    expect(await run(dataDir, { name: 'backup' })).toMatch(
      /Backup written and checked:\n.*Mama Put \(40 messages\)/,
    );
    expect(await run(dataDir, { name: 'backups' })).toMatch(/manual .*Mama Put \(40 messages\)\n\s+.*\.swbk/);

    const later = await createSwitchboard({ dataDir, durability: 'normal' });
    await insertTestMessages(later.store, WS, 40, 10);
    await later.close();
    expect(await messages(dataDir)).toBe(50);
    expect(await run(dataDir, { name: 'restore', file: 'latest' })).toMatch(
      /The backup holds:\n.*Mama Put \(40 messages\)[\s\S]*Put back the backup of .*\nThe data it replaced is kept in .*before-restore-/,
    );
    expect(await messages(dataDir)).toBe(40);
  });

  it('a running host writes its address into the lock, for the message a second start gets', async () => {
    const { dir: dataDir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const host = await startHeadlessHost({ dataDir, token: 't'.repeat(32), fileLog: false });
    try {
      const lock = JSON.parse(readFileSync(join(dataDir, 'switchboard.lock'), 'utf8')) as { where: string };
      expect(lock.where).toBe(`the headless host at ${host.url}/`);
    } finally {
      await host.close();
    }
    expect(existsSync(join(dataDir, 'switchboard.lock'))).toBe(false);
  });

  it('explains a damaged database with the last good backup and the command that puts it back', async () => {
    const { dir: dataDir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const app = await createSwitchboard({ dataDir, durability: 'normal' });
    await insertTestWorkspace(app.store.db, WS, { name: 'Mama Put' });
    await app.close();
    await run(dataDir, { name: 'backup' });
    writeFileSync(join(dataDir, 'switchboard.db'), Buffer.alloc(8192, 7)); // a half-copied file
    const error = await startHeadlessHost({ dataDir, token: 't'.repeat(32), fileLog: false }).catch(
      (e: unknown) => e,
    );
    const explained = (await explainDamagedDatabase(error, dataDir)) as Error;
    expect(explained.message).toMatch(
      /not a Switchboard database[\s\S]*The last good backup:[\s\S]*Mama Put[\s\S]*npm run serve -- restore latest/,
    );
    expect(await run(dataDir, { name: 'restore', file: 'latest' })).toMatch(/Put back/);
    expect(await messages(dataDir)).toBe(0);
  });
});
