import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/temp-dirs';
import { createMediaFiles } from './media-files';

const dataDir = useTempDirs('switchboard-media-');

describe('media files', () => {
  it('keeps a file under its SHA-256, once, private, and reads it back', async () => {
    const dir = dataDir();
    const files = createMediaFiles(dir);
    const data = Buffer.from('transfer receipt');
    const sha = createHash('sha256').update(data).digest('hex');
    expect(await files.put(data)).toEqual({ sha256: sha, size: data.length });
    expect(await files.put(data)).toEqual({ sha256: sha, size: data.length });
    expect(files.path(sha)).toBe(join(dir, 'media', sha.slice(0, 2), sha));
    expect(await files.read(sha)).toEqual(data);
    expect(readdirSync(join(dir, 'media', sha.slice(0, 2)))).toEqual([sha]);
    expect(readdirSync(join(dir, 'media', 'tmp'))).toEqual([]);
    if (process.platform !== 'win32') {
      expect(statSync(files.path(sha)).mode & 0o077).toBe(0);
      expect(statSync(join(dir, 'media')).mode & 0o077).toBe(0);
    }
    await files.remove(sha);
    expect(await files.has(sha)).toBe(false);
  });

  it('clears half-written leftovers at start, and refuses a name that is not a hash', async () => {
    const dir = dataDir();
    createMediaFiles(dir);
    const leftover = join(dir, 'media', 'tmp', 'abc.123');
    writeFileSync(leftover, 'half a photo');
    const files = createMediaFiles(dir);
    await expect.poll(() => existsSync(leftover)).toBe(false);
    expect(() => files.path('../../switchboard.db')).toThrow(/not a SHA-256 hex name/);
    expect(() => files.read('ABC')).toThrow(/not a SHA-256/);
  });
});
