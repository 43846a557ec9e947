import type { LogLevel } from '../../shared/types';
import type { Clock } from '../ids';
import type { LogSink } from '../log/log-types';
import { createLogger } from '../log/logger';
import { createRetentionTask, createSqliteEventSink } from '../log/sqlite-event-sink';
import type { Store } from '../store/open-database';
import { createEventLogRepository, type EventLogRepository } from '../store/repositories/event-log';
import type { Logger } from '../log/logger';
import { routeLibraryConsole } from '../whatsapp/baileys/library-console';

/**
 * The logger, writing to the database's event log and the shell's sinks, and the WhatsApp library's
 * console routed into it: libsignal prints whole Signal sessions (private keys included) with console.*.
 */
export function createCoreLogging(options: {
  store: Store;
  clock: Clock;
  sinks?: LogSink[] | undefined;
  minLogLevel?: LogLevel | undefined;
}) {
  const { store, clock } = options;
  const sqliteSink = createSqliteEventSink({ store, now: () => clock.now() });
  const logger = createLogger({
    sinks: [sqliteSink, ...(options.sinks ?? [])],
    now: () => clock.now(),
    ...(options.minLogLevel !== undefined && { minLevel: options.minLogLevel }),
  });
  const events = createEventLogRepository(store);
  const restoreConsole = routeLibraryConsole(logger.child({ meta: { component: 'whatsapp' } }));
  return { logger, events, restoreConsole };
}

export interface RetentionOptions {
  maxAgeDays?: number;
  maxRows?: number;
  /**
   * Events an enrolled workspace has not pushed yet survive age and maxRows; past this many rows in
   * all, the oldest go anyway (logged). Default 1.5 x maxRows.
   */
  hardMaxRows?: number;
}

/** The event log's retention, started: old rows go, but nothing an enrolled workspace has not pushed, up to a hard cap. */
export function startRetention(deps: {
  events: EventLogRepository;
  logger: Logger;
  clock: Clock;
  retention: RetentionOptions | undefined;
  backlogDropped: (workspaceIds: readonly string[]) => void;
}) {
  const maxRows = deps.retention?.maxRows ?? 2_000_000;
  const retention = createRetentionTask({
    repo: deps.events,
    logger: deps.logger,
    maxAgeMs: (deps.retention?.maxAgeDays ?? 90) * 24 * 60 * 60 * 1000,
    maxRows,
    keepUnsynced: {
      hardMaxRows: deps.retention?.hardMaxRows ?? Math.round(maxRows * 1.5),
      onForced: (forced) => deps.backlogDropped(forced.map((f) => f.workspaceId)),
    },
    now: () => deps.clock.now(),
  });
  retention.start();
  return retention;
}
