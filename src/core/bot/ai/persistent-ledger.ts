import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import { createAiSpendRepository } from '../../store/repositories/ai-spend';
import type { Database } from '../../store/schema';
import { createBudgetLedger, periodKeysIn, type BudgetLedger, type BudgetPeriod } from './cost';

export interface PersistentBudgetLedger extends BudgetLedger {
  /** Reads the current days' and months' totals: call once before the first message. */
  load(): Promise<void>;
  /** Resolves once every recorded spend is on disk. */
  flush(): Promise<void>;
  /** The workspace's spend in dollars this day and month, and its number of AI calls (for Settings). */
  summary(
    workspaceId: WorkspaceId,
  ): Promise<{ dayUsd: number; monthUsd: number; dayCalls: number; monthCalls: number }>;
}

/** Longest a zone's date is behind or ahead of UTC's, and then some: rows this recent may be "today". */
const LOAD_WINDOW_MS = 36 * 3_600_000;

/**
 * The in-memory ledger (cost.ts) for the hot path (the orchestrator asks it synchronously), written
 * through to `ai_spend`, so a restart does not hand a workspace a fresh budget. Days and months are
 * counted in each workspace's time zone (`setTimeZone`; `timeZone` until then, default Africa/Lagos).
 */
export function createPersistentBudgetLedger(options: {
  db: Kysely<Database>;
  now: () => number;
  timeZone?: string;
  logger?: Logger;
}): PersistentBudgetLedger {
  const spend = createAiSpendRepository(options.db);
  const zones = new Map<string, string>();
  const defaultZone = options.timeZone ?? 'Africa/Lagos';
  let writes: Promise<void> = Promise.resolve();

  function write(task: () => Promise<unknown>): void {
    writes = writes
      .then(task)
      .then(() => undefined)
      .catch((error: unknown) => {
        options.logger?.error(
          'ai.spend_write_failed',
          'Could not save AI spending; budgets may reset at restart',
          { error },
        );
      });
  }

  const upsert = (
    workspaceId: string,
    period: BudgetPeriod,
    key: string,
    nano: number,
    noticed: boolean | null,
  ) => spend.add(workspaceId, period, key, nano, noticed, options.now());

  const memory = createBudgetLedger({
    now: options.now,
    timeZone: defaultZone,
    onRecord: (workspaceId, keys, nano) =>
      write(async () => {
        await upsert(workspaceId, 'day', keys.day, nano, null);
        await upsert(workspaceId, 'month', keys.month, nano, null);
      }),
    onNotice: (workspaceId, period, key, noticed) =>
      write(() => upsert(workspaceId, period, key, 0, noticed)),
  });
  const keysOf = (workspaceId: string) => periodKeysIn(zones.get(workspaceId) ?? defaultZone)(options.now());

  return {
    ...memory,
    setTimeZone(workspaceId, timeZone) {
      zones.set(workspaceId, timeZone);
      memory.setTimeZone(workspaceId, timeZone);
    },

    async load() {
      // The zones are not known yet: every day and month key some zone may be in now.
      const since = periodKeysIn('UTC')(options.now() - LOAD_WINDOW_MS);
      for (const row of await spend.since(since)) {
        memory.seed(row.workspaceId, row.period, row.periodKey, row.nanoUsd, row.noticed);
      }
    },

    flush: () => writes,

    async summary(workspaceId) {
      await writes;
      const keys = keysOf(workspaceId);
      const { day, month } = await spend.totals(workspaceId, keys);
      return {
        dayUsd: (day?.nanoUsd ?? 0) / 1e9,
        monthUsd: (month?.nanoUsd ?? 0) / 1e9,
        dayCalls: day?.calls ?? 0,
        monthCalls: month?.calls ?? 0,
      };
    },
  };
}
