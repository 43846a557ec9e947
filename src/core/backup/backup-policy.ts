import type { WorkspaceSettings } from '../../shared/settings';
import { businessHoursNow } from '../pipeline/business-hours';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** How long without a good backup before Home warns. */
export const STALE_AFTER_MS = 48 * HOUR;

/**
 * The daily backup runs at closing time: once every shop with opening hours is closed and the last good
 * backup is from before today's work (20 h: a shop that closes later tomorrow still gets one). Without
 * opening hours, once a day.
 */
export function dailyBackupDue(
  now: number,
  lastGoodAt: number | null,
  workspaces: readonly Pick<WorkspaceSettings, 'timezone' | 'businessHours'>[],
): boolean {
  const withHours = workspaces.filter((w) => w.businessHours.enabled);
  if (withHours.length === 0) return lastGoodAt === null || now - lastGoodAt >= DAY;
  if (lastGoodAt !== null && now - lastGoodAt < 20 * HOUR) return false;
  return withHours.every((w) => !businessHoursNow(w, now).open);
}

/**
 * Which backups to keep: the newest of each of the last `daily` days that have one, and the newest of
 * each of the last `weekly` weeks (weeks start on Monday, UTC). Everything else goes.
 */
export function backupsToDelete<T extends { createdAt: number }>(
  backups: readonly T[],
  keep: { daily: number; weekly: number },
): T[] {
  const newestFirst = [...backups].sort((a, b) => b.createdAt - a.createdAt);
  const kept = new Set<T>();
  const pick = (bucketOf: (t: number) => number, count: number) => {
    const seen = new Set<number>();
    for (const backup of newestFirst) {
      const bucket = bucketOf(backup.createdAt);
      if (seen.has(bucket)) continue;
      if (seen.size >= count) break;
      seen.add(bucket);
      kept.add(backup);
    }
  };
  pick((t) => Math.floor(t / DAY), keep.daily);
  // 1970-01-01 was a Thursday: shift by 3 days so buckets start on Mondays.
  pick((t) => Math.floor((t + 3 * DAY) / (7 * DAY)), keep.weekly);
  return newestFirst.filter((backup) => !kept.has(backup));
}
