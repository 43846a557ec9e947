import { describe, expect, it } from 'vitest';
import { settingsPatchInput } from './contract';
import { workspaceSettingsSchema } from './settings';

const week = (hours: { open: string; close: string }[]) => ({
  mon: hours,
  tue: hours,
  wed: hours,
  thu: hours,
  fri: hours,
  sat: [],
  sun: [],
});

/** Each problem as "path: message", the way the Settings screen places it next to its field. */
function problems(input: unknown): string[] {
  const result = settingsPatchInput.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('settings patch: time zone, business hours, pacing', () => {
  it('accepts what the Settings screen sends, and the result is valid stored settings', () => {
    const patch = {
      timezone: 'Africa/Lagos',
      businessHours: {
        enabled: true,
        days: week([
          { open: '08:00', close: '13:00' },
          { open: '14:00', close: '24:00' },
        ]),
        awayMessage: ' We are closed now. ',
      },
      pacing: {
        enabled: true,
        perMinute: 10,
        burst: 3,
        typingMsPerChar: 25,
        minTypingMs: 1000,
        maxTypingMs: 6000,
      },
    };
    const parsed = settingsPatchInput.parse(patch);
    expect(parsed.businessHours?.awayMessage).toBe('We are closed now.');
    expect(workspaceSettingsSchema.safeParse(parsed).success).toBe(true);
  });

  it('names the field of each problem, in words an owner can act on', () => {
    expect(
      problems({
        timezone: 'Lagos',
        businessHours: {
          days: {
            ...week([{ open: '18:00', close: '08:00' }]),
            sat: [{ open: '9am', close: '15:00' }],
            sun: [
              { open: '10:00', close: '14:00' },
              { open: '13:00', close: '16:00' },
            ],
          },
          awayMessage: '   ',
        },
        pacing: { perMinute: 0, burst: 0, minTypingMs: 9000, maxTypingMs: 2000 },
      }),
    ).toEqual([
      'pacing.perMinute: Replies per minute must be at least 1',
      'pacing.burst: Replies in a row must be at least 1',
      'pacing.maxTypingMs: Longest typing time must be at least the shortest',
      'timezone: Unknown time zone: choose one from the list, such as Africa/Lagos',
      'businessHours.days.mon.0.close: Closing time must be after opening time',
      'businessHours.days.tue.0.close: Closing time must be after opening time',
      'businessHours.days.wed.0.close: Closing time must be after opening time',
      'businessHours.days.thu.0.close: Closing time must be after opening time',
      'businessHours.days.fri.0.close: Closing time must be after opening time',
      'businessHours.days.sat.0.open: Opening time must be a time such as 08:30',
      'businessHours.days.sun.1.open: Opening periods of one day must not overlap',
      'businessHours.awayMessage: Away message cannot be empty',
    ]);
  });

  it('wants all seven days at once, so a day never falls back to its default hours', () => {
    expect(problems({ businessHours: { days: { mon: [] } } })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^businessHours\.days\.tue: /)]),
    );
    expect(problems({ businessHours: { enabled: false } })).toEqual([]);
    expect(problems({ businessHours: { days: week([]) } })).toEqual([]);
  });

  it('wants whole numbers where a fraction means nothing', () => {
    expect(problems({ pacing: { burst: 2.5 } })).toEqual([
      'pacing.burst: Replies in a row must be a whole number',
    ]);
  });

  it('allows at most four opening periods a day', () => {
    const five = ['06', '08', '10', '12', '14'].map((h) => ({ open: `${h}:00`, close: `${h}:30` }));
    expect(problems({ businessHours: { days: week(five) } })).toContain(
      'businessHours.days.mon: At most 4 opening periods a day',
    );
  });
});
