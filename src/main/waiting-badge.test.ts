import { describe, expect, it } from 'vitest';
import { createWaitingCounter, waitingBadge } from './waiting-badge';

describe('waitingBadge', () => {
  it('numbers the dock or launcher icon on macOS and Linux', () => {
    expect(waitingBadge(3, 'darwin')).toEqual({ badgeCount: 3, overlay: null });
    expect(waitingBadge(1, 'linux')).toMatchObject({ badgeCount: 1, overlay: null });
  });

  it('puts a red dot with the count in words over the Windows taskbar button', () => {
    expect(waitingBadge(2, 'win32')).toEqual({
      badgeCount: 0,
      overlay: { description: '2 chats need you' },
    });
    expect(waitingBadge(1, 'win32').overlay).toEqual({ description: '1 chat needs you' });
  });

  it('clears everything when nobody waits', () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      expect(waitingBadge(0, platform)).toEqual({ badgeCount: 0, overlay: null });
    }
  });
});

describe('createWaitingCounter', () => {
  function manualTimers() {
    const pending: (() => void)[] = [];
    return {
      setTimer: (fn: () => void) => {
        pending.push(fn);
        return () => pending.splice(pending.indexOf(fn), 1);
      },
      fire: async () => {
        for (const fn of pending.splice(0)) fn();
        await new Promise((r) => setTimeout(r, 0));
      },
      pending,
    };
  }

  it('counts once per burst of events and reports only changes', async () => {
    const timers = manualTimers();
    let value = 2;
    let reads = 0;
    const heard: number[] = [];
    const counter = createWaitingCounter({
      count: () => {
        reads += 1;
        return Promise.resolve(value);
      },
      onChange: (n) => heard.push(n),
      setTimer: timers.setTimer,
    });
    counter.refresh();
    counter.refresh();
    counter.refresh();
    expect(timers.pending).toHaveLength(1);
    await timers.fire();
    expect(reads).toBe(1);
    expect(heard).toEqual([2]);
    expect(counter.current()).toBe(2);
    counter.refresh();
    await timers.fire();
    expect(heard).toEqual([2]); // unchanged: not reported again
    value = 0;
    counter.refresh();
    await timers.fire();
    expect(heard).toEqual([2, 0]);
    counter.stop();
    counter.refresh();
    expect(timers.pending).toHaveLength(0);
  });

  it('survives a failed count', async () => {
    const timers = manualTimers();
    const errors: unknown[] = [];
    const counter = createWaitingCounter({
      count: () => Promise.reject(new Error('closed')),
      onChange: () => undefined,
      onError: (e) => errors.push(e),
      setTimer: timers.setTimer,
    });
    counter.refresh();
    await timers.fire();
    expect(errors).toHaveLength(1);
    expect(counter.current()).toBe(0);
  });
});
