/**
 * The one place that reads a wall clock in an IANA time zone. Every caller decides what an unknown zone
 * means for it (business hours: open; daily figures and files: UTC; reply text: no hours), so the
 * formatter answers null for one instead of throwing.
 */

/** Intl formatters cost ~50 µs to build and little to reuse; null marks a zone Intl does not know. */
const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** A formatter of every wall-clock field in `timeZone` (24-hour), or null when Intl does not know it. */
export function zoneFormatter(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        weekday: 'short',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      f = null;
    }
    formatters.set(timeZone, f);
  }
  return f;
}

export interface WallClock {
  /** 0 for Sunday to 6 for Saturday. */
  weekday: number;
  year: number;
  /** 1 to 12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** What a clock on the wall in the formatter's zone shows at `t`. */
export function wallClockAt(f: Intl.DateTimeFormat, t: number): WallClock {
  const c: WallClock = { weekday: 0, year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of f.formatToParts(t)) {
    if (part.type === 'weekday') c.weekday = WEEKDAYS[part.value] ?? 0;
    else if (part.type in c) c[part.type as keyof WallClock] = Number(part.value);
  }
  return c;
}

/**
 * Whether Intl knows an IANA time zone name. Not cached: names typed by a person would grow the cache
 * without bound.
 */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
