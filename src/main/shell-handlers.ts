import type { AppInfo, ShellHandlers } from '../shared/contract';
import { SwitchboardError } from '../core/index';

/** The slice of Electron's `app` the desktop's own commands use. */
export interface DesktopAppLike {
  getVersion(): string;
  getLoginItemSettings(): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; openAsHidden?: boolean; args?: string[] }): void;
}

/** Flag on the login item's command line: started by the OS, so stay in the tray. */
export const HIDDEN_START_ARG = '--hidden';

/** The desktop's half of the shell commands: start at login, and no demo phone. */
export function createDesktopShellHandlers(app: DesktopAppLike, platform: NodeJS.Platform): ShellHandlers {
  // Electron supports login items on Windows and macOS only.
  const canStartAtLogin = platform === 'win32' || platform === 'darwin';
  const info = (): AppInfo => ({
    shell: 'desktop',
    version: app.getVersion(),
    demo: false,
    startAtLogin: canStartAtLogin ? app.getLoginItemSettings().openAtLogin : null,
  });
  const demoOnly = () =>
    Promise.reject(
      new SwitchboardError(
        'UNAVAILABLE',
        'The demo phone exists only in the demo (npm run serve -- --demo).',
      ),
    );
  return {
    'app.info': () => Promise.resolve(info()),
    'app.setStartAtLogin'({ enabled }) {
      if (!canStartAtLogin) {
        return Promise.reject(
          new SwitchboardError('UNAVAILABLE', 'Starting at login is not available on this system.'),
        );
      }
      app.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: true, args: [HIDDEN_START_ARG] });
      return Promise.resolve(info());
    },
    'demo.scanQr': demoOnly,
    'demo.enterPairingCode': demoOnly,
  };
}
