import type { WorkspaceSettings } from '../../shared/settings';
import { wallClockAt, zoneFormatter } from '../../shared/time-zone';

/**
 * Whether the shop is open at an instant, in the workspace's time zone. When closed, `period` names
 * the closed period (the local date and time it began, e.g. '2026-11-20T18:00'), so "the away message
 * at most once per contact per closed period" is a comparison of two strings.
 */
export type OpenOrClosed = { open: true } | { open: false; period: string };

type Hours = WorkspaceSettings['businessHours'];
type Interval = Hours['days']['mon'][number];
const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_MS = 86_400_000;

interface LocalTime {
  weekday: number;
  minutes: number;
  /** Midnight of the local date, as if that date were UTC: only used for date arithmetic. */
  dayUtc: number;
}

function localTime(f: Intl.DateTimeFormat, now: number): LocalTime {
  const c = wallClockAt(f, now);
  return {
    weekday: c.weekday,
    minutes: c.hour * 60 + c.minute,
    dayUtc: Date.UTC(c.year, c.month - 1, c.day),
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
  const f = zoneFormatter(settings.timezone);
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
