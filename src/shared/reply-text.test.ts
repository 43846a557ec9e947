import { describe, expect, it } from 'vitest';
import { fillReplyText, hoursToday } from './reply-text';
import { workspaceSettingsSchema } from './settings';

const WED_10AM_LAGOS = Date.UTC(2026, 10, 18, 9, 0);
const SUN = Date.UTC(2026, 10, 22, 12, 0);

describe('reply texts', () => {
  it('fill the business name and today’s hours', () => {
    expect(
      fillReplyText('Welcome to {business}! We are open {hours}.', {
        business: 'Chidi Pharmacy',
        hours: '8:00 to 18:00',
      }),
    ).toBe('Welcome to Chidi Pharmacy! We are open 8:00 to 18:00.');
    expect(fillReplyText('Hello', { business: 'x', hours: '' })).toBe('Hello');
  });

  it('say today’s hours in the workspace’s zone', () => {
    const on = workspaceSettingsSchema.parse({ businessHours: { enabled: true } });
    expect(hoursToday(on, WED_10AM_LAGOS)).toBe('8:00 to 18:00');
    expect(hoursToday(on, SUN)).toBe('closed today');
    const split = workspaceSettingsSchema.parse({
      businessHours: {
        enabled: true,
        days: {
          wed: [
            { open: '08:00', close: '12:00' },
            { open: '13:00', close: '19:30' },
          ],
        },
      },
    });
    expect(hoursToday(split, WED_10AM_LAGOS)).toBe('8:00 to 12:00 and 13:00 to 19:30');
    expect(hoursToday(workspaceSettingsSchema.parse({}), WED_10AM_LAGOS)).toBe('');
    expect(hoursToday({ ...on, timezone: 'Mars/Olympus' }, WED_10AM_LAGOS)).toBe('');
  });
});
