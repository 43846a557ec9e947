import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  /** The central server this install is enrolled with, and a workspace token. */
  feed: () => Promise<{ serverUrl: string; token: string } | undefined>;
  /**
   * A feed set in this install's configuration (a reseller without enrollment); used when there is no
   * enrolled server. The installer itself carries no usable address (electron-builder.yml's is a
   * placeholder), so without either nothing is checked.
   */
  configuredFeedUrl?: () => string | undefined;
  /** What decides whether restarting now is fine. */
  shop: () => Promise<{ closed: boolean; lastChatActivityAt: number | null; outboxPending: number }>;
  now: () => number;
  log: (message: string, error?: unknown) => void;
}

export const UPDATE_URL_FILE = 'update-url.txt';

/**
 * The update address an install was configured with: SWITCHBOARD_UPDATE_URL, or the first line of
 * `<user data>/update-url.txt` (what a reseller drops in when setting a PC up). Only http(s) addresses.
 */
export function configuredFeedUrl(env: NodeJS.ProcessEnv, userDataDir: string): string | undefined {
  let value = env.SWITCHBOARD_UPDATE_URL?.trim();
  if (!value) {
    try {
      value = readFileSync(join(userDataDir, UPDATE_URL_FILE), 'utf8').split(/\r?\n/)[0]?.trim();
    } catch {
      return undefined;
    }
  }
  return value !== undefined && /^https?:\/\/\S+$/.test(value) ? value : undefined;
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
    } else {
      const configured = deps.configuredFeedUrl?.();
      if (configured === undefined) {
        deps.log('update check skipped: not enrolled with a central server and no update address set');
        return;
      }
      updater.setFeedURL({ provider: 'generic', url: configured });
      updater.requestHeaders = null;
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
