import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupProgress } from '../../shared/backup-contract';
import type { WorkspaceId } from '../../shared/types';
import { createSwitchboard, type Switchboard } from '../app';
import { insertTestWorkspace } from '../testing/fixtures';
import { insertTestMessages, writeTestMedia } from '../testing/backup-fixtures';
import { makeTempDir } from '../testing/temp-files';
import { readArchiveHeader } from './archive-format';
import { createFileKeySecretBox } from '../secrets/file-key-secret-box';
import type { SecretBox } from '../secrets/secret-box';
import { createAiKeyRepository } from '../store/repositories/ai-keys';
import { createWaAuthRepository } from '../store/repositories/wa-auth';
import { createLogger } from '../log/logger';

const WS = 'ws-1' as WorkspaceId;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});
function tempDir(): string {
  const { dir, cleanup } = makeTempDir('switchboard-backups-');
  cleanups.push(cleanup);
  return dir;
}
async function open(dataDir: string): Promise<Switchboard> {
  const app = await createSwitchboard({ dataDir, durability: 'normal' });
  cleanups.push(() => app.close());
  return app;
}
const messageCount = async (app: Switchboard) =>
  Number(
    (
      await app.store.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('backups', () => {
  it('writes a checked, encrypted backup of the database and media, lists it, and copies it to a second folder', async () => {
    const dataDir = tempDir();
    const usb = tempDir();
    const app = await open(dataDir);
    await insertTestWorkspace(app.store.db, WS, { name: 'Mama Put' });
    await insertTestMessages(app.store, WS, 0, 120);
    const photo = writeTestMedia(dataDir, 'a photo of the menu');
    await app.backups.configure({ secondFolder: usb, keepDaily: 3 });

    const progress: BackupProgress[] = [];
    const off = app.backups.subscribe({ progressed: (p) => progress.push(p) });
    const entry = await app.backups.create('manual');
    off();

    expect(entry.workspaces).toEqual([{ id: WS, name: 'Mama Put', messages: 120 }]);
    expect(entry.mediaFiles).toBe(1);
    expect(progress.map((p) => p.phase)).toEqual(
      expect.arrayContaining(['copying', 'encrypting', 'verifying']),
    );
    expect(progress.at(-1)?.fraction).toBe(1);
    // No plain text of a message or the photo in the archive, no half-made file left behind.
    const raw = readFileSync(entry.file);
    expect(raw.includes(Buffer.from('jollof'))).toBe(false);
    expect(raw.includes(Buffer.from('a photo of the menu'))).toBe(false);
    expect(
      readdirSync(join(dataDir, 'backups')).filter((n) => n.includes('partial') || n.startsWith('.work')),
    ).toEqual([]);
    expect((await readArchiveHeader(entry.file)).key.source).toBe('machine');
    expect(readdirSync(usb)).toEqual([entry.name]);

    const listed = await app.backups.list();
    expect(listed.map((b) => [b.location, b.workspaces[0]?.messages])).toEqual([
      ['data-folder', 120],
      ['second-folder', 120],
    ]);
    const status = app.backups.status();
    expect(status.lastGoodAt).toBe(entry.createdAt);
    expect(status.stale).toBe(false);
    expect(status.secondFolderMissing).toBe(false);
    expect(photo).toMatch(/^[0-9a-f]{2}\//);
  });

  it('restores at the next start and keeps the replaced data beside it', async () => {
    const dataDir = tempDir();
    const app = await open(dataDir);
    await insertTestWorkspace(app.store.db, WS, { name: 'Mama Put' });
    await insertTestMessages(app.store, WS, 0, 50);
    const photo = writeTestMedia(dataDir, 'photo one');
    const entry = await app.backups.create('manual');
    await insertTestMessages(app.store, WS, 50, 30);
    writeTestMedia(dataDir, 'photo two, after the backup');

    const staged = await app.backups.stageRestore(entry.file);
    expect(staged.needScan).toEqual([]);
    // Nothing changed yet: the running app still has its data.
    expect(await messageCount(app)).toBe(80);
    await app.close();

    const reopened = await open(dataDir);
    expect(reopened.restored?.archive).toBe(entry.file);
    expect(await messageCount(reopened)).toBe(50);
    expect(readdirSync(join(dataDir, 'media', photo.slice(0, 2)))).toEqual([photo.slice(3)]);
    // Undo: the data it replaced, whole, beside it.
    const beside = staged.keptBesideAs;
    expect(existsSync(join(beside, 'switchboard.db'))).toBe(true);
    // The two photos' hash folders (the media store's own tmp/ folder aside).
    expect(readdirSync(join(beside, 'media')).filter((name) => name !== 'tmp').length).toBe(2);
    expect(existsSync(join(dataDir, 'restore-staging'))).toBe(false);
  });

  it('protects backups with a passphrase when one is set, and needs it for an archive from elsewhere', async () => {
    const dataDir = tempDir();
    const app = await open(dataDir);
    await insertTestWorkspace(app.store.db, WS);
    await app.backups.configure({ passphrase: 'our shop since 1998' });
    expect(app.backups.settings().protection).toBe('passphrase');
    const entry = await app.backups.create('daily');
    expect((await readArchiveHeader(entry.file)).key.source).toBe('passphrase');
    expect((await app.backups.list()).length).toBe(1); // the stored key opens it without typing

    const other = await open(tempDir());
    await expect(other.backups.stageRestore(entry.file)).rejects.toThrow(/protected by a passphrase/);
    await expect(other.backups.stageRestore(entry.file, 'wrong passphrase')).rejects.toThrow(
      /check the passphrase/,
    );
    const staged = await other.backups.stageRestore(entry.file, 'our shop since 1998');
    expect(staged.kind).toBe('backup');
  });

  it('keeps N daily and M weekly backups', async () => {
    const dataDir = tempDir();
    let now = Date.UTC(2026, 0, 5, 21); // a Monday evening
    const app = await createSwitchboard({ dataDir, durability: 'normal', clock: { now: () => now } });
    cleanups.push(() => app.close());
    await app.backups.configure({ keepDaily: 2, keepWeekly: 2 });
    for (let day = 0; day < 10; day++) {
      await app.backups.create('daily');
      now += 24 * 60 * 60 * 1000;
    }
    const kept = (await app.backups.list()).map((b) => new Date(b.createdAt).toISOString().slice(0, 10));
    // The two newest days, and the newest of each of the last two weeks (Sunday 11th ends the first).
    expect(kept).toEqual(['2026-01-14', '2026-01-13', '2026-01-11']);
  });

  it('warns when the second folder is missing and when no backup is recent', async () => {
    const dataDir = tempDir();
    const app = await open(dataDir);
    expect(app.backups.status().stale).toBe(true);
    await app.backups.configure({ secondFolder: join(dataDir, 'usb-not-plugged-in') });
    expect(app.backups.status().secondFolderMissing).toBe(true);
    await app.backups.create('manual');
    expect(app.backups.status().stale).toBe(false);
    mkdirSync(join(dataDir, 'usb-not-plugged-in'));
    expect(app.backups.status().secondFolderMissing).toBe(false);
  });

  describe("secrets sealed by a computer's key store", () => {
    /** A key store that lives outside the data folder, as the operating system's does. */
    const keyStore = (): SecretBox =>
      createFileKeySecretBox({ keyPath: join(tempDir(), 'login-keyring.key') });
    const CREDS = JSON.stringify({ noiseKey: 'private noise key of the linked device' });
    const AI_KEY = 'sk-test-0123456789abcdef';

    async function shopWithSecrets(secrets: SecretBox) {
      const dataDir = tempDir();
      const app = await createSwitchboard({ dataDir, durability: 'normal', secrets });
      cleanups.push(() => app.close());
      const workspace = await app.workspaces.create({ name: 'Mama Put' });
      const number = await app.workspaces.addNumber(workspace.id, { number: '+2348031234567' });
      await createWaAuthRepository(app.store.db, secrets).writeCreds(workspace.id, number.id, CREDS, 1);
      await createWaAuthRepository(app.store.db, secrets).setKeys(workspace.id, number.id, [
        { type: 'session', id: 'a', value: '{"session":"signal"}' },
      ]);
      await createAiKeyRepository(app.store.db, secrets, createLogger({ sinks: [] })).set(
        workspace.id,
        'openai',
        AI_KEY,
        1,
      );
      return { app, workspace, number };
    }
    async function secretsIn(
      dataDir: string,
      secrets: SecretBox,
      workspaceId: WorkspaceId,
      numberId: string,
    ) {
      const app = await createSwitchboard({ dataDir, durability: 'normal', secrets });
      try {
        const auth = createWaAuthRepository(app.store.db, secrets);
        return {
          creds: await auth.readCreds(workspaceId, numberId),
          keys: await auth.getKeys(workspaceId, numberId, 'session', ['a']),
          ai: await createAiKeyRepository(app.store.db, secrets, createLogger({ sinks: [] })).get(
            workspaceId,
            'openai',
          ),
        };
      } finally {
        await app.close();
      }
    }

    it('a move archive carries them to a computer with another key store, resealed there', async () => {
      const oldStore = keyStore();
      const { app, workspace, number } = await shopWithSecrets(oldStore);
      const file = join(tempDir(), 'move.swbk');
      await app.backups.createMoveArchive(file, 'our shop since 1998');
      // Nothing of the secrets in plain text, and no key file of the old computer in the archive.
      expect(readFileSync(file).includes(Buffer.from('private noise key'))).toBe(false);

      const newStore = keyStore();
      const newDir = tempDir();
      const fresh = await createSwitchboard({ dataDir: newDir, durability: 'normal', secrets: newStore });
      const staged = await fresh.backups.stageRestore(file, 'our shop since 1998');
      await fresh.close();
      expect(staged.reconnects).toEqual(['+2348031234567']);
      expect(existsSync(join(newDir, 'secrets.key'))).toBe(false);
      expect(await secretsIn(newDir, newStore, workspace.id, number.id)).toEqual({
        creds: CREDS,
        keys: { a: '{"session":"signal"}' },
        ai: AI_KEY,
      });
      // Sealed with the new computer's key store: the old one cannot open them.
      await expect(secretsIn(newDir, oldStore, workspace.id, number.id)).rejects.toThrow(/another key/);
    });

    it('a move refuses, in words, when a stored key cannot be opened here (it would not carry it)', async () => {
      const { app, workspace } = await shopWithSecrets(keyStore());
      // A key sealed by another key store: the move could not carry it, so it writes nothing.
      await createAiKeyRepository(app.store.db, keyStore(), createLogger({ sinks: [] })).set(
        workspace.id,
        'anthropic',
        'sk-ant-0123456789',
        2,
      );
      const file = join(tempDir(), 'move.swbk');
      await expect(app.backups.createMoveArchive(file, 'our shop since 1998')).rejects.toThrow(
        /could not be opened with this computer's key store \(1 in ai_keys\.key_sealed\)/,
      );
      expect(existsSync(file)).toBe(false);
      expect(app.backups.status().movedAway).toBeUndefined();
      // A daily passphrase backup still goes ahead, keeping that one key sealed for this computer only.
      await app.backups.configure({ passphrase: 'our shop since 1998' });
      expect((await app.backups.create('daily')).protection).toBe('passphrase');
    });

    it('a passphrase backup restores them on another computer; a backup sealed with the machine key does not open there', async () => {
      const { app, workspace, number } = await shopWithSecrets(keyStore());
      const machineOnly = join(tempDir(), 'machine-only.swbk');
      copyFileSync((await app.backups.create('manual')).file, machineOnly);
      await app.backups.configure({ passphrase: 'our shop since 1998' });
      const portable = await app.backups.create('manual');

      const newStore = keyStore();
      const newDir = tempDir();
      const other = await createSwitchboard({ dataDir: newDir, durability: 'normal', secrets: newStore });
      await expect(other.backups.stageRestore(machineOnly)).rejects.toThrow(
        /made with another computer's key store; it can only be opened there/,
      );
      await other.backups.stageRestore(portable.file, 'our shop since 1998');
      await other.close();
      expect((await secretsIn(newDir, newStore, workspace.id, number.id)).creds).toBe(CREDS);
    });
  });
});
