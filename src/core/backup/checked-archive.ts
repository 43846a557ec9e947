import { rmSync, statSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveKey } from './archive-keys';
import {
  DATABASE_ENTRY,
  extractArchive,
  writeBackupArchive,
  type ArchiveFile,
  type BackupManifest,
} from './backup-archive';
import { inspectSnapshot } from './inspect-snapshot';

/**
 * Writes an archive under `<destination>.partial`, reads it back as a restore would (every frame
 * decrypted, every file's hash, SQLite's full check of the database in it) and only then gives it its
 * real name: a name without `.partial` means a good archive. `workDir` is scratch space, left to the caller.
 */
export async function writeCheckedArchive(options: {
  destination: string;
  workDir: string;
  key: ArchiveKey;
  manifest: Omit<BackupManifest, 'entries'>;
  files: readonly ArchiveFile[];
  /** 0..1 of the bytes encrypted, then of the bytes read back. */
  onWritten?: (fraction: number) => void;
  onVerified?: (fraction: number) => void;
}): Promise<BackupManifest> {
  const { destination, key, manifest, files } = options;
  const partial = `${destination}.partial`;
  const total = files.reduce((sum, f) => sum + statSync(f.path).size, 0) || 1;
  try {
    rmSync(partial, { force: true });
    let written = 0;
    await writeBackupArchive({
      path: partial,
      key,
      manifest,
      files,
      onBytes: (bytes) => options.onWritten?.((written += bytes) / total),
    });
    let read = 0;
    const verify = join(options.workDir, 'verify');
    const checked = await extractArchive(
      partial,
      key.masterKey,
      verify,
      (bytes) => options.onVerified?.((read += bytes) / total),
      // The media are checked by their hashes as they are read; only the database is needed on disk.
      { only: (name) => name === DATABASE_ENTRY },
    );
    const copy = await inspectSnapshot(join(verify, DATABASE_ENTRY), { integrity: true });
    rmSync(verify, { recursive: true, force: true });
    if (copy.integrity.join() !== 'ok') {
      throw new Error(
        `the copy in the backup failed SQLite's check (${copy.integrity.slice(0, 3).join('; ')})`,
      );
    }
    if (JSON.stringify(copy.workspaces) !== JSON.stringify(checked.workspaces)) {
      throw new Error('the copy in the backup does not hold what its list says');
    }
    await rename(partial, destination);
    return { ...manifest, entries: files.map((f) => f.name) };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
