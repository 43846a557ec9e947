import { z } from 'zod';
import { command, noInput } from './command-spec';

/**
 * Backups, restore and moving to another computer: the commands the Settings screen's "Backups"
 * section, Home's backup line and first run call. contract.ts spreads `backupCommands` into its command
 * map and merges `BackupEvents` into its `Events`. Must not import contract.ts (an import cycle).
 */

export interface BackupProgress {
  phase: 'copying' | 'encrypting' | 'verifying';
  /** 0..1 over the whole backup. */
  fraction: number;
  reason: string;
}

export interface BackupSettings {
  /** The newest backup of each of this many days is kept... */
  keepDaily: number;
  /** ...and the newest of each of this many weeks. */
  keepWeekly: number;
  /** A second copy of every backup goes here (a USB stick, a synced folder), when set. */
  secondFolder: string | null;
  /** 'this-computer': only this install can open its backups; 'passphrase': any computer, with it. */
  protection: 'this-computer' | 'passphrase';
  /** Where backups are kept in the data folder. */
  folder: string;
}

export interface BackupStatus {
  running: BackupProgress | null;
  lastGoodAt: number | null;
  lastError: { at: number; message: string } | null;
  /** No good backup for 48 hours (or ever): Home warns. */
  stale: boolean;
  secondFolder: string | null;
  /** The second folder is set but not there (the USB stick is not plugged in). */
  secondFolderMissing: boolean;
  /** This install was moved to another computer: it does not connect any more. */
  movedAway: { at: number; archive: string } | undefined;
}

export interface BackupEntry {
  file: string;
  name: string;
  location: 'data-folder' | 'second-folder' | 'elsewhere';
  bytes: number;
  kind: 'backup' | 'move';
  reason: string;
  createdAt: number;
  workspaces: { id: string; name: string; messages: number }[];
  numbers: { workspaceId: string; e164: string; provider: string; hasSession: boolean }[];
  mediaFiles: number;
  /** 'this-computer': sealed with this computer's key store, it opens here only; 'passphrase': anywhere. */
  protection: 'this-computer' | 'passphrase';
}

export interface RestoreStaged {
  /** The app restarts to put the backup in place (the database must be closed for it). */
  restartRequired: true;
  keptBesideAs: string;
  reconnects: string[];
  needScan: string[];
}

const filePath = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .min(1, `Type where the ${what.toLowerCase()} is`)
    .max(1000, `${what} is too long`);
const passphrase = z.string({ error: 'the passphrase must be text' }).max(200, 'the passphrase is too long');

export const backupCommands = {
  'backup.status': command<BackupStatus>()(noInput),
  'backup.settings': command<BackupSettings>()(noInput),
  'backup.configure': command<BackupSettings>()(
    z.strictObject({
      keepDaily: z.number().int().min(1, 'keep at least 1 daily backup').max(60).optional(),
      keepWeekly: z.number().int().min(0).max(52).optional(),
      secondFolder: filePath('Second folder').nullable().optional(),
      /** A new passphrase (null: back to this computer's key store). */
      passphrase: passphrase.nullable().optional(),
    }),
  ),
  /** "Back up now": progress arrives as `backup.progressed`. */
  'backup.create': command<BackupEntry>()(noInput),
  'backup.list': command<BackupEntry[]>()(noInput),
  /** Unpacks and checks a backup (a listed one or any archive file); the app restarts to put it in place. */
  'backup.restore': command<RestoreStaged>()(
    z.strictObject({ file: filePath('Backup file'), passphrase: passphrase.optional() }),
  ),
  /** A backup file picked by the owner (not in the list): its date, workspaces and message counts. */
  'backup.inspect': command<BackupEntry>()(
    z.strictObject({ file: filePath('Backup file'), passphrase: passphrase.optional() }),
  ),
  /** "Move to another computer": one archive of everything; this install stops for good once it is made. */
  'backup.move': command<BackupEntry>()(
    z.strictObject({ destination: filePath('Archive file'), passphrase }),
  ),
};

export interface BackupEvents {
  'backup.progressed': BackupProgress;
  /** A backup finished or failed, settings changed, or this install was moved: status and list reload. */
  'backup.changed': Record<string, never>;
  /** A restore was staged: the shell restarts the core to put it in place. */
  'backup.restoreStaged': RestoreStaged;
}
