import { wallClockAt, zoneFormatter } from '../../shared/time-zone';

/**
 * Calendar days in a workspace's time zone, as UTC instants. A "day" of the home statistics runs from
 * local midnight to the next local midnight in the workspace's IANA zone (settings.timezone), so a day
 * is 23 or 25 hours long across a daylight-saving change, and where a zone skips midnight itself (e.g.
 * America/Santiago in September) the day starts at the first instant that exists (01:00).
 */

export interface LocalDays {
  /** The zone the days were counted in (UTC when the configured one is unknown). */
  timeZone: string;
  /** Local dates, oldest first, 'YYYY-MM-DD'; the last one is today. */
  dates: string[];
  /** dates.length + 1 instants: day i is [bounds[i], bounds[i + 1]). The last is tomorrow's start. */
  bounds: number[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The local wall-clock time at `t`, read as if it were UTC (so local dates compare as numbers). */
function wallClock(f: Intl.DateTimeFormat, t: number): number {
  const c = wallClockAt(f, t);
  return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
}

const dayOf = (wall: number): number => Math.floor(wall / DAY) * DAY;

/** The first instant whose local date is `date` (midnight as if UTC). */
function startOfLocalDate(f: Intl.DateTimeFormat, date: number): number {
  // Fast path: local midnight is date minus the zone's offset there (two passes settle a DST change).
  let t = date - (wallClock(f, date) - date);
  t = date - (wallClock(f, t) - t);
  const isStart = (x: number) => dayOf(wallClock(f, x)) === date && dayOf(wallClock(f, x - MINUTE)) < date;
  if (isStart(t)) return t;
  // Midnight does not exist that day (a DST jump at 00:00), or the zone is odd: search by the minute.
  // Offsets lie within -12 h and +14 h, so the start is within this window.
  let low = Math.floor((date - 15 * 3_600_000) / MINUTE);
  let high = Math.ceil((date + 15 * 3_600_000) / MINUTE);
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (dayOf(wallClock(f, mid * MINUTE)) >= date) high = mid;
    else low = mid + 1;
  }
  return low * MINUTE;
}

/** 'YYYY-MM-DD HH:MM:SS' at `t` in `timeZone` (UTC when the zone is unknown): for files people read. */
export function localDateTime(t: number, timeZone: string): string {
  const f = zoneFormatter(timeZone) ?? zoneFormatter('UTC')!;
  return new Date(Math.floor(wallClock(f, t) / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The last `count` local days up to and including today, in `timeZone`. */
export function lastLocalDays(now: number, timeZone: string, count: number): LocalDays {
  let zone = timeZone;
  let f = zoneFormatter(zone);
  if (f === null) {
    zone = 'UTC';
    f = zoneFormatter(zone)!;
  }
  const today = dayOf(wallClock(f, now));
  const dates: string[] = [];
  const bounds: number[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const date = today - i * DAY;
    dates.push(new Date(date).toISOString().slice(0, 10));
    bounds.push(startOfLocalDate(f, date));
  }
  bounds.push(startOfLocalDate(f, today + DAY));
  return { timeZone: zone, dates, bounds };
}
