import type { DayActivity, HomeStats } from '../../shared/contract';
import type { WorkspaceId } from '../../shared/types';
import type { Clock } from '../ids';
import { yieldIfStarved } from '../loop-yield';
import type { Store } from '../store/open-database';
import { createStatsRepository, type PeriodActivity } from '../store/repositories/stats';
import { lastLocalDays } from './local-days';

export interface HomeStatsOptions {
  store: Store;
  clock: Clock;
  /** How long a finished day's figures are reused (they change only in rare late updates). Default 10 min. */
  pastDayTtlMs?: number;
}

export type HomeStatsService = ReturnType<typeof createHomeStats>;

const DEFAULT_TTL_MS = 10 * 60_000;
const MAX_CACHED_DAYS = 5_000;

/**
 * The home screen's figures for a workspace, day by day in its time zone (local-days.ts). Today is
 * always counted afresh; a finished day is counted once and reused for a while, so the screen's live
 * refreshes (every few seconds while customers write) cost one day's range, not fourteen. A finished
 * day can still change a little (a reply that fails late, a message decided after a crash across
 * midnight): the reuse window bounds how long such a change takes to show.
 */
export function createHomeStats(options: HomeStatsOptions) {
  const repo = createStatsRepository(options.store.db);
  const ttl = options.pastDayTtlMs ?? DEFAULT_TTL_MS;
  const pastDays = new Map<string, { at: number; activity: PeriodActivity }>();

  function prune(now: number): void {
    for (const [key, entry] of pastDays) if (now - entry.at >= ttl) pastDays.delete(key);
    // A machine with many workspaces opened over weeks: keep the newest entries only.
    for (const key of pastDays.keys()) {
      if (pastDays.size <= MAX_CACHED_DAYS) break;
      pastDays.delete(key);
    }
  }

  return {
    async home(workspaceId: WorkspaceId, timeZone: string, dayCount: number): Promise<HomeStats> {
      const now = options.clock.now();
      prune(now);
      const days = lastLocalDays(now, timeZone, dayCount);
      const result: DayActivity[] = [];
      for (let i = 0; i < days.dates.length; i++) {
        const from = days.bounds[i]!;
        const to = days.bounds[i + 1]!;
        const isToday = i === days.dates.length - 1;
        const key = `${workspaceId}\u0000${from}\u0000${to}`;
        let activity = isToday ? undefined : pastDays.get(key)?.activity;
        if (activity === undefined) {
          // Each day is a few milliseconds of synchronous SQLite: let the pipeline's I/O run in between.
          await yieldIfStarved();
          activity = await repo.activity(workspaceId, from, to);
          if (!isToday) pastDays.set(key, { at: now, activity });
        }
        result.push(dayOf(days.dates[i]!, from, activity));
      }
      const waiting = await repo.waitingHandoffs(workspaceId);
      return {
        timeZone: days.timeZone,
        days: result,
        today: result.at(-1)!,
        handoffsWaiting: { chats: waiting.chats, oldestSince: waiting.oldestSince },
        generatedAt: now,
      };
    },
  };
}

function dayOf(date: string, start: number, a: PeriodActivity): DayActivity {
  const needingAnswer = a.botAnswered + a.handoffs + a.unanswered;
  return {
    date,
    start,
    ...a,
    needingAnswer,
    answerRate: needingAnswer === 0 ? null : a.botAnswered / needingAnswer,
  };
}
