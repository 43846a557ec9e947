import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_SETTINGS } from '../../shared/settings';
import {
  CHECK_INTERVAL_MS,
  downloadDecision,
  installDecision,
  nextCheckAt,
  QUIET_MS,
  shopClosed,
} from './schedule';
import { compareVersions } from './version';

const NOW = Date.UTC(2026, 10, 18, 12, 0); // a Wednesday, 13:00 in Lagos

describe('compareVersions', () => {
  it('orders as semver does', () => {
    const sorted = ['1.10.0', '1.2.0', '1.2.0-beta.2', '1.2.0-beta.10', '1.2.0-alpha', '0.9.9'].sort(
      compareVersions,
    );
    expect(sorted).toEqual(['0.9.9', '1.2.0-alpha', '1.2.0-beta.2', '1.2.0-beta.10', '1.2.0', '1.10.0']);
    expect(() => compareVersions('1.2', '1.2.0')).toThrow(/"1.2" is not a version/);
  });
});

describe('nextCheckAt', () => {
  it('checks at start, then daily', () => {
    expect(nextCheckAt(null, NOW)).toBe(NOW);
    expect(nextCheckAt(NOW - 3_600_000, NOW)).toBe(NOW - 3_600_000 + CHECK_INTERVAL_MS);
    expect(nextCheckAt(NOW - 2 * CHECK_INTERVAL_MS, NOW)).toBe(NOW);
  });
});

describe('downloadDecision', () => {
  const base = { currentVersion: '1.4.0', storeSchema: '0013-chat-read' };
  it('takes a newer version, ignores the same one', () => {
    expect(downloadDecision({ ...base, offered: { version: '1.5.0' } })).toMatchObject({
      download: true,
      kind: 'update',
    });
    expect(downloadDecision({ ...base, offered: { version: '1.4.0' } })).toMatchObject({ download: false });
    expect(downloadDecision({ ...base, offered: { version: 'latest' } })).toMatchObject({
      download: false,
      reason: expect.stringMatching(/not a version/),
    });
  });

  it('goes back only from a rolled-back version, to one that knows this database schema', () => {
    const older = { version: '1.3.0', storeSchema: '0013-chat-read' };
    expect(downloadDecision({ ...base, offered: older })).toMatchObject({ download: false });
    expect(downloadDecision({ ...base, offered: { ...older, rollbackFrom: ['1.4.0'] } })).toMatchObject({
      download: true,
      kind: 'rollback',
    });
    expect(
      downloadDecision({ ...base, offered: { ...older, storeSchema: '0012-x', rollbackFrom: ['1.4.0'] } }),
    ).toMatchObject({ download: false, reason: expect.stringMatching(/publish a fixed newer version/) });
  });
});

describe('installing', () => {
  const lagos = (enabled: boolean) => ({
    timezone: 'Africa/Lagos',
    businessHours: { ...DEFAULT_WORKSPACE_SETTINGS.businessHours, enabled },
  });
  const evening = NOW + 7 * 3_600_000; // 20:00 in Lagos, after the 18:00 close

  it('knows closing time only from business hours', () => {
    expect(shopClosed([lagos(true)], NOW)).toBe(false);
    expect(shopClosed([lagos(true)], evening)).toBe(true);
    expect(shopClosed([lagos(false)], evening)).toBe(false);
    expect(shopClosed([lagos(true), lagos(false)], evening)).toBe(true);
  });

  it('installs at closing time only with no conversation going and nothing waiting to be sent', () => {
    const quiet = {
      now: evening,
      downloaded: true,
      closed: true,
      lastChatActivityAt: null,
      outboxPending: 0,
    };
    expect(installDecision(quiet)).toEqual({ install: true });
    expect(installDecision({ ...quiet, downloaded: false })).toMatchObject({ install: false });
    expect(installDecision({ ...quiet, closed: false })).toMatchObject({
      install: false,
      reason: expect.stringMatching(/open/),
    });
    expect(installDecision({ ...quiet, outboxPending: 2 })).toMatchObject({ install: false });
    expect(installDecision({ ...quiet, lastChatActivityAt: evening - QUIET_MS + 1 })).toMatchObject({
      install: false,
    });
    expect(installDecision({ ...quiet, lastChatActivityAt: evening - QUIET_MS })).toEqual({ install: true });
  });
});
