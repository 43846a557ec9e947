import { z } from 'zod';
import { userText } from './schemas';
import { isTimeZone } from './time-zone';

/**
 * Patch schemas for the settings groups the Settings screen edits as whole forms (time zone, business
 * hours, pacing), with messages a shop owner can act on. They are stricter than the stored schema
 * (settings.ts), which has to accept anything an older version wrote: the UI validates with these
 * before saving and shows each message next to its field; `workspace.updateSettings` validates with the
 * same ones, so a bad value is refused with the same words whichever way it comes.
 */

export const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type DayKey = (typeof DAY_KEYS)[number];

export const timeZoneInput = z
  .string({ error: 'Time zone must be text' })
  .trim()
  .min(1, 'Choose a time zone')
  .max(64, 'Time zone is too long')
  .refine(isTimeZone, 'Unknown time zone: choose one from the list, such as Africa/Lagos');

const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const clockTime = (label: string) =>
  z.string({ error: `${label} is required` }).regex(CLOCK_TIME, `${label} must be a time such as 08:30`);
const isClockTime = (value: unknown): value is string => typeof value === 'string' && CLOCK_TIME.test(value);

const openInterval = z
  .strictObject({ open: clockTime('Opening time'), close: clockTime('Closing time') })
  // Checked even when another field has a problem (each message shows next to its own field), but
  // only between two real times: a mistyped time has its own message.
  .refine((i) => !isClockTime(i.open) || !isClockTime(i.close) || i.open < i.close, {
    message: 'Closing time must be after opening time',
    path: ['close'],
    when: () => true,
  });

const dayHours = z
  .array(openInterval)
  .max(4, 'At most 4 opening periods a day')
  .superRefine((intervals, ctx) => {
    const sorted = intervals.map((i, index) => ({ ...i, index })).sort((a, b) => (a.open < b.open ? -1 : 1));
    if (!intervals.every((i) => isClockTime(i.open) && isClockTime(i.close))) return;
    for (let k = 1; k < sorted.length; k++) {
      if (sorted[k]!.open < sorted[k - 1]!.close) {
        ctx.addIssue({
          code: 'custom',
          message: 'Opening periods of one day must not overlap',
          path: [sorted[k]!.index, 'open'],
        });
      }
    }
  });

export const businessHoursPatch = z
  .strictObject({
    enabled: z.boolean({ error: 'Business hours on or off must be true or false' }),
    /** All seven days at once: a partial list would let a day fall back to its default hours. */
    days: z.strictObject({
      mon: dayHours,
      tue: dayHours,
      wed: dayHours,
      thu: dayHours,
      fri: dayHours,
      sat: dayHours,
      sun: dayHours,
    }),
    awayEnabled: z.boolean({ error: 'Away message on or off must be true or false' }),
    awayMessage: userText('Away message', 1000),
  })
  .partial();

const number = (label: string) => z.number({ error: `${label} must be a number` });

export const pacingPatch = z
  .strictObject({
    enabled: z.boolean(),
    perMinute: number('Replies per minute')
      .min(1, 'Replies per minute must be at least 1')
      .max(600, 'Replies per minute can be at most 600'),
    burst: number('Replies in a row')
      .int('Replies in a row must be a whole number')
      .min(1, 'Replies in a row must be at least 1')
      .max(100, 'Replies in a row can be at most 100'),
    typingMsPerChar: number('Typing time per character')
      .min(0, 'Typing time per character cannot be negative')
      .max(1000, 'Typing time per character can be at most 1000 ms'),
    minTypingMs: number('Shortest typing time')
      .int('Shortest typing time must be in whole milliseconds')
      .min(0, 'Shortest typing time cannot be negative')
      .max(60_000, 'Shortest typing time can be at most 60 seconds'),
    maxTypingMs: number('Longest typing time')
      .int('Longest typing time must be in whole milliseconds')
      .min(0, 'Longest typing time cannot be negative')
      .max(120_000, 'Longest typing time can be at most 120 seconds'),
  })
  .partial()
  .refine(
    (p) =>
      typeof p.minTypingMs !== 'number' ||
      typeof p.maxTypingMs !== 'number' ||
      p.minTypingMs <= p.maxTypingMs,
    { message: 'Longest typing time must be at least the shortest', path: ['maxTypingMs'], when: () => true },
  );
