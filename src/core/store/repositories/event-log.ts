import type { Store } from '../open-database';
import { createBatchWriter } from './event-log-writer';
import { eventLogReads } from './event-log-reads';
import { eventLogRetention } from './event-log-retention';
import type { NewEvent } from './event-log-types';

export * from './event-log-types';

export type EventLogRepository = ReturnType<typeof createEventLogRepository>;

/**
 * The machine's one event log: appends on the log's hot path (event-log-writer.ts), filtered pages and
 * tails (event-log-reads.ts), and retention that keeps what central servers still need
 * (event-log-retention.ts).
 */
export function createEventLogRepository(store: Store) {
  const writer = createBatchWriter();
  return {
    /**
     * Appends rows in one transaction, in order. The log's hot path: kysely would compile every insert
     * anew (toolchain.md: ~70% of raw speed at best), so this runs cached multi-row statements on the
     * raw connection while holding kysely's connection lock.
     */
    appendBatch(rows: readonly NewEvent[]): Promise<void> {
      if (rows.length === 0) return Promise.resolve();
      return store.exclusive((sqlite) => writer.write(sqlite, rows));
    },

    ...eventLogReads(store.db),
    ...eventLogRetention(store.db),
  };
}
