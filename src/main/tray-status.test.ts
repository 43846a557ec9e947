import { describe, expect, it } from 'vitest';
import { MAX_TOOLTIP, trayStatus } from './tray-status';

describe('trayStatus', () => {
  it('says when nothing is linked yet', () => {
    expect(trayStatus([])).toEqual({ tone: 'idle', tooltip: 'Switchboard: no WhatsApp number linked yet' });
  });

  it('is green and short when everything is connected', () => {
    expect(trayStatus([{ e164: '+2348031234567', status: 'connected' }])).toEqual({
      tone: 'ok',
      tooltip: 'Switchboard: WhatsApp connected',
    });
    expect(
      trayStatus([
        { e164: '+2348031234567', status: 'connected' },
        { e164: '+2348051234567', status: 'connected' },
      ]).tooltip,
    ).toMatch(/^Switchboard: all 2 numbers connected\n/);
  });

  it('lets the worst state lead, listing the numbers that need a look first', () => {
    const status = trayStatus([
      { e164: '+2348031234567', status: 'connected' },
      { e164: '+2348051234567', status: 'reconnecting' },
      { e164: '+2347061234567', status: 'logged-out' },
    ]);
    expect(status.tone).toBe('problem');
    expect(status.tooltip.split('\n')).toEqual([
      'Switchboard: 1 of 3 connected',
      '+234 706 123 4567: logged out',
      '+234 805 123 4567: reconnecting',
      '+234 803 123 4567: connected',
    ]);
    expect(trayStatus([{ e164: '+2348051234567', status: 'reconnecting' }]).tone).toBe('busy');
  });

  it('stays within the 127 characters Windows shows', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      e164: `+23480312345${10 + i}`,
      status: 'reconnecting' as const,
    }));
    const { tooltip } = trayStatus(many);
    expect(tooltip.length).toBeLessThanOrEqual(MAX_TOOLTIP);
    expect(tooltip.endsWith('…')).toBe(true);
  });

  it('says how many chats need you right under the headline', () => {
    expect(trayStatus([{ e164: '+2348031234567', status: 'connected' }], 2).tooltip).toBe(
      'Switchboard: WhatsApp connected\n2 chats need you',
    );
    expect(trayStatus([], 1).tooltip).toBe('Switchboard: no WhatsApp number linked yet\n1 chat needs you');
    expect(
      trayStatus(
        [
          { e164: '+2348031234567', status: 'connected' },
          { e164: '+2348051234567', status: 'logged-out' },
        ],
        3,
      ).tooltip.split('\n'),
    ).toEqual([
      'Switchboard: 1 of 2 connected',
      '3 chats need you',
      '+234 805 123 4567: logged out',
      '+234 803 123 4567: connected',
    ]);
  });
});
