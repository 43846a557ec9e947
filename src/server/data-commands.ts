import {
  acquireInstanceLock,
  applyPendingRestore,
  createBackupService,
  createFileKeySecretBox,
  createLogger,
  createSwitchboard,
  isSwitchboardError,
  type BackupEntry,
  type BackupService,
} from '../core/index';

/** `npm run serve -- <command>`: backups from the command line, with the host stopped. */
export type DataCommand =
  | { name: 'backups' }
  | { name: 'backup' }
  | { name: 'restore'; file: string }
  | { name: 'move'; file: string }
  | { name: 'import'; file: string };

export const DATA_COMMAND_NAMES = ['backups', 'backup', 'restore', 'move', 'import'] as const;

export const DATA_COMMANDS_USAGE = `Backups (run while the host is stopped):
  backups            list the backups: date, workspaces and message counts
  backup             make a backup now (encrypted, checked)
  restore <file>     put a backup back ("latest": the newest good one); the current data is kept beside it
  move <file>        write everything to <file> for another computer; this install stops for good
  import <file>      on the new computer: take over from a move archive
  A passphrase, where one is needed, is read from SWITCHBOARD_PASSPHRASE.`;

export interface DataCommandOptions {
  dataDir: string;
  command: DataCommand;
  passphrase: string | undefined;
  log: (line: string) => void;
}

/** A backup service on the data folder alone: it lists and restores even when the database is damaged. */
function catalog(dataDir: string): BackupService {
  return createBackupService({
    dataDir,
    secrets: createFileKeySecretBox({ dataDir }),
    logger: createLogger({ sinks: [] }),
    now: () => Date.now(),
  });
}

export function describeBackup(entry: BackupEntry): string {
  const workspaces = entry.workspaces.map((w) => `${w.name} (${w.messages} messages)`).join(', ');
  return `${new Date(entry.createdAt).toLocaleString()}  ${entry.reason.padEnd(7)} ${workspaces || 'no workspaces'}\n    ${entry.file}`;
}

/**
 * A damaged database at start is not a dead end: the error names the last good backup and the command
 * that puts it back. Other errors pass through unchanged.
 */
export async function explainDamagedDatabase(error: unknown, dataDir: string): Promise<unknown> {
  if (!isSwitchboardError(error, 'DATABASE_CORRUPT')) return error;
  const latest = (
    await catalog(dataDir)
      .list()
      .catch(() => [])
  )[0];
  return new Error(
    `${error.message}\n` +
      (latest === undefined
        ? 'There is no backup in this data folder to restore.'
        : `The last good backup:\n  ${describeBackup(latest)}\n` +
          `Put it back with: npm run serve -- restore latest --data-dir ${dataDir}\n` +
          '(the damaged file is kept beside it).'),
    { cause: error },
  );
}

export async function runDataCommand(options: DataCommandOptions): Promise<void> {
  const { dataDir, command, log } = options;
  const lock = acquireInstanceLock(dataDir, `the command "${command.name}"`);
  try {
    switch (command.name) {
      case 'backups': {
        const list = await catalog(dataDir).list();
        if (list.length === 0) log('No backups yet. Make one with: npm run serve -- backup');
        for (const entry of list) log(describeBackup(entry));
        return;
      }
      case 'backup':
      case 'move': {
        const app = await createSwitchboard({ dataDir });
        try {
          if (command.name === 'backup') {
            log(`Backup written and checked:\n${describeBackup(await app.backups.create('manual'))}`);
          } else {
            if (options.passphrase === undefined)
              throw new Error('Set SWITCHBOARD_PASSPHRASE to the passphrase that will protect the archive.');
            await app.backups.createMoveArchive(command.file, options.passphrase);
            log(`Everything was written to ${command.file} and checked.`);
            log('This install is stopped for good: its numbers will not connect here again.');
            log(
              'On the new computer: npm run serve -- import <file> (with the same SWITCHBOARD_PASSPHRASE).',
            );
          }
        } finally {
          await app.close();
        }
        return;
      }
      case 'restore':
      case 'import': {
        const backups = catalog(dataDir);
        let file = command.file;
        if (file === 'latest') {
          const latest = (await backups.list())[0];
          if (latest === undefined) throw new Error(`There is no backup in ${backups.settings().folder}.`);
          file = latest.file;
        }
        log(`The backup holds:\n${describeBackup(await backups.inspect(file, options.passphrase))}`);
        const staged = await backups.stageRestore(file, options.passphrase);
        applyPendingRestore(dataDir);
        log(`Put back the backup of ${new Date(staged.createdAt).toLocaleString()} (${file}).`);
        log(`The data it replaced is kept in ${staged.keptBesideAs}.`);
        if (staged.reconnects.length > 0) log(`Reconnect by themselves: ${staged.reconnects.join(', ')}`);
        if (staged.needScan.length > 0) log(`Need a QR scan in the app: ${staged.needScan.join(', ')}`);
        return;
      }
    }
  } finally {
    lock.release();
  }
}
