// Customers' files on disk: <dataDir>/media/<first two hex>/<sha256>, named by their content so the same
// photo sent twice is kept once. A file is written under media/tmp/, flushed, and only then renamed
// into place: a half-written file (a crash, a full disk) never sits under a hash name, so whatever is
// found under a name is whole. Folders are 0700 and files 0600 like the rest of the data folder.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const MEDIA_FOLDER = 'media';
const HASH = /^[0-9a-f]{64}$/;

export interface MediaFiles {
  readonly folder: string;
  /** Where files are written before they are whole (emptied at every start). */
  readonly tmp: string;
  /** Stores `data` under its SHA-256 (kept as is when that file exists already); returns the hash. */
  put(data: Buffer): Promise<{ sha256: string; size: number }>;
  read(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  remove(sha256: string): Promise<void>;
  path(sha256: string): string;
  /**
   * Moves a whole, flushed file from tmp/ into place under `sha256` (which the caller computed while
   * writing it); when that file exists already the temporary one is dropped.
   */
  adopt(tempPath: string, sha256: string): Promise<void>;
}

export function createMediaFiles(dataDir: string): MediaFiles {
  const folder = join(dataDir, MEDIA_FOLDER);
  const tmp = join(folder, 'tmp');
  mkdirSync(tmp, { recursive: true, mode: 0o700 });
  // Leftovers of writes a crash interrupted: never renamed, so never referenced.
  for (const name of readdirSync(tmp)) void rm(join(tmp, name), { force: true });

  const pathOf = (sha256: string): string => {
    if (!HASH.test(sha256)) throw new Error(`not a SHA-256 hex name: ${sha256.slice(0, 80)}`);
    return join(folder, sha256.slice(0, 2), sha256);
  };

  const exists = async (path: string) =>
    stat(path).then(
      (s) => s.isFile(),
      () => false,
    );

  return {
    folder,
    tmp,
    path: pathOf,
    async put(data) {
      const sha256 = createHash('sha256').update(data).digest('hex');
      const target = pathOf(sha256);
      if (await exists(target)) return { sha256, size: data.length };
      const temp = join(tmp, `${sha256}.${randomBytes(6).toString('hex')}`);
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        mkdirSync(join(folder, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return { sha256, size: data.length };
    },
    async adopt(tempPath, sha256) {
      const target = pathOf(sha256);
      try {
        if (!(await exists(target))) {
          mkdirSync(join(folder, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
          await rename(tempPath, target);
        }
      } finally {
        await rm(tempPath, { force: true });
      }
    },
    read: (sha256) => readFile(pathOf(sha256)),
    has: (sha256) => exists(pathOf(sha256)),
    remove: (sha256) => rm(pathOf(sha256), { force: true }),
  };
}
