import type { SettingsPatchInput } from '../../../shared/contract';
import type { WorkspaceSettings } from '../../../shared/settings';
import { DAY_KEYS, type DayKey } from '../../../shared/settings-patch';
import { parseNumberInput } from '../number-input';

/**
 * The Settings screen's drafts for opening hours and reply pacing, and their way to and from the
 * stored settings. Numbers are kept as typed (strings) so a half-typed value is the owner's to fix, with
 * the schema's message next to the field, rather than silently becoming 0.
 */

export interface Interval {
  open: string;
  close: string;
}

export interface HoursDraft {
  enabled: boolean;
  timezone: string;
  days: Record<DayKey, Interval[]>;
  awayEnabled: boolean;
  awayMessage: string;
}

export interface PacingDraft {
  enabled: boolean;
  perMinute: string;
  burst: string;
  /** Seconds, as the owner thinks of them (stored in milliseconds). */
  minTypingSeconds: string;
  maxTypingSeconds: string;
  typingMsPerChar: string;
}

export const DAY_NAMES: Record<DayKey, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/**
 * A time field shows midnight as 00:00, but a day that closes at midnight is stored as 24:00 (an
 * interval must close after it opens): translated both ways here.
 */
const showClose = (close: string) => (close === '24:00' ? '00:00' : close);
const storeClose = (close: string) => (close === '00:00' ? '24:00' : close);

export function hoursDraftOf(settings: WorkspaceSettings): HoursDraft {
  const hours = settings.businessHours;
  const days = {} as Record<DayKey, Interval[]>;
  for (const day of DAY_KEYS)
    days[day] = hours.days[day].map((i) => ({ open: i.open, close: showClose(i.close) }));
  return {
    enabled: hours.enabled,
    timezone: settings.timezone,
    days,
    awayEnabled: hours.awayEnabled,
    awayMessage: hours.awayMessage,
  };
}

export function hoursPatch(draft: HoursDraft): Pick<SettingsPatchInput, 'timezone' | 'businessHours'> {
  const days = {} as Record<DayKey, Interval[]>;
  for (const day of DAY_KEYS)
    days[day] = draft.days[day].map((i) => ({ open: i.open, close: storeClose(i.close) }));
  return {
    timezone: draft.timezone,
    businessHours: {
      enabled: draft.enabled,
      days,
      awayEnabled: draft.awayEnabled,
      awayMessage: draft.awayMessage,
    },
  };
}

const seconds = (ms: number) => String(Math.round(ms / 100) / 10);

export function pacingDraftOf(settings: WorkspaceSettings): PacingDraft {
  const p = settings.pacing;
  return {
    enabled: p.enabled,
    perMinute: String(p.perMinute),
    burst: String(p.burst),
    minTypingSeconds: seconds(p.minTypingMs),
    maxTypingSeconds: seconds(p.maxTypingMs),
    typingMsPerChar: String(p.typingMsPerChar),
  };
}

export function pacingPatch(draft: PacingDraft): Pick<SettingsPatchInput, 'pacing'> {
  return {
    pacing: {
      enabled: draft.enabled,
      perMinute: parseNumberInput(draft.perMinute),
      burst: parseNumberInput(draft.burst),
      typingMsPerChar: parseNumberInput(draft.typingMsPerChar),
      minTypingMs: Math.round(parseNumberInput(draft.minTypingSeconds) * 1000),
      maxTypingMs: Math.round(parseNumberInput(draft.maxTypingSeconds) * 1000),
    },
  };
}

/** How long "typing…" shows for a reply of `length` characters (before the random spread). */
export function typingSeconds(draft: PacingDraft, length: number): number | null {
  const min = parseNumberInput(draft.minTypingSeconds);
  const max = parseNumberInput(draft.maxTypingSeconds);
  const perChar = parseNumberInput(draft.typingMsPerChar);
  if (![min, max, perChar].every(Number.isFinite)) return null;
  return Math.min(max, Math.max(min, (length * perChar) / 1000));
}

/** Field errors by the path of the value they are about, e.g. 'pacing.perMinute'. */
export type FieldErrors = Readonly<Record<string, string>>;

export function fieldErrorsOf(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldErrors {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    errors[key] ??= issue.message;
  }
  return errors;
}

/** The time zones to offer: every one Intl knows, by region, with UTC. */
export function timeZoneGroups(): { region: string; zones: string[] }[] {
  const zones = Intl.supportedValuesOf('timeZone');
  const groups = new Map<string, string[]>();
  for (const zone of zones) {
    const region = zone.includes('/') ? zone.slice(0, zone.indexOf('/')) : 'Other';
    let list = groups.get(region);
    if (list === undefined) groups.set(region, (list = []));
    list.push(zone);
  }
  const other = groups.get('Other') ?? [];
  if (!zones.includes('UTC')) other.push('UTC');
  groups.set('Other', other);
  return [...groups.entries()].map(([region, list]) => ({ region, zones: list.sort() }));
}
