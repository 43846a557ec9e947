import { describe, expect, it } from 'vitest';
import { createDesktopShellHandlers, HIDDEN_START_ARG, type DesktopAppLike } from './shell-handlers';

function fakeApp() {
  let openAtLogin = false;
  const calls: unknown[] = [];
  const app: DesktopAppLike = {
    getVersion: () => '1.2.3',
    getLoginItemSettings: () => ({ openAtLogin }),
    setLoginItemSettings: (settings) => {
      calls.push(settings);
      openAtLogin = settings.openAtLogin;
    },
  };
  return { app, calls };
}

describe('desktop shell handlers', () => {
  it('turns start at login on and off, starting hidden in the tray', async () => {
    const { app, calls } = fakeApp();
    const handlers = createDesktopShellHandlers(app, 'win32');
    expect(await handlers['app.info']({})).toEqual({
      shell: 'desktop',
      version: '1.2.3',
      demo: false,
      startAtLogin: false,
    });
    expect(await handlers['app.setStartAtLogin']({ enabled: true })).toMatchObject({ startAtLogin: true });
    expect(calls).toEqual([{ openAtLogin: true, openAsHidden: true, args: [HIDDEN_START_ARG] }]);
  });

  it('says start at login is unavailable where Electron cannot do it, and has no demo phone', async () => {
    const handlers = createDesktopShellHandlers(fakeApp().app, 'linux');
    expect((await handlers['app.info']({})).startAtLogin).toBeNull();
    await expect(handlers['app.setStartAtLogin']({ enabled: true })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    await expect(
      handlers['demo.scanQr']({ workspaceId: 'w' as never, phoneNumberId: 'n' }),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });
});
