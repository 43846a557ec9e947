import type { CoreHandlers } from '../../shared/contract';
import type { HandlerContext } from './context';

type BackupHandlers = Pick<
  CoreHandlers,
  | 'backup.status'
  | 'backup.settings'
  | 'backup.configure'
  | 'backup.create'
  | 'backup.list'
  | 'backup.restore'
  | 'backup.move'
  | 'backup.inspect'
>;

/**
 * Backups from the app. Progress and status changes reach the screens as `backup.progressed` and
 * `backup.changed` (forwarded by the runtime for every backup, the daily one included); a staged
 * restore is announced as `backup.restoreStaged`, on which the shell restarts the core.
 */
export function createBackupHandlers(ctx: HandlerContext): BackupHandlers {
  const { backups } = ctx.app;
  return {
    'backup.status': () => Promise.resolve(backups.status()),
    'backup.settings': () => Promise.resolve(backups.settings()),
    'backup.configure': (patch) =>
      backups.configure({
        ...(patch.keepDaily !== undefined && { keepDaily: patch.keepDaily }),
        ...(patch.keepWeekly !== undefined && { keepWeekly: patch.keepWeekly }),
        ...(patch.secondFolder !== undefined && { secondFolder: patch.secondFolder }),
        ...(patch.passphrase !== undefined && { passphrase: patch.passphrase }),
      }),
    'backup.create': () => backups.create('manual'),
    'backup.list': () => backups.list(),
    async 'backup.restore'({ file, passphrase }) {
      const staged = await backups.stageRestore(file, passphrase);
      const result = {
        restartRequired: true as const,
        keptBesideAs: staged.keptBesideAs,
        reconnects: staged.reconnects,
        needScan: staged.needScan,
      };
      // After the answer is on its way: the shell closes the core (and this binding) to restart it.
      setImmediate(() => ctx.hub.emit('backup.restoreStaged', result));
      return result;
    },
    'backup.move': ({ destination, passphrase }) => backups.createMoveArchive(destination, passphrase),
    'backup.inspect': ({ file, passphrase }) => backups.inspect(file, passphrase),
  };
}
