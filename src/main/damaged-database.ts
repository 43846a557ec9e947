import {
  applyPendingRestore,
  createBackupService,
  createLogger,
  isSwitchboardError,
  type SecretBox,
} from '../core/index';

/** The part of Electron's dialog this uses (typed structurally: tested without Electron). */
export interface ChoiceDialog {
  showMessageBox(options: {
    type: 'error';
    title: string;
    message: string;
    detail: string;
    buttons: string[];
    defaultId: number;
    cancelId: number;
  }): Promise<{ response: number }>;
}

/**
 * A database that fails its check at start is not a dead end: the owner is offered the newest good
 * backup. Returns true when it was put in place (the shell then starts again).
 */
export async function offerLastGoodBackup(options: {
  error: unknown;
  dataDir: string;
  secrets: SecretBox;
  dialog: ChoiceDialog;
}): Promise<boolean> {
  if (!isSwitchboardError(options.error, 'DATABASE_CORRUPT')) return false;
  const backups = createBackupService({
    dataDir: options.dataDir,
    secrets: options.secrets,
    logger: createLogger({ sinks: [] }),
    now: () => Date.now(),
  });
  const latest = (await backups.list())[0];
  if (latest === undefined) return false;
  const when = new Date(latest.createdAt).toLocaleString();
  const { response } = await options.dialog.showMessageBox({
    type: 'error',
    title: 'Switchboard',
    message: "Switchboard's data is damaged",
    detail:
      `${options.error instanceof Error ? options.error.message : ''}\n\n` +
      `The last good backup is from ${when} (${latest.workspaces.map((w) => w.name).join(', ') || 'no workspaces'}). ` +
      'Put it back? The damaged data is kept beside it.',
    buttons: [`Restore the backup of ${when}`, 'Quit'],
    defaultId: 0,
    cancelId: 1,
  });
  if (response !== 0) return false;
  await backups.stageRestore(latest.file);
  applyPendingRestore(options.dataDir);
  return true;
}
