// Electron shell: lifecycle, the one window, the tray, notifications and the updater. No business logic
// lives here: the core does the work and the contract (src/shared/contract.ts) is bound to IPC.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  safeStorage,
  shell,
  Tray,
} from 'electron';
import electronLog from 'electron-log/main';
import electronUpdater from 'electron-updater';
import {
  acquireInstanceLock,
  createElectronLogSink,
  createFileKeySecretBox,
  createSwitchboard,
  makeNewFilesPrivate,
  pendingReplies,
  shopClosed,
  type Switchboard,
} from '../core/index';
import {
  createCoreRuntime,
  createDispatcher,
  createLiveLogSink,
  type CoreRuntime,
} from '../core/handlers/index';
import { aiAlertTitle } from '../shared/ai-contract';
import { chatHash } from '../shared/chat-link';
import { escalationNotification } from '../shared/escalation-words';
import type { WorkspaceId } from '../shared/types';
import { alertNotification } from './alert-notifications';
import { offerLastGoodBackup } from './damaged-database';
import { bindContractToIpc, forwardEventsToWindow } from './ipc-binding';
import { createSafeStorageSecretBox } from './safe-storage-secret-box';
import { createDesktopShellHandlers, HIDDEN_START_ARG } from './shell-handlers';
import { TRAY_ICONS, WAITING_OVERLAY_ICON } from './tray-icons';
import { trayStatus, type TrayNumber } from './tray-status';
import { configuredFeedUrl, startUpdates } from './updater';
import { createWaitingCounter, waitingBadge } from './waiting-badge';
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
/** Started by the OS at login: stay in the tray until the owner opens the window. */
const startHidden = process.argv.includes(HIDDEN_START_ARG);

interface RunningCore {
  app: Switchboard;
  runtime: CoreRuntime;
  stop: () => void;
}

const dataDir = join(app.getPath('userData'), 'data');
const desktopSecrets = () => createSafeStorageSecretBox(safeStorage, createFileKeySecretBox({ dataDir }));
let dataLock: ReturnType<typeof acquireInstanceLock> | undefined;
let mainWindow: BrowserWindow | undefined;
let core: RunningCore | undefined;
let tray: Tray | undefined;
/** True once the owner chose Quit (tray menu, app menu, OS shutdown): closing the window then quits. */
let quitting = false;
let trayHintShown = false;
const numbers = new Map<string, TrayNumber>();
/** Chats waiting for a person over every workspace: on the tray tooltip and the taskbar. */
let waiting = 0;
/** Shown notifications, kept referenced: one garbage-collected before its click loses the click. */
const shownNotifications = new Set<Notification>();

// The rotating file log: electron-log keeps the last 5 MB plus one rotated file. Its writes are made
// asynchronous so a log call never waits on the disk.
electronLog.transports.file.maxSize = 5 * 1024 * 1024;
electronLog.transports.file.sync = false;
electronLog.transports.console.level = false;

