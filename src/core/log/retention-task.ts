import type { EventLogRepository, ForcedDeletion } from '../store/repositories/event-log';
import { NOISE_EVENT_TYPES } from './log-types';
import type { Logger } from './logger';

export interface RetentionTaskOptions {
  repo: Pick<EventLogRepository, 'enforceRetention'> &
    Partial<Pick<EventLogRepository, 'enforceRetentionKeepingUnsynced'>>;
  logger: Logger;
  maxAgeMs?: number;
  maxRows?: number;
  /**
   * Keep events that enrolled workspaces have not pushed to their central server yet, up to this many
   * rows in the table; past it the oldest go anyway, logged as `sync.backlog_dropped` per workspace.
   */
  keepUnsynced?: { hardMaxRows: number; onForced?: (forced: ForcedDeletion[]) => void };
  /** Deleted first over maxRows (default NOISE_EVENT_TYPES): noise never evicts business events. */
  noiseTypes?: readonly string[];
  /** Noise is kept this long at most (default 7 days), however young the shop's own history. */
  noiseMaxAgeMs?: number;
  /** How often to run; default hourly. */
  intervalMs?: number;
  now?: () => number;
}

export interface RetentionTask {
  /** Runs once now, then every interval. */
  start(): void;
  stop(): void;
  /** One pass; resolves to the number of events deleted (0 if a pass is already running or it failed). */
  runOnce(): Promise<number>;
}

/** Keeps the events table bounded by age and row count. The run itself is logged as 'log.retention'. */
export function createRetentionTask(options: RetentionTaskOptions): RetentionTask {
  const intervalMs = Math.max(1000, options.intervalMs ?? 60 * 60 * 1000);
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  const pass = (): Promise<number> => retentionPass(options, now);

  const runOnce = (): Promise<number> => {
    if (running !== null) return Promise.resolve(0);
    running = pass().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    start() {
      if (timer !== null) return;
      void runOnce();
      timer = setInterval(() => void runOnce(), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
    runOnce,
  };
}

/** One pass: deletes what the policy allows and logs what it did; never rejects. */
async function retentionPass(options: RetentionTaskOptions, now: () => number): Promise<number> {
  const { repo, logger } = options;
  const startedAt = performance.now();
  try {
    const policy = {
      maxAgeMs: options.maxAgeMs,
      maxRows: options.maxRows,
      now: now(),
      noiseTypes: options.noiseTypes ?? NOISE_EVENT_TYPES,
      noiseMaxAgeMs: options.noiseMaxAgeMs ?? 7 * 24 * 60 * 60 * 1000,
    };
    const guard = options.keepUnsynced;
    let deleted: number;
    let forced: ForcedDeletion[] = [];
    if (guard !== undefined && repo.enforceRetentionKeepingUnsynced !== undefined) {
      ({ deleted, forced } = await repo.enforceRetentionKeepingUnsynced({
        ...policy,
        hardMaxRows: guard.hardMaxRows,
      }));
    } else {
      deleted = await repo.enforceRetention(policy);
    }
    for (const f of forced) {
      logger
        .child({ workspaceId: f.workspaceId === '' ? null : f.workspaceId })
        .warn(
          'sync.backlog_dropped',
          `${f.count} log events were deleted before the central server received them: the log reached ` +
            `its limit of ${guard?.hardMaxRows ?? 0} rows while the server could not be reached`,
          { count: f.count, throughSeq: f.throughSeq, hardMaxRows: guard?.hardMaxRows ?? null },
        );
    }
    if (forced.length > 0) guard?.onForced?.(forced);
    const meta = {
      deleted,
      maxAgeMs: options.maxAgeMs ?? null,
      maxRows: options.maxRows ?? null,
      ...(guard !== undefined && {
        hardMaxRows: guard.hardMaxRows,
        forced: forced.reduce((sum, f) => sum + f.count, 0),
      }),
      durationMs: Math.round(performance.now() - startedAt),
    };
    logger.log(
      deleted > 0 ? 'info' : 'debug',
      'log.retention',
      `Retention removed ${deleted} old log events`,
      meta,
    );
    return deleted;
  } catch (error) {
    logger.error('log.retention', 'Removing old log events failed; will try again at the next interval', {
      error,
    });
    return 0;
  }
}
