import { isTimeZone } from '../../../shared/time-zone';
import type { LogLevel } from '../../../shared/types';

/** A level in the owner's words (the filter says "technical notes" for debug too). */
export const LEVEL_WORDS: Record<LogLevel, string> = {
  debug: 'Technical',
  info: 'Info',
  warn: 'Warning',
  error: 'Problem',
};

export interface LogTimes {
  /** Today: 14:05:09; another day: 3 Nov, 14:05. */
  short(ts: number, now: number): string;
  /** Saturday, 5 December 2026 at 21:50:12 (WAT). */
  full(ts: number): string;
}

/**
 * The log's times in the workspace's time zone, as the export writes them, whatever zone the computer
 * or browser showing them is set to. An unknown zone (an old setting) falls back to the computer's.
 */
export function logTimes(timeZone: string): LogTimes {
  const zone = isTimeZone(timeZone) ? timeZone : undefined;
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: zone, dateStyle: 'short' });
  const time = new Intl.DateTimeFormat(undefined, {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const dayTime = new Intl.DateTimeFormat(undefined, {
    timeZone: zone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  const full = new Intl.DateTimeFormat(undefined, {
    timeZone: zone,
    dateStyle: 'full',
    timeStyle: 'long',
  });
  return {
    short: (ts, now) => (day.format(ts) === day.format(now) ? time.format(ts) : dayTime.format(ts)),
    full: (ts) => full.format(ts),
  };
}
