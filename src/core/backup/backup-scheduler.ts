import type { WorkspaceSettings } from '../../shared/settings';
import type { Logger } from '../log/logger';
import type { TimerHandle, Timers } from '../timers';
import { dailyBackupDue } from './backup-policy';
import type { BackupService } from './backup-service';

const HOUR = 60 * 60 * 1000;

export interface BackupScheduler {
  start(): void;
  stop(): void;
  /** Run one check now (tests; the timer calls it every `checkEveryMs`). */
  check(): Promise<void>;
  /** At quit: a backup unless a good one is less than an hour old. */
  backupOnQuit(): Promise<void>;
}

/** Daily backups at closing time (see dailyBackupDue), checked every few minutes. */
export function createBackupScheduler(options: {
  backups: BackupService;
  workspaceSettings: () => Promise<Pick<WorkspaceSettings, 'timezone' | 'businessHours'>[]>;
  timers: Timers;
  logger: Logger;
  checkEveryMs?: number;
}): BackupScheduler {
  const { backups, timers, logger } = options;
  const every = options.checkEveryMs ?? 5 * 60 * 1000;
  let handle: TimerHandle | undefined;
  let stopped = true;

  const idle = () => {
    const status = backups.status();
    return status.running === null && status.movedAway === undefined ? status : undefined;
  };
  const run = async (reason: string) => {
    try {
      await backups.create(reason);
    } catch (error) {
      logger.error('backup.failed', `The ${reason} backup failed`, { error });
    }
  };
  const check = async () => {
    const status = idle();
    if (status === undefined) return;
    if (dailyBackupDue(timers.now(), status.lastGoodAt, await options.workspaceSettings()))
      await run('daily');
  };
  const schedule = () => {
    if (stopped) return;
    handle = timers.setTimeout(() => {
      void check().finally(schedule);
    }, every);
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    stop() {
      stopped = true;
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = undefined;
    },
    check,
    async backupOnQuit() {
      const status = idle();
      if (status === undefined) return;
      if (status.lastGoodAt !== null && timers.now() - status.lastGoodAt < HOUR) return;
      await run('quit');
    },
  };
}
