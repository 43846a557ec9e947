import { describe, expect, it, vi } from 'vitest';
import { checkForUpdatesOnStart } from './updater';

describe('checkForUpdatesOnStart', () => {
  it('does not touch the updater in a development build', async () => {
    const updater = vi.fn();
    const log = vi.fn();
    expect(await checkForUpdatesOnStart({ isPackaged: false, updater, log })).toBe('skipped');
    expect(updater).not.toHaveBeenCalled();
  });

  it('checks and notifies in an installed build', async () => {
    const checkForUpdatesAndNotify = vi.fn(() => Promise.resolve(null));
    expect(
      await checkForUpdatesOnStart({
        isPackaged: true,
        updater: () => ({ checkForUpdatesAndNotify }),
        log: vi.fn(),
      }),
    ).toBe('checked');
    expect(checkForUpdatesAndNotify).toHaveBeenCalledOnce();
  });

  it('logs a failed check (an offline shop PC) instead of crashing', async () => {
    const log = vi.fn();
    const failing = {
      checkForUpdatesAndNotify: () => Promise.reject(new Error('net::ERR_INTERNET_DISCONNECTED')),
    };
    expect(await checkForUpdatesOnStart({ isPackaged: true, updater: () => failing, log })).toBe('failed');
    expect(log).toHaveBeenCalledWith('update check failed', expect.any(Error));
  });
});