/** Opens the core in the user's data folder and binds it to IPC, the tray and notifications. */
async function startCore(): Promise<RunningCore> {
  // Customers' messages, WhatsApp keys, logs: every file this app creates is readable by this user only.
  makeNewFilesPrivate();
  const liveLog = createLiveLogSink();
  // A headless host pointed at this folder would fight this app for the database and the sessions.
  dataLock ??= acquireInstanceLock(dataDir, 'the desktop app');
  const switchboard = await createSwitchboard({
    dataDir,
    sinks: [liveLog, createElectronLogSink(electronLog)],
    // The central server's tokens, sealed with the OS key store (the key file where there is none).
    secrets: desktopSecrets(),
    sync: { appVersion: app.getVersion() },
  });
  const runtime = createCoreRuntime(switchboard, { liveLog, openFile: (path) => shell.openPath(path) });
  const dispatch = createDispatcher(
    { ...runtime.handlers, ...createDesktopShellHandlers(app, process.platform) },
    switchboard.logger,
  );
  const unbind = bindContractToIpc(ipcMain, dispatch, (url) => isAppNavigation(url, appUrl));
  const stops = [
    unbind,
    forwardEventsToWindow(runtime.events, () =>
      mainWindow !== undefined && !mainWindow.isDestroyed() ? mainWindow.webContents : undefined,
    ),
    runtime.events.on('alert.raised', (alert) => {
      const { title, body } = alertNotification(alert);
      notify(title, body);
    }),
    // The AI budget ran out or a provider refused its key: the owner is told at once.
    runtime.events.on('ai.alerted', ({ message, alert }) => notify(aiAlertTitle(alert), message)),
    // A chat needs a person (or still does: a reminder): the notification opens that chat.
    runtime.events.on('conversation.escalated', (event) => {
      const { title, body } = escalationNotification(event, Date.now());
      notify(title, body, () => openChat(runtime, event.workspaceId, event.chatId));
    }),
    runtime.events.on('connection.changed', ({ e164, status }) => {
      numbers.set(e164, { e164, status });
      updateTray();
    }),
    runtime.events.on('workspace.changed', () => void refreshNumbers(runtime, switchboard)),
    // A restore is put in place while the database is closed: start again.
    runtime.events.on('backup.restoreStaged', () => {
      app.relaunch();
      app.quit();
    }),
  ];
  const counter = createWaitingCounter({
    count: async () => {
      let total = 0;
      for (const workspace of await switchboard.workspaces.list()) {
        total += (await runtime.handlers['conversation.counts']({ workspaceId: workspace.id })).waiting;
      }
      return total;
    },
    onChange: (count) => {
      waiting = count;
      updateTray();
      updateTaskbar();
    },
    onError: (error) => electronLog.warn('counting the chats waiting for a person failed', error),
  });
  for (const event of ['conversation.changed', 'conversation.escalated', 'workspace.changed'] as const) {
    stops.push(runtime.events.on(event, () => counter.refresh()));
  }
  stops.push(() => counter.stop());
  counter.refresh();
  await refreshNumbers(runtime, switchboard);
  await switchboard.start();
  stops.push(startDesktopUpdates(switchboard));
  return { app: switchboard, runtime, stop: () => stops.forEach((stop) => stop()) };
}

/** Daily checks against the central server's feed; installs at quit or at closing time (updater.ts). */
function startDesktopUpdates(switchboard: Switchboard): () => void {
  let lastChatActivityAt: number | null = null;
  const unsubscribe = switchboard.onChatActivity(() => (lastChatActivityAt = Date.now()));
  const updates = startUpdates({
    isPackaged: app.isPackaged,
    updater: () => {
      const { autoUpdater } = electronUpdater;
      autoUpdater.logger = electronLog;
      return autoUpdater;
    },
    currentVersion: app.getVersion(),
    storeSchema: switchboard.store.schemaVersion,
    feed: () => switchboard.sync.updateFeed(),
    configuredFeedUrl: () => configuredFeedUrl(process.env, app.getPath('userData')),
    shop: async () => ({
      closed: shopClosed(
        (await switchboard.workspaces.list()).map((w) => w.settings),
        Date.now(),
      ),
      lastChatActivityAt,
      outboxPending: await pendingReplies(switchboard.store),
    }),
    now: () => Date.now(),
    log: (message, error) => electronLog.info(message, error ?? ''),
  });
  return () => {
    unsubscribe();
    updates.stop();
  };
}

/** Every number on this computer, for the tray (numbers come and go with workspace changes). */
async function refreshNumbers(runtime: CoreRuntime, switchboard: Switchboard): Promise<void> {
  try {
    const next = new Map<string, TrayNumber>();
    for (const workspace of await switchboard.workspaces.list()) {
      for (const n of await runtime.handlers['connection.list']({ workspaceId: workspace.id })) {
        next.set(n.e164, { e164: n.e164, status: n.status });
      }
    }
    numbers.clear();
    for (const [key, value] of next) numbers.set(key, value);
    updateTray();
  } catch (error) {
    electronLog.warn('reading the numbers for the tray failed', error);
  }
}

function createTray(): Tray {
  const created = new Tray(nativeImage.createFromDataURL(TRAY_ICONS.idle));
  created.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Switchboard', click: showMainWindow },
      { type: 'separator' },
      {
        label: 'Quit Switchboard',
        click: () => {
          quitting = true;
          app.quit();
        },
      },
    ]),
  );
  created.on('click', showMainWindow);
  return created;
}

function updateTray(): void {
  if (tray === undefined) return;
  const { tone, tooltip } = trayStatus([...numbers.values()], waiting);
  tray.setToolTip(tooltip);
  tray.setImage(nativeImage.createFromDataURL(TRAY_ICONS[tone]));
}

