import type { WorkspaceSettings } from '../../shared/settings';

/**
 * Whether the shop is open at an instant, in the workspace's time zone. When closed, `period` names
 * the closed period (the local date and time it began, e.g. '2026-11-20T18:00'), so "the away message
 * at most once per contact per closed period" is a comparison of two strings.
 */
export type OpenOrClosed = { open: true } | { open: false; period: string };

type Hours = WorkspaceSettings['businessHours'];
type Interval = Hours['days']['mon'][number];
const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const DAY_MS = 86_400_000;

/** Intl formatters are costly to build (~50 µs) and cheap to reuse; null marks an unknown zone. */
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
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
      });
    } catch {
      f = null;
    }
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalTime {
  weekday: number;
  minutes: number;
  /** Midnight of the local date, as if that date were UTC: only used for date arithmetic. */
  dayUtc: number;
}

function localTime(f: Intl.DateTimeFormat, now: number): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(now)) parts[p.type] = p.value;
  return {
    weekday: WEEKDAYS[parts.weekday ?? 'Sun'] ?? 0,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    dayUtc: Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)),
  };
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The shop at `now` by its business hours: open, or closed and in which closed period (the away
 * message goes once per period). Hours off, or an unknown time zone, count as open.
 */
export function businessHoursNow(
  settings: Pick<WorkspaceSettings, 'timezone' | 'businessHours'>,
  now: number,
): OpenOrClosed {
  const hours = settings.businessHours;
  if (!hours.enabled) return { open: true };
  // An unknown zone must not make the shop look closed to every customer: treat it as open.
  const f = formatterFor(settings.timezone);
  if (f === null) return { open: true };
  const local = localTime(f, now);
  const today: readonly Interval[] = hours.days[DAY_KEYS[local.weekday]!];
  if (today.some((i) => local.minutes >= toMinutes(i.open) && local.minutes < toMinutes(i.close))) {
    return { open: true };
  }
  // Closed: the period began at the latest closing time before now, today or up to a week back.
  for (let back = 0; back <= 7; back++) {
    const day: readonly Interval[] = hours.days[DAY_KEYS[(local.weekday - back + 7) % 7]!];
    const closes = day.map((i) => toMinutes(i.close)).filter((close) => back > 0 || close <= local.minutes);
    if (closes.length === 0) continue;
    const close = Math.max(...closes);
    const date = new Date(local.dayUtc - back * DAY_MS).toISOString().slice(0, 10);
    const hh = String(Math.floor(close / 60)).padStart(2, '0');
    const mm = String(close % 60).padStart(2, '0');
    return { open: false, period: `${date}T${hh}:${mm}` };
  }
  // No opening hours at all: one long closed period.
  return { open: false, period: 'never-open' };
}
