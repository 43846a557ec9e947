import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { open, rm } from 'node:fs/promises';
import { archiveError, createArchiveWriter, readArchiveFrames, type ArchiveHeader } from './archive-format';
import {
  readEntries,
  writeBufferEntry,
  writeEndEntry,
  writeFileEntry,
  type EntrySink,
} from './archive-entries';
import type { ArchiveKey } from './archive-keys';
import type { SnapshotContents } from './inspect-snapshot';

export const MANIFEST_ENTRY = 'manifest.json';
export const DATABASE_ENTRY = 'switchboard.db';

/** The first entry of every archive: what the list of backups shows without reading the rest. */
export interface BackupManifest {
  kind: ArchiveHeader['kind'];
  /** Why it was made: 'daily', 'quit', 'manual', 'move'. */
  reason: string;
  createdAt: number;
  schema: string | null;
  workspaces: SnapshotContents['workspaces'];
  numbers: SnapshotContents['numbers'];
  mediaFiles: number;
  /**
   * 'portable': the secrets in the database are sealed with the archive's key and resealed with the
   * key store of whichever computer restores it; 'this-computer': they stay sealed with this computer's.
   */
  secrets?: 'portable' | 'this-computer';
  /** Every entry after the manifest, so a reader knows what a whole archive holds. */
  entries: string[];
}

export interface ArchiveFile {
  /** The name inside the archive: 'switchboard.db', 'media/ab/abcd...', 'secrets.key'. */
  name: string;
  path: string;
}

/** Writes the manifest then each file; the archive is complete only once `finish` wrote its last frame. */
export async function writeBackupArchive(options: {
  path: string;
  key: ArchiveKey;
  manifest: Omit<BackupManifest, 'entries'>;
  files: readonly ArchiveFile[];
  onBytes?: (bytes: number) => void;
}): Promise<void> {
  const { manifest, files } = options;
  const writer = await createArchiveWriter(
    options.path,
    { kind: manifest.kind, createdAt: manifest.createdAt, key: options.key.source },
    options.key.masterKey,
  );
  try {
    const full: BackupManifest = { ...manifest, entries: files.map((f) => f.name) };
    await writeBufferEntry(writer, MANIFEST_ENTRY, Buffer.from(JSON.stringify(full)));
    for (const file of files) await writeFileEntry(writer, file.name, file.path, options.onBytes);
    await writeEndEntry(writer);
    await writer.finish();
  } catch (error) {
    await writer.abort();
    await rm(options.path, { force: true });
    throw error;
  }
}

/** Reads only the manifest (the first megabyte or so): for the list of backups. */
export async function readManifest(path: string, masterKey: Buffer): Promise<BackupManifest> {
  let manifest: BackupManifest | undefined;
  await readEntries(path, readArchiveFrames(path, masterKey), {
    open: (name) =>
      name === MANIFEST_ENTRY ? collect((bytes) => (manifest = parseManifest(path, bytes))) : undefined,
    stopAfter: (name) => name === MANIFEST_ENTRY,
  });
  if (manifest === undefined) throw archiveError(path, 'is damaged (no manifest).');
  return manifest;
}

function parseManifest(path: string, bytes: Buffer): BackupManifest {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as BackupManifest;
    if (!Array.isArray(value.workspaces) || !Array.isArray(value.entries)) throw new Error('shape');
    return value;
  } catch (error) {
    throw archiveError(path, 'is damaged (manifest).', error);
  }
}

function collect(done: (bytes: Buffer) => void): EntrySink {
  const parts: Buffer[] = [];
  return { write: (b) => void parts.push(Buffer.from(b)), close: () => done(Buffer.concat(parts)) };
}

/**
 * Writes every entry of an archive under `destination` (names checked: nothing lands outside it), each
 * fsynced. Throws, leaving what it wrote for the caller to remove, if any part is damaged or missing.
 */
export async function extractArchive(
  path: string,
  masterKey: Buffer,
  destination: string,
  onBytes?: (bytes: number) => void,
  options: { only?: (name: string) => boolean } = {},
): Promise<BackupManifest> {
  let manifest: BackupManifest | undefined;
  const seen: string[] = [];
  await readEntries(path, readArchiveFrames(path, masterKey), {
    open(name, size) {
      if (name === MANIFEST_ENTRY) return collect((bytes) => (manifest = parseManifest(path, bytes)));
      seen.push(name);
      const target = join(destination, safeName(path, name));
      // Entries not wanted on disk are still read whole and checked against their hash.
      if (options.only?.(name) === false) {
        onBytes?.(size);
        return undefined;
      }
      return fileSink(target, onBytes);
    },
  });
  if (manifest === undefined) throw archiveError(path, 'is damaged (no manifest).');
  if (manifest.entries.join('\n') !== seen.join('\n'))
    throw archiveError(path, 'is damaged (files missing).');
  return manifest;
}

function safeName(archive: string, name: string): string {
  const normal = normalize(name);
  if (
    name.length === 0 ||
    isAbsolute(normal) ||
    normal.split(/[\\/]/).includes('..') ||
    normal.startsWith(sep)
  ) {
    throw archiveError(archive, `is damaged (a file named ${JSON.stringify(name)}).`);
  }
  return normal;
}

function fileSink(target: string, onBytes?: (bytes: number) => void): EntrySink {
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const opening = open(target, 'w', 0o600);
  return {
    async write(bytes) {
      onBytes?.(bytes.length);
      await (await opening).write(bytes);
    },
    async close() {
      const handle = await opening;
      // On disk before it is put in place: a power cut after a restore must not leave holes.
      await handle.sync();
      await handle.close();
    },
  };
}
