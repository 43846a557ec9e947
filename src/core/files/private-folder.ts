import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A data folder holds customers' messages, the WhatsApp session keys and tokens: only its owner may read
 * it. Folders become 0700 and files 0600, created so and repaired at every start (a copy made with the
 * wrong umask, an older version that created them 0644). On Windows, modes are not how access is
 * controlled (ACLs are; the data folder lives under the user's profile, which other users cannot read by
 * default), so nothing is changed there and the caller is told.
 */
export interface PrivateFolderReport {
  /** Folders and files whose mode was tightened, relative to the folder. */
  repaired: string[];
  /** Why modes were not checked (Windows), or null. */
  unsupported: string | null;
}

const FOLDER_MODE = 0o700;
const FILE_MODE_MASK = 0o700;
/** How deep below the data folder to look (logs/, backups/...): the data folder's own layout is shallow. */
const MAX_DEPTH = 3;

export function securePrivateFolder(
  folder: string,
  platform: NodeJS.Platform = process.platform,
): PrivateFolderReport {
  mkdirSync(folder, { recursive: true, mode: FOLDER_MODE });
  if (platform === 'win32') {
    return {
      repaired: [],
      unsupported:
        'Windows controls access with the folder permissions of your user profile, not file modes; keep the ' +
        'data folder inside your profile so other users of this computer cannot read it.',
    };
  }
  const repaired: string[] = [];
  const visit = (path: string, relative: string, depth: number) => {
    const stat = statSync(path);
    // Group and other get nothing; a file keeps its owner's bits (a read-only backup stays read-only).
    if ((stat.mode & 0o077) !== 0) {
      chmodSync(path, stat.isDirectory() ? FOLDER_MODE : stat.mode & FILE_MODE_MASK);
      repaired.push(relative === '' ? '.' : relative);
    }
    if (!stat.isDirectory() || depth >= MAX_DEPTH) return;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (!entry.isFile() && !entry.isDirectory()) continue;
      visit(join(path, entry.name), relative === '' ? entry.name : join(relative, entry.name), depth + 1);
    }
  };
  visit(folder, '', 0);
  return { repaired, unsupported: null };
}

/**
 * Files this process creates from now on are private (0600, folders 0700): SQLite's -wal and -shm, the
 * journal, log files, exports. For the shells' entry points; a library must not change its host's umask.
 */
export function makeNewFilesPrivate(): void {
  process.umask(0o077);
}
