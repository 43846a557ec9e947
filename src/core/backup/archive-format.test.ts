import { randomBytes } from 'node:crypto';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileKeySecretBox } from '../secrets/file-key-secret-box';
import { useTempDirs } from '../testing/temp-dirs';
import { FRAME_BYTES, readArchiveHeader } from './archive-format';
import { machineKey, openArchiveKey, passphraseKey } from './archive-keys';
import { extractArchive, readManifest, writeBackupArchive } from './backup-archive';

const tempDir = useTempDirs('switchboard-archive-');

const MANIFEST = {
  kind: 'backup' as const,
  reason: 'manual',
  createdAt: 1_760_000_000_000,
  schema: '0013-chat-read',
  workspaces: [{ id: 'ws-1', name: 'Mama Put', messages: 3 }],
  numbers: [],
  mediaFiles: 1,
};

/** An archive of two files, one bigger than a frame so it spans several. */
async function writeSample(dir: string, key: Awaited<ReturnType<typeof passphraseKey>>) {
  const big = randomBytes(FRAME_BYTES * 2 + 12345);
  const small = Buffer.from('a photo of jollof rice');
  writeFileSync(join(dir, 'db'), big);
  writeFileSync(join(dir, 'photo'), small);
  const path = join(dir, 'backup.swbk');
  await writeBackupArchive({
    path,
    key,
    manifest: MANIFEST,
    files: [
      { name: 'switchboard.db', path: join(dir, 'db') },
      { name: 'media/ab/abcdef', path: join(dir, 'photo') },
    ],
  });
  return { path, big, small };
}

describe('encrypted archive', () => {
  it('round-trips a passphrase archive across frames, and a listing reads only its manifest', async () => {
    const dir = tempDir();
    const key = await passphraseKey('correct horse battery staple');
    const { path, big, small } = await writeSample(dir, key);
    const raw = readFileSync(path);
    expect(raw.includes(small)).toBe(false); // encrypted, not stored
    const header = await readArchiveHeader(path);
    expect(header.key.source).toBe('passphrase');
    const reopened = await openArchiveKey(header.key, {
      secrets: createFileKeySecretBox({ dataDir: dir }),
      passphrase: 'correct horse battery staple',
    });
    expect((await readManifest(path, reopened)).workspaces).toEqual(MANIFEST.workspaces);
    const out = join(dir, 'out');
    const manifest = await extractArchive(path, reopened, out);
    expect(manifest.entries).toEqual(['switchboard.db', 'media/ab/abcdef']);
    expect(readFileSync(join(out, 'switchboard.db')).equals(big)).toBe(true);
    expect(readFileSync(join(out, 'media/ab/abcdef')).equals(small)).toBe(true);
  });

  it('refuses a wrong passphrase, a changed byte, and a cut-off archive, each with its own message', async () => {
    const dir = tempDir();
    const key = await passphraseKey('correct horse battery staple');
    const { path } = await writeSample(dir, key);
    const header = await readArchiveHeader(path);
    const secrets = createFileKeySecretBox({ dataDir: dir });
    const wrong = await openArchiveKey(header.key, { secrets, passphrase: 'wrong horse battery staple' });
    await expect(readManifest(path, wrong)).rejects.toThrow(/check the passphrase/);

    const original = readFileSync(path);
    const changed = Buffer.from(original);
    changed[original.length - 5000]! ^= 1;
    writeFileSync(path, changed);
    await expect(extractArchive(path, key.masterKey, join(dir, 'x'))).rejects.toThrow(/was changed/);

    // Cut inside the last tag, inside the last frame, inside the first frame, right after the header.
    for (const length of [original.length - 1, original.length - 100, FRAME_BYTES + 200, 9]) {
      writeFileSync(path, original);
      truncateSync(path, length);
      await expect(extractArchive(path, key.masterKey, join(dir, 'y'))).rejects.toThrow(
        /incomplete|changed|damaged/,
      );
    }
    // A whole last frame removed: the frames before it are all good, but the end is missing.
    writeFileSync(path, original.subarray(0, original.length - 16 - 4 - lastFrameLength(original)));
    await expect(extractArchive(path, key.masterKey, join(dir, 'z'))).rejects.toThrow(/incomplete/);
  });

  it("opens a machine-key archive with this install's key store only", async () => {
    const dir = tempDir();
    const secrets = createFileKeySecretBox({ dataDir: dir });
    const { path } = await writeSample(dir, machineKey(secrets));
    const header = await readArchiveHeader(path);
    const key = await openArchiveKey(header.key, { secrets });
    expect((await readManifest(path, key)).reason).toBe('manual');
    const other = createFileKeySecretBox({ dataDir: tempDir() });
    await expect(openArchiveKey(header.key, { secrets: other })).rejects.toThrow(
      /another computer's key store/,
    );
  });

  it('says what is wrong with a file that is not an archive, or a passphrase too short', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'photo.jpg'), 'not an archive at all');
    await expect(readArchiveHeader(join(dir, 'photo.jpg'))).rejects.toThrow(/is not a Switchboard backup/);
    await expect(readArchiveHeader(join(dir, 'missing.swbk'))).rejects.toThrow(/There is no backup file/);
    await expect(passphraseKey('short')).rejects.toThrow(/at least 8 characters/);
  });
});

/** The plain length of the archive's last frame, read back from its length field by walking the frames. */
function lastFrameLength(archive: Buffer): number {
  let position = 9 + archive.readUInt32BE(5);
  let last = 0;
  while (position < archive.length) {
    last = archive.readUInt32BE(position) & 0x7fff_ffff;
    position += 4 + last + 16;
  }
  return last;
}
