import type { OutgoingHttpHeaders } from 'node:http';
import { downloadDecision, installDecision, nextCheckAt, type OfferedUpdate } from '../core/index';

/**
 * The slice of electron-updater's autoUpdater this file drives; index.ts passes the real autoUpdater,
 * so the compiler checks every member against electron-updater's own types.
 */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  requestHeaders: OutgoingHttpHeaders | null;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<{ updateInfo: OfferedUpdate } | null>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface UpdatesDeps {
  isPackaged: boolean;
  updater: () => UpdaterLike;
  currentVersion: string;
  /** The newest store migration this version applies (LATEST_MIGRATION). */
  storeSchema: string;
  /** The central server and a workspace token; undefined: the feed of app-update.yml (electron-builder.yml). */
  feed: () => Promise<{ serverUrl: string; token: string } | undefined>;
  /** What decides whether restarting now is fine. */
  shop: () => Promise<{ closed: boolean; lastChatActivityAt: number | null; outboxPending: number }>;
  now: () => number;
  log: (message: string, error?: unknown) => void;
}

/** The central server's feed path for electron-updater's generic provider (central/update-routes.ts). */
export const feedUrlOf = (serverUrl: string): string => `${serverUrl.replace(/\/+$/, '')}/updates/v1`;

/** How often the shell asks the policy whether it is time to check or to install. */
export const TICK_MS = 10 * 60_000;

/**
 * Carries out the core's update policy (core/updates/schedule.ts): check daily, download in the
 * background only what the policy takes (a newer version, or a safe rollback), install at quit
 * (electron-updater's autoInstallOnAppQuit) or at closing time when no conversation is going on.
 * Nothing runs in a development build: it has no feed and electron-updater would throw.
 */
export function startUpdates(deps: UpdatesDeps): { tick(): Promise<void>; stop(): void } {
  let lastCheckAt: number | null = null;
  let downloaded = false;
  let running: Promise<void> | undefined;

  async function check(updater: UpdaterLike): Promise<void> {
    // Nothing downloads on its own: the policy decides, and it takes an older version only as a
    // rollback it judged safe, so electron-updater may offer downgrades.
    updater.autoDownload = false;
    updater.autoInstallOnAppQuit = true;
    updater.allowDowngrade = true;
    const feed = await deps.feed();
    if (feed !== undefined) {
      updater.setFeedURL({ provider: 'generic', url: feedUrlOf(feed.serverUrl) });
      updater.requestHeaders = { authorization: `Bearer ${feed.token}` };
    }
    const result = await updater.checkForUpdates();
    if (result === null) return;
    const decision = downloadDecision({
      currentVersion: deps.currentVersion,
      offered: result.updateInfo,
      storeSchema: deps.storeSchema,
    });
    deps.log(`update check: ${decision.reason}`);
    if (!decision.download) return;
    await updater.downloadUpdate();
    downloaded = true;
    deps.log(`update downloaded (${decision.kind}): installs at quit or at closing time`);
  }

  async function step(): Promise<void> {
    const now = deps.now();
    const updater = deps.updater();
    if (!downloaded && now >= nextCheckAt(lastCheckAt, now)) {
      lastCheckAt = now;
      try {
        await check(updater);
      } catch (error) {
        // Offline shop PC, feed not reachable: logged, tried again tomorrow.
        deps.log('update check failed', error);
      }
    }
    if (!downloaded) return;
    const decision = installDecision({ now, downloaded, ...(await deps.shop()) });
    if (!decision.install) return;
    deps.log('installing the downloaded update at closing time');
    updater.quitAndInstall(true, true);
  }

  const tick = (): Promise<void> => (running ??= step().finally(() => (running = undefined)));
  if (!deps.isPackaged) {
    deps.log('updates off: not an installed build');
    return { tick: () => Promise.resolve(), stop: () => undefined };
  }
  const timer = setInterval(() => void tick(), TICK_MS);
  void tick();
  return { tick, stop: () => clearInterval(timer) };
}
