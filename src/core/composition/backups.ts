import type { ConnectionManager } from '../connection/connection-manager';
import { createBackupScheduler } from '../backup/backup-scheduler';
import { createBackupService } from '../backup/backup-service';
import type { StagedRestore } from '../backup/restore-staging';
import type { Clock } from '../ids';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import type { Store } from '../store/open-database';
import { createNumberDirectory } from '../store/repositories/phone-numbers';
import { realTimers, type Timers } from '../timers';
import type { WorkspaceService } from '../workspace/workspace-service';

export interface BackupOptions {
  /** How often closing time is checked for (default 5 min). */
  checkEveryMs?: number;
  /** The timer (tests). */
  timers?: Timers;
}

/**
 * Encrypted, verified backups (daily at closing time, at quit, on demand), restore and moving away.
 * Moved to another computer, this install stops its numbers for good: two PCs on one session fight.
 */
export function createBackupParts(deps: {
  dataDir: string;
  store: Store;
  secrets: SecretBox;
  logger: Logger;
  clock: Clock;
  workspaces: WorkspaceService;
  connections: ConnectionManager;
  restored: StagedRestore | undefined;
  options: BackupOptions | undefined;
}) {
  const { store, logger, workspaces, connections, restored, options } = deps;
  const backups = createBackupService({
    dataDir: deps.dataDir,
    store,
    secrets: deps.secrets,
    logger,
    now: () => deps.clock.now(),
  });
  const backupSchedule = createBackupScheduler({
    backups,
    workspaceSettings: async () => (await workspaces.list()).map((w) => w.settings),
    timers: options?.timers ?? realTimers,
    logger,
    ...(options?.checkEveryMs !== undefined && { checkEveryMs: options.checkEveryMs }),
  });
  if (restored !== undefined) {
    logger.warn('backup.restored', 'A backup was put in place; the data it replaced is kept beside it', {
      archive: restored.archive,
      keptBesideAs: restored.keptBesideAs,
      needScan: restored.needScan,
    });
  }
  const movedAway = () => backups.status().movedAway !== undefined;
  /** Every number off, and shown as off: this install was moved to another computer. */
  const retireNumbers = async (running: boolean) => {
    for (const number of await createNumberDirectory(store.db).listAll()) {
      if (running) await connections.stop(number.workspaceId, number.e164, 'moved').catch(() => undefined);
      await workspaces
        .setNumberStatus(number.workspaceId, number.id, 'disabled', 'moved to another computer')
        .catch(() => undefined);
    }
  };
  const offMoved = backups.subscribe({
    changed: () => {
      if (movedAway()) void retireNumbers(true);
    },
  });
  return { backups, backupSchedule, movedAway, retireNumbers, offMoved };
}
