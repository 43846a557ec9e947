// Electron shell: lifecycle and the one window. No business logic lives here; the core does the work.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, shell } from 'electron';
import electronLog from 'electron-log/main';
import { createElectronLogSink, createSwitchboard, type Switchboard } from '../core/index';
import { isAppNavigation, isExternalWebLink, secureWindowOptions } from './window-options';

// This bundle is ESM (package.json "type": "module"), so there is no CommonJS __dirname. The name is
// deliberately not `__dirname`: electron-vite's ESM shim injects `const __dirname` into any chunk that
// mentions it, and a second declaration would be a SyntaxError at startup.
const mainDir = dirname(fileURLToPath(import.meta.url));
const preloadPath = join(mainDir, '../preload/index.cjs');
const rendererFile = join(mainDir, '../renderer/index.html');

// Set by `electron-vite dev` only; a packaged app always loads the built file.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const appUrl = devServerUrl ?? pathToFileURL(rendererFile).href;

let mainWindow: BrowserWindow | undefined;

let core: Switchboard | undefined;

// The rotating file log: electron-log keeps the last 5 MB plus one rotated file. Its writes are made
// asynchronous so a log call never waits on the disk.
electronLog.transports.file.maxSize = 5 * 1024 * 1024;
electronLog.transports.file.sync = false;
electronLog.transports.console.level = false;

/** Opens the core in the user's data folder. IPC bindings for the contract arrive with the app issue. */
async function startCore(): Promise<Switchboard> {
  return createSwitchboard({
    dataDir: join(app.getPath('userData'), 'data'),
    sinks: [createElectronLogSink(electronLog)],
  });
}

function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow(secureWindowOptions(preloadPath));

  win.once('ready-to-show', () => win.show());

  // No pop-ups: web links open in the user's browser, everything else is dropped.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebLink(url)) {
      shell.openExternal(url).catch((error: unknown) => console.error('openExternal failed', url, error));
    }
    return { action: 'deny' };
  });

  // The window only ever shows the app itself; a link clicked inside it goes to the browser instead.
  win.webContents.on('will-navigate', (event, url) => {
    if (isAppNavigation(url, appUrl)) return;
    event.preventDefault();
    if (isExternalWebLink(url)) {
      shell.openExternal(url).catch((error: unknown) => console.error('openExternal failed', url, error));
    }
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());

  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });

  const loading = devServerUrl !== undefined ? win.loadURL(devServerUrl) : win.loadFile(rendererFile);
  loading.catch((error: unknown) => console.error('Could not load the renderer', error));
  return win;
}

function focusMainWindow(): void {
  if (mainWindow === undefined) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

// One instance per user: a second launch (double-clicked shortcut) focuses the running one, so two
// processes never hold the same database and WhatsApp sessions.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (mainWindow === undefined && app.isReady()) mainWindow = createMainWindow();
  });

  // Close the database cleanly (flushes the log, folds the WAL into the file) before quitting.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || core === undefined) return;
    event.preventDefault();
    quitting = true;
    const closing = core;
    core = undefined;
    closing
      .close()
      .catch((error: unknown) => electronLog.error('closing the core failed', error))
      .finally(() => app.quit());
  });

  app
    .whenReady()
    .then(async () => {
      core = await startCore();
      mainWindow = createMainWindow();
    })
    .catch((error: unknown) => {
      // A damaged or too-new database lands here with a message that says what to do.
      electronLog.error('Switchboard failed to start', error);
      dialog.showErrorBox(
        'Switchboard could not start',
        error instanceof Error ? error.message : String(error),
      );
      app.exit(1);
    });
}
