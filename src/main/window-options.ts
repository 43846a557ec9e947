// Pure data and predicates for the main window, kept free of a runtime `electron` import so that
// plain-Node unit tests can check them (Electron cannot run on the build machines).
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The only options the app's windows are created with. The renderer gets no Node, runs sandboxed and
 * isolated from the preload, and talks to the main process only through the preload's allow-listed
 * bridge.
 */
export function secureWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    title: 'Switchboard',
    // Shown on 'ready-to-show' to avoid a white flash while the renderer loads.
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  };
}

/**
 * Whether the window may navigate to `target`. Only the app's own page is allowed: the dev server's
 * origin in development, the exact built index.html file otherwise (query and hash may change).
 */
export function isAppNavigation(target: string, appUrl: string): boolean {
  const to = safeUrl(target);
  const app = safeUrl(appUrl);
  if (to === undefined || app === undefined) return false;
  if (app.protocol === 'file:') {
    return to.protocol === 'file:' && to.pathname === app.pathname;
  }
  return to.origin === app.origin;
}

/** Links the user may open in their default browser: plain http(s) only, never file:, javascript: etc. */
export function isExternalWebLink(target: string): boolean {
  const url = safeUrl(target);
  return url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:');
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
