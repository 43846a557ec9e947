import { describe, expect, it } from 'vitest';
import { lastLocalDays, localDateTime } from './local-days';

const HOUR = 3_600_000;

describe('lastLocalDays', () => {
  it('counts days from local midnight in Africa/Lagos (UTC+1, no daylight saving)', () => {
    // 2026-05-20 00:30 in Lagos is still 2026-05-19 23:30 UTC: "today" is the 20th there.
    const days = lastLocalDays(Date.UTC(2026, 4, 19, 23, 30), 'Africa/Lagos', 3);
    expect(days.timeZone).toBe('Africa/Lagos');
    expect(days.dates).toEqual(['2026-05-18', '2026-05-19', '2026-05-20']);
    expect(days.bounds).toEqual([
      Date.UTC(2026, 4, 17, 23),
      Date.UTC(2026, 4, 18, 23),
      Date.UTC(2026, 4, 19, 23),
      Date.UTC(2026, 4, 20, 23),
    ]);
  });

  it('gives the day of a daylight-saving change its true length (Europe/London, 23 h and 25 h)', () => {
    const spring = lastLocalDays(Date.UTC(2026, 2, 29, 12), 'Europe/London', 2);
    expect(spring.dates).toEqual(['2026-03-28', '2026-03-29']);
    expect(spring.bounds[2]! - spring.bounds[1]!).toBe(23 * HOUR);
    expect(spring.bounds[1]).toBe(Date.UTC(2026, 2, 29, 0)); // midnight GMT
    expect(spring.bounds[2]).toBe(Date.UTC(2026, 2, 29, 23)); // midnight BST

    const autumn = lastLocalDays(Date.UTC(2026, 9, 25, 12), 'Europe/London', 1);
    expect(autumn.bounds[1]! - autumn.bounds[0]!).toBe(25 * HOUR);
  });

  it('starts a day whose midnight does not exist at the first instant that does (America/Santiago)', () => {
    // Chile moves from UTC-4 to UTC-3 at 24:00 on Saturday 2026-09-05: Sunday starts at 01:00 local.
    const days = lastLocalDays(Date.UTC(2026, 8, 6, 18), 'America/Santiago', 2);
    expect(days.dates).toEqual(['2026-09-05', '2026-09-06']);
    expect(days.bounds[0]).toBe(Date.UTC(2026, 8, 5, 4)); // 00:00 at UTC-4
    expect(days.bounds[1]).toBe(Date.UTC(2026, 8, 6, 4)); // 01:00 at UTC-3, the first instant of the 6th
    expect(days.bounds[2]).toBe(Date.UTC(2026, 8, 7, 3)); // 00:00 at UTC-3
  });

  it('is the same day on both sides of the date line (Pacific/Kiritimati, UTC+14)', () => {
    const days = lastLocalDays(Date.UTC(2026, 0, 1, 9, 59), 'Pacific/Kiritimati', 1);
    expect(days.dates).toEqual(['2026-01-01']);
    const late = lastLocalDays(Date.UTC(2026, 0, 1, 10, 0), 'Pacific/Kiritimati', 1);
    expect(late.dates).toEqual(['2026-01-02']);
    expect(late.bounds[0]).toBe(Date.UTC(2026, 0, 1, 10));
  });

  it('falls back to UTC for a zone Intl does not know, and says so', () => {
    const days = lastLocalDays(Date.UTC(2026, 4, 20, 12), 'Mars/Olympus_Mons', 1);
    expect(days).toEqual({
      timeZone: 'UTC',
      dates: ['2026-05-20'],
      bounds: [Date.UTC(2026, 4, 20), Date.UTC(2026, 4, 21)],
    });
  });

  it('lists consecutive days that tile time with no gap or overlap', () => {
    const days = lastLocalDays(Date.UTC(2026, 4, 20, 12), 'Asia/Kolkata', 14);
    expect(days.dates).toHaveLength(14);
    expect(days.bounds).toHaveLength(15);
    for (let i = 1; i < days.bounds.length; i++)
      expect(days.bounds[i]! - days.bounds[i - 1]!).toBe(24 * HOUR);
    expect(days.bounds[0]).toBe(Date.UTC(2026, 4, 6, 18, 30)); // 00:00 at UTC+5:30
  });
});

describe('localDateTime', () => {
  it('writes the wall-clock time in the zone', () => {
    expect(localDateTime(Date.UTC(2026, 4, 20, 23, 5, 9, 999), 'Africa/Lagos')).toBe('2026-05-21 00:05:09');
    expect(localDateTime(Date.UTC(2026, 4, 20, 23, 5, 9), 'Nowhere/Unknown')).toBe('2026-05-20 23:05:09');
  });
});
