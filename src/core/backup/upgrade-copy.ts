import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { SecretBox } from '../secrets/secret-box';
import { readArchiveHeader } from './archive-format';
import { machineKey, openArchiveKey } from './archive-keys';
import { DATABASE_ENTRY, extractArchive } from './backup-archive';
import { writeCheckedArchive } from './checked-archive';
import { inspectSnapshot } from './inspect-snapshot';

/** What openDatabase needs to keep a copy before migrations change a database, and to put it back. */
export interface UpgradeCopier {
  /** Copies the open database somewhere safe; returns where. */
  write(sqlite: BetterSqlite3.Database, databasePath: string, fromSchema: string): Promise<string>;
  /** Puts the copy back over the (closed) database; the copy itself stays. */
  putBack(databasePath: string, copy: string): Promise<void>;
}

const PREFIX = 'before-upgrade-';

/** Where the copy made before an upgrade goes: the data folder's backups folder, listed with the backups. */
export const upgradeCopyPath = (databasePath: string, fromSchema: string): string =>
  join(dirname(databasePath), 'backups', `${PREFIX}${fromSchema}.swbk`);

export const isUpgradeCopy = (name: string): boolean => name.startsWith(PREFIX);

/**
 * The copy before an upgrade is a backup like the others (it holds customers' messages and WhatsApp's
 * keys): encrypted and checked, sealed with this computer's key store, since it is only ever put back
 * here. It stays until the next upgrade replaces it, so a version that turns out wrong after its
 * migrations ran can still be gone back from.
 */
export function createEncryptedUpgradeCopier(secrets: SecretBox): UpgradeCopier {
  return {
    async write(sqlite, databasePath, fromSchema) {
      const destination = upgradeCopyPath(databasePath, fromSchema);
      const folder = dirname(destination);
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const work = join(folder, `.work-upgrade-${Date.now()}`);
      mkdirSync(work, { recursive: true, mode: 0o700 });
      try {
        const snapshot = join(work, DATABASE_ENTRY);
        // SQLite's backup API: consistent, the write-ahead log included.
        await sqlite.backup(snapshot);
        const contents = await inspectSnapshot(snapshot, { integrity: false });
        const written = await writeCheckedArchive({
          destination: join(work, 'copy.swbk'),
          workDir: work,
          key: machineKey(secrets),
          manifest: {
            kind: 'backup',
            reason: 'upgrade',
            createdAt: Date.now(),
            schema: contents.schema,
            workspaces: contents.workspaces,
            numbers: contents.numbers,
            mediaFiles: 0,
            secrets: 'this-computer',
          },
          files: [{ name: DATABASE_ENTRY, path: snapshot }],
        });
        if (written.schema !== fromSchema) throw new Error(`the copy is at schema ${written.schema}`);
        for (const name of readdirSync(folder)) {
          if (isUpgradeCopy(name)) rmSync(join(folder, name), { force: true });
        }
        renameSync(join(work, 'copy.swbk'), destination);
        return destination;
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
    async putBack(databasePath, copy) {
      const work = join(dirname(copy), `.work-put-back-${Date.now()}`);
      try {
        const key = await openArchiveKey((await readArchiveHeader(copy)).key, { secrets });
        await extractArchive(copy, key, work, undefined, { only: (name) => name === DATABASE_ENTRY });
        for (const suffix of ['-wal', '-shm']) rmSync(databasePath + suffix, { force: true });
        // Extracted files are fsynced; the rename is the one step that swaps old for new.
        renameSync(join(work, DATABASE_ENTRY), databasePath);
      } finally {
        if (existsSync(work)) rmSync(work, { recursive: true, force: true });
      }
    },
  };
}
