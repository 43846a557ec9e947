import { existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, rename } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { BackupEntry } from '../../shared/backup-contract';
import type { ArchiveKey } from './archive-keys';
import type { ArchiveFile, BackupManifest } from './backup-archive';

export const MEDIA_FOLDER = 'media';
const ARCHIVE_SUFFIX = '.swbk';

/** How a backup list names an archive's key: a passphrase, or this computer's key store. */
export const protectionOf = (source: ArchiveKey['source']): BackupEntry['protection'] =>
  source.source === 'passphrase' ? 'passphrase' : 'this-computer';

export function entryOf(
  path: string,
  manifest: BackupManifest,
  location: BackupEntry['location'],
  protection: BackupEntry['protection'],
): BackupEntry {
  return {
    protection,
    file: path,
    name: basename(path),
    location,
    bytes: statSync(path).size,
    kind: manifest.kind,
    reason: manifest.reason,
    createdAt: manifest.createdAt,
    workspaces: manifest.workspaces,
    numbers: manifest.numbers,
    mediaFiles: manifest.mediaFiles,
  };
}

export async function copyToSecondFolder(archive: string, second: string): Promise<void> {
  if (!existsSync(second)) return; // Home warns that it is missing.
  const target = join(second, basename(archive));
  await copyFile(archive, `${target}.partial`);
  await rename(`${target}.partial`, target);
}

export function archiveName(at: number, reason: string): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `switchboard-${stamp}-${at}-${reason.replace(/[^a-z0-9-]/gi, '')}${ARCHIVE_SUFFIX}`;
}

export function createdAtOf(path: string): number {
  const match = /-(\d{10,})-[a-z0-9-]*\.swbk$/i.exec(basename(path));
  return match === null ? statSync(path).mtimeMs : Number(match[1]);
}

export function listArchives(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(ARCHIVE_SUFFIX))
    .map((name) => join(dir, name));
}

/**
 * Media files by content-hash name; a file still being written is not one of them: a temporary name,
 * or anything in the media store's own `tmp/` folder (downloads land there before their rename).
 */
export function listMedia(root: string): ArchiveFile[] {
  if (!existsSync(root)) return [];
  const files: ArchiveFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || /\.(partial|tmp)$/.test(entry.name)) continue;
      if (dir === root && entry.name === 'tmp') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile())
        files.push({ name: `${MEDIA_FOLDER}/${relative(root, path).split('\\').join('/')}`, path });
    }
  };
  walk(root);
  return files;
}
