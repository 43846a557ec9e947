import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../core/testing/temp-files';
import { CHECK_INTERVAL_MS } from '../core/index';
import { configuredFeedUrl, feedUrlOf, startUpdates, type UpdaterLike, type UpdatesDeps } from './updater';

/** Records what the shell asked of electron-updater; the feed answers `offered`. */
class RecordingUpdater implements UpdaterLike {
  autoDownload = true;
  autoInstallOnAppQuit = false;
  allowDowngrade = false;
  requestHeaders: UpdaterLike['requestHeaders'] = null;
  feedUrl: string | undefined;
  checks = 0;
  downloads = 0;
  installs = 0;
  constructor(public offered: { version: string; rollbackFrom?: string[]; storeSchema?: string }) {}
  setFeedURL(options: { url: string }): void {
    this.feedUrl = options.url;
  }
  checkForUpdates() {
    this.checks++;
    return Promise.resolve({ updateInfo: this.offered });
  }
  downloadUpdate() {
    this.downloads++;
    return Promise.resolve([]);
  }
  quitAndInstall(): void {
    this.installs++;
  }
}

function setUp(offered: RecordingUpdater['offered'], overrides: Partial<UpdatesDeps> = {}) {
  const updater = new RecordingUpdater(offered);
  const lines: string[] = [];
  let now = Date.UTC(2026, 10, 18, 12);
  const shop = { closed: false, lastChatActivityAt: null as number | null, outboxPending: 0 };
  const updates = startUpdates({
    isPackaged: true,
    updater: () => updater,
    currentVersion: '1.4.0',
    storeSchema: '0013-chat-read',
    feed: () => Promise.resolve({ serverUrl: 'https://central.example/', token: 'sbw_token' }),
    shop: () => Promise.resolve(shop),
    now: () => now,
    log: (message) => lines.push(message),
    ...overrides,
  });
  return { updater, lines, shop, updates, advance: (ms: number) => (now += ms) };
}

describe('startUpdates', () => {
  it('checks the central feed with the workspace token, downloads a newer version, installs at closing time', async () => {
    const { updater, shop, updates, advance } = setUp({ version: '1.5.0' });
    await updates.tick();
    updates.stop();
    expect(updater).toMatchObject({
      feedUrl: 'https://central.example/updates/v1',
      requestHeaders: { authorization: 'Bearer sbw_token' },
      autoDownload: false,
      autoInstallOnAppQuit: true,
      checks: 1,
      downloads: 1,
      installs: 0,
    });
    // Open shop: waits. Closed but a reply waiting: waits. Closed and quiet: installs.
    await updates.tick();
    shop.closed = true;
    shop.outboxPending = 1;
    await updates.tick();
    expect(updater.installs).toBe(0);
    shop.outboxPending = 0;
    advance(60_000);
    await updates.tick();
    expect(updater.installs).toBe(1);
    expect(updater.checks).toBe(1);
  });

  it('checks again a day later, and never takes an unsafe rollback', async () => {
    const { updater, lines, updates, advance } = setUp({
      version: '1.3.0',
      rollbackFrom: ['1.4.0'],
      storeSchema: '0012-older',
    });
    await updates.tick();
    await updates.tick();
    expect(updater.checks).toBe(1);
    advance(CHECK_INTERVAL_MS);
    await updates.tick();
    updates.stop();
    expect(updater.checks).toBe(2);
    expect(updater.downloads).toBe(0);
    expect(lines.join('\n')).toMatch(/publish a fixed newer version/);
  });

  it('does nothing in a development build, and logs a failed check instead of crashing', async () => {
    const dev = setUp({ version: '1.5.0' }, { isPackaged: false });
    await dev.updates.tick();
    expect(dev.updater.checks).toBe(0);
    const offline = setUp(
      { version: '1.5.0' },
      { feed: () => Promise.reject(new Error('net::ERR_INTERNET_DISCONNECTED')) },
    );
    await offline.updates.tick();
    offline.updates.stop();
    expect(offline.lines).toContain('update check failed');
  });

  it('without enrollment asks the configured feed, and checks nothing when there is none', async () => {
    const configured = setUp(
      { version: '1.5.0' },
      {
        feed: () => Promise.resolve(undefined),
        configuredFeedUrl: () => 'https://updates.reseller.example/switchboard',
      },
    );
    await configured.updates.tick();
    configured.updates.stop();
    expect(configured.updater).toMatchObject({
      feedUrl: 'https://updates.reseller.example/switchboard',
      requestHeaders: null,
      checks: 1,
    });
    const none = setUp({ version: '1.5.0' }, { feed: () => Promise.resolve(undefined) });
    await none.updates.tick();
    none.updates.stop();
    expect(none.updater.checks).toBe(0);
    expect(none.lines).toContain(
      'update check skipped: not enrolled with a central server and no update address set',
    );
  });

  it('reads the configured address from the environment or update-url.txt, http(s) only', () => {
    const { dir, cleanup } = makeTempDir('switchboard-update-url-');
    try {
      expect(configuredFeedUrl({}, dir)).toBeUndefined();
      writeFileSync(join(dir, 'update-url.txt'), 'https://central.shop.example/updates/v1\n');
      expect(configuredFeedUrl({}, dir)).toBe('https://central.shop.example/updates/v1');
      expect(configuredFeedUrl({ SWITCHBOARD_UPDATE_URL: 'http://10.0.0.2:8787/updates/v1' }, dir)).toBe(
        'http://10.0.0.2:8787/updates/v1',
      );
      writeFileSync(join(dir, 'update-url.txt'), 'file:///etc/passwd\n');
      expect(configuredFeedUrl({}, dir)).toBeUndefined();
    } finally {
      cleanup();
    }
  });

  it('builds the feed URL from the server address', () => {
    expect(feedUrlOf('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787/updates/v1');
  });
});
