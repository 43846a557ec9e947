import { describe, expect, it } from 'vitest';
import { isTimeZone, wallClockAt, zoneFormatter } from './time-zone';

describe('time zones', () => {
  it('reads the wall clock in a zone, 24-hour, with the weekday', () => {
    // 2026-03-29 00:30 UTC: Sunday 01:30 in Lagos (UTC+1), Saturday 20:30 in New York (UTC-4).
    const t = Date.UTC(2026, 2, 29, 0, 30, 15);
    expect(wallClockAt(zoneFormatter('Africa/Lagos')!, t)).toEqual({
      weekday: 0,
      year: 2026,
      month: 3,
      day: 29,
      hour: 1,
      minute: 30,
      second: 15,
    });
    expect(wallClockAt(zoneFormatter('America/New_York')!, t)).toMatchObject({
      weekday: 6,
      day: 28,
      hour: 20,
    });
  });

  it('reads midnight as hour 0, not 24', () => {
    expect(wallClockAt(zoneFormatter('UTC')!, Date.UTC(2026, 0, 1)).hour).toBe(0);
  });

  it('answers null for a zone Intl does not know, and the same formatter again for a known one', () => {
    expect(zoneFormatter('Mars/Olympus')).toBeNull();
    expect(zoneFormatter('Africa/Lagos')).toBe(zoneFormatter('Africa/Lagos'));
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('Africa/Nairobi')).toBe(true);
  });
});