/** The dock / launcher number, or the Windows taskbar dot, for the chats waiting for a person. */
function updateTaskbar(): void {
  const badge = waitingBadge(waiting, process.platform);
  try {
    if (process.platform !== 'win32') app.setBadgeCount(badge.badgeCount);
    if (process.platform === 'win32' && mainWindow !== undefined && !mainWindow.isDestroyed()) {
      mainWindow.setOverlayIcon(
        badge.overlay === null ? null : nativeImage.createFromDataURL(WAITING_OVERLAY_ICON),
        badge.overlay?.description ?? '',
      );
    }
  } catch (error) {
    // Not every Linux desktop has a launcher that shows counts.
    electronLog.warn('showing the waiting chats on the taskbar failed', error);
  }
}

function notify(title: string, body: string, onClick: () => void = showMainWindow): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title, body });
  shownNotifications.add(notification);
  const forget = () => shownNotifications.delete(notification);
  notification.on('click', () => {
    forget();
    onClick();
  });
  notification.on('close', forget);
  notification.on('failed', forget);
  notification.show();
}

/**
 * Opens a chat from its notification: a loaded window hears `notification.clicked` and shows it;
 * a window that is not there yet opens on the chat's address.
 */
function openChat(runtime: CoreRuntime, workspaceId: WorkspaceId, chatId: string): void {
  const win = mainWindow;
  if (win !== undefined && !win.isDestroyed() && !win.webContents.isLoading()) {
    showMainWindow();
    runtime.events.emit('notification.clicked', { workspaceId, chatId });
    return;
  }
  if (win === undefined && app.isReady()) {
    mainWindow = createMainWindow(chatHash(workspaceId, chatId));
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    return;
  }
  showMainWindow();
}

function createMainWindow(hash?: string): BrowserWindow {
  const win = new BrowserWindow(secureWindowOptions(preloadPath));

  win.once('ready-to-show', () => {
    if (!startHidden) win.show();
  });

  // Closing the window keeps Switchboard answering customers from the tray; Quit is in the tray menu.
  win.on('close', (event) => {
    if (quitting || tray === undefined) return;
    event.preventDefault();
    win.hide();
    if (!trayHintShown) {
      trayHintShown = true;
      notify(
        'Switchboard is still running',
        'It keeps answering your customers. Open it from the tray icon, or quit it from the tray menu.',
      );
    }
  });

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

  win.webContents.once('did-finish-load', updateTaskbar);
  const loading =
    devServerUrl !== undefined
      ? win.loadURL(hash === undefined ? devServerUrl : `${devServerUrl}#${hash}`)
      : win.loadFile(rendererFile, hash === undefined ? {} : { hash });
  loading.catch((error: unknown) => console.error('Could not load the renderer', error));
  return win;
}

function showMainWindow(): void {
  if (mainWindow === undefined) {
    if (app.isReady()) mainWindow = createMainWindow();
    mainWindow?.once('ready-to-show', () => mainWindow?.show());
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

// One instance per user: a second launch (double-clicked shortcut) focuses the running one, so two
// processes never hold the same database and WhatsApp sessions.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showMainWindow);

  app.on('window-all-closed', () => {
    // With a tray the window only hides; without one (some Linux desktops) closing it quits.
    if (process.platform !== 'darwin' && tray === undefined) app.quit();
  });

  app.on('activate', showMainWindow);

  // Close the database cleanly (flushes the log, folds the WAL into the file) before quitting.
  let closingCore = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (closingCore || core === undefined) return;
    event.preventDefault();
    closingCore = true;
    const closing = core;
    core = undefined;
    closing.stop();
    closing.runtime.close();
    closing.app.backupSchedule
      .backupOnQuit()
      .then(() => closing.app.close())
      .catch((error: unknown) => electronLog.error('closing the core failed', error))
      .finally(() => {
        dataLock?.release();
        app.quit();
      });
  });

  app
    .whenReady()
    .then(async () => {
      core = await startCore();
      try {
        tray = createTray();
        updateTray();
      } catch (error) {
        electronLog.warn('no system tray here: closing the window will quit', error);
      }
      mainWindow = createMainWindow();
    })
    .catch(async (error: unknown) => {
      // A damaged or too-new database lands here with a message that says what to do.
      electronLog.error('Switchboard failed to start', error);
      const restored = await offerLastGoodBackup({ error, dataDir, secrets: desktopSecrets(), dialog }).catch(
        (failed: unknown) => {
          electronLog.error('restoring the last good backup failed', failed);
          return false;
        },
      );
      dataLock?.release();
      if (restored) {
        app.relaunch();
        return app.exit(0);
      }
      dialog.showErrorBox(
        'Switchboard could not start',
        error instanceof Error ? error.message : String(error),
      );
      app.exit(1);
    });
}
