import { numberOf } from './money-input';

/**
 * Sizes and durations as an owner types them, read the way amounts of money are (money-input.ts):
 * "64", "1,000", "1.5 GB", "500 MB", "30 days", "2 years". Anything else is refused with words, and
 * nothing typed is ever read as 0 or as "no limit": a typo must not remove a cap.
 */

const MB_PER: Readonly<Record<string, number>> = {
  kb: 1 / 1024,
  mb: 1,
  m: 1,
  gb: 1024,
  g: 1024,
  tb: 1024 * 1024,
};
const DAYS_PER: Readonly<Record<string, number>> = { day: 1, week: 7, month: 30, year: 365 };

function split(text: string): { number: string; unit: string } | null {
  const match = /^([\d.,\s\u00a0\u202f']*\d[\d.,]*)\s*([a-z]*)$/iu.exec(text.trim());
  return match === null ? null : { number: match[1]!, unit: match[2]!.toLowerCase() };
}

function read(text: string, what: string): { value: number; unit: string } | string {
  const trimmed = text.trim();
  if (trimmed === '') return `is empty: write ${what}`;
  if (trimmed.startsWith('-')) return 'cannot be negative';
  const parts = split(trimmed);
  if (parts === null) return `"${trimmed.slice(0, 20)}" is not a number: write ${what}`;
  const value = numberOf(parts.number);
  if (value === null) return `"${parts.number.trim().slice(0, 20)}" is not a number: write ${what}`;
  return { value, unit: parts.unit };
}

/**
 * Megabytes, rounded to a whole one. A number without a unit is in `unit` (what the field's label
 * says), so "4" beside "GB" is 4,096 MB.
 */
export function parseMegabytes(text: string, unit: 'MB' | 'GB'): number | string {
  const typed = read(text, 'a size, e.g. 64 MB or 4 GB');
  if (typeof typed === 'string') return typed;
  const per = MB_PER[typed.unit === '' ? unit.toLowerCase() : typed.unit];
  if (per === undefined) return `"${text.trim().slice(0, 20)}" is not a size: write e.g. 64 MB or 4 GB`;
  return Math.round(typed.value * per);
}

/** Whole days; weeks, months (30 days) and years (365) are turned into days. */
export function parseDays(text: string): number | string {
  const typed = read(text, 'a number of days, e.g. 365');
  if (typeof typed === 'string') return typed;
  const per = typed.unit === '' ? 1 : DAYS_PER[typed.unit.replace(/s$/, '')];
  if (per === undefined) return `"${text.trim().slice(0, 20)}" is not a length of time: write e.g. 365 days`;
  const days = typed.value * per;
  if (!Number.isInteger(days)) return 'must be whole days';
  return days;
}
