import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLevel } from '../shared/types';
import { createId, systemClock, type Clock, type IdGenerator } from './ids';
import type { LogSink } from './log/log-types';
import { createLogger, type Logger } from './log/logger';
import { createRetentionTask, createSqliteEventSink } from './log/sqlite-event-sink';
import { backupDatabase, type BackupProgress, type BackupResult } from './store/backup';
import { openDatabase, type Store } from './store/open-database';
import { createEventLogRepository, type EventLogRepository } from './store/repositories/event-log';
import { createWorkspaceService, type WorkspaceService } from './workspace/workspace-service';

export interface SwitchboardOptions {
  /** Folder for the database (and the file log, when the shell writes one there). */
  dataDir: string;
  /** Extra sinks from the shell: electron-log in the desktop app, a JSON-lines file headless. */
  sinks?: LogSink[];
  minLogLevel?: LogLevel;
  retention?: { maxAgeDays?: number; maxRows?: number };
  durability?: 'full' | 'normal';
  clock?: Clock;
  newId?: IdGenerator;
}

export interface Switchboard {
  readonly store: Store;
  readonly logger: Logger;
  readonly workspaces: WorkspaceService;
  readonly events: EventLogRepository;
  backup(destination: string, onProgress?: (progress: BackupProgress) => void): Promise<BackupResult>;
  /** Flushes the log and closes the database; safe to call twice. */
  close(): Promise<void>;
}

export const DATABASE_FILE = 'switchboard.db';

/**
 * The core's composition root: every shell (desktop, headless, tests) builds the core through here,
 * so they all run the same wiring. Later issues add the connection manager, pipeline and bot.
 */
export async function createSwitchboard(options: SwitchboardOptions): Promise<Switchboard> {
  mkdirSync(options.dataDir, { recursive: true });
  const clock = options.clock ?? systemClock;
  const store = await openDatabase({
    path: join(options.dataDir, DATABASE_FILE),
    ...(options.durability !== undefined && { durability: options.durability }),
  });
  const sqliteSink = createSqliteEventSink({ store, now: () => clock.now() });
  const logger = createLogger({
    sinks: [sqliteSink, ...(options.sinks ?? [])],
    now: () => clock.now(),
    ...(options.minLogLevel !== undefined && { minLevel: options.minLogLevel }),
  });
  const events = createEventLogRepository(store);
  const retention = createRetentionTask({
    repo: events,
    logger,
    maxAgeMs: (options.retention?.maxAgeDays ?? 90) * 24 * 60 * 60 * 1000,
    maxRows: options.retention?.maxRows ?? 2_000_000,
    now: () => clock.now(),
  });
  retention.start();
  logger.info('store.opened', `Database opened at schema ${store.schemaVersion}`, {
    path: store.path,
    schema: store.schemaVersion,
  });

  const workspaces = createWorkspaceService({ store, logger, clock, newId: options.newId ?? createId });
  let closed = false;

  return {
    store,
    logger,
    workspaces,
    events,
    async backup(destination, onProgress) {
      const result = await backupDatabase(store, destination, onProgress === undefined ? {} : { onProgress });
      logger.info('store.backup', `Backup written to ${destination}`, { ...result });
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      retention.stop();
      await logger.close();
      await store.close();
    },
  };
}
