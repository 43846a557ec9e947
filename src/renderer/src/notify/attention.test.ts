import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHIME, playChime, shouldNotifyHere, totalWaiting } from './attention';

const counts = (waiting: number) => ({ unread: 0, unreadChats: 0, waiting, oldestWaitingSince: null });
const event = { workspaceId: 'ws1', chatId: '234803@s.whatsapp.net' };

describe('attention', () => {
  afterEach(() => vi.useRealTimers());

  it('adds the waiting chats of every workspace', () => {
    expect(totalWaiting({})).toBe(0);
    expect(totalWaiting({ a: counts(2), b: counts(1) })).toBe(3);
  });

  it('notifies in a browser with permission, unless the owner is looking at that chat', () => {
    const base = {
      shell: 'browser' as const,
      permission: 'granted' as const,
      event,
      hash: '/',
      looking: true,
    };
    expect(shouldNotifyHere(base)).toBe(true);
    expect(shouldNotifyHere({ ...base, permission: 'default' })).toBe(false);
    expect(shouldNotifyHere({ ...base, permission: 'unsupported' })).toBe(false);
    // The desktop app's main process shows its own notification.
    expect(shouldNotifyHere({ ...base, shell: 'desktop' })).toBe(false);
    const open = '/conversations/234803%40s.whatsapp.net?w=ws1';
    expect(shouldNotifyHere({ ...base, hash: open })).toBe(false);
    expect(shouldNotifyHere({ ...base, hash: open, looking: false })).toBe(true);
  });

  it('plays the chime as soft-edged sine notes and closes the audio afterwards', () => {
    vi.useFakeTimers();
    const started: { frequency: number; at: number }[] = [];
    let closed = false;
    const ctx = {
      currentTime: 5,
      destination: {},
      createOscillator: () => {
        const osc = {
          type: '',
          frequency: { value: 0 },
          connect: () => undefined,
          start: (at: number) => started.push({ frequency: osc.frequency.value, at }),
          stop: () => undefined,
        };
        return osc;
      },
      createGain: () => ({
        gain: { setValueAtTime: () => undefined, linearRampToValueAtTime: () => undefined },
        connect: () => undefined,
      }),
      close: () => {
        closed = true;
        return Promise.resolve();
      },
    };
    playChime(() => ctx);
    expect(started).toEqual(CHIME.map((n) => ({ frequency: n.frequency, at: 5 + n.start })));
    expect(closed).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(closed).toBe(true);
  });
});
