import { describe, expect, it } from 'vitest';
import { parseUpdateInfo } from 'electron-updater/out/providers/Provider';
import {
  checkFileName,
  chooseRelease,
  feedYaml,
  platformOfChannelFile,
  rolloutBucket,
  type FeedRelease,
  type RolloutRelease,
} from './feed';

const release = (version: string, over: Partial<RolloutRelease> = {}): RolloutRelease => ({
  version,
  state: 'live',
  percent: 100,
  workspaceIds: [],
  ...over,
});
const asker = (installationId: string, workspaceIds: string[] = []) => ({ installationId, workspaceIds });

describe('rollout', () => {
  it('puts an installation in the same bucket every time, and about 30% of many under 30', () => {
    expect(rolloutBucket('inst-a', '1.4.0')).toBe(rolloutBucket('inst-a', '1.4.0'));
    const ids = Array.from({ length: 4000 }, (_, i) => `installation-${i}`);
    const inside = ids.filter((id) => rolloutBucket(id, '1.4.0') < 30).length / ids.length;
    expect(inside).toBeGreaterThan(0.27);
    expect(inside).toBeLessThan(0.33);
  });

  it('offers the newest live release the installation is in, else an older one', () => {
    const releases = [release('1.3.0'), release('1.10.0', { percent: 0 }), release('1.4.0', { percent: 0 })];
    expect(chooseRelease(releases, asker('x'))?.release.version).toBe('1.3.0');
    // Allow-listed workspace: offered whatever the percentage (1.10.0 sorts above 1.4.0 as a version).
    expect(
      chooseRelease(
        releases.map((r) => ({ ...r, workspaceIds: ['pilot'] })),
        asker('x', ['pilot']),
      )?.release.version,
    ).toBe('1.10.0');
    expect(chooseRelease([release('1.4.0', { percent: 0 })], asker('x'))).toBeUndefined();
  });

  it('skips paused releases and names rolled-back ones newer than the offer', () => {
    const releases = [
      release('1.3.0'),
      release('1.4.0', { state: 'rolled-back' }),
      release('1.5.0', { state: 'paused' }),
    ];
    expect(chooseRelease(releases, asker('x'))).toEqual({ release: releases[0], rollbackFrom: ['1.4.0'] });
  });
});

describe('feedYaml', () => {
  const r: FeedRelease = {
    ...release('1.4.0'),
    fileName: 'Switchboard-Setup-1.4.0.exe',
    sha512: 'q'.repeat(86) + '==',
    size: 1234,
    releasedAt: Date.UTC(2026, 0, 2),
    notes: 'Fixes: "quotes"\nand: colons',
    storeSchema: '0013-chat-read',
  };

  it('is the generic provider format, read back by the YAML parser electron-updater uses', () => {
    expect(
      parseUpdateInfo(feedYaml({ release: r, rollbackFrom: ['1.5.0'] }), 'latest.yml', new URL('http://x/')),
    ).toEqual({
      version: '1.4.0',
      files: [{ url: r.fileName, sha512: r.sha512, size: 1234 }],
      path: r.fileName,
      sha512: r.sha512,
      releaseDate: '2026-01-02T00:00:00.000Z',
      releaseNotes: r.notes,
      storeSchema: '0013-chat-read',
      rollbackFrom: ['1.5.0'],
    });
  });
});

describe('names', () => {
  it('maps channel files to platforms', () => {
    expect(platformOfChannelFile('latest.yml')).toBe('win');
    expect(platformOfChannelFile('latest-linux.yml')).toBe('linux');
    expect(platformOfChannelFile('latest-beta.yml')).toBeUndefined();
  });

  it('refuses file names that could leave the release folder', () => {
    expect(checkFileName('Switchboard Setup 1.4.0.exe')).toBeUndefined();
    for (const bad of ['../etc/passwd', 'a/b.exe', 'a\\b.exe', '.hidden', '..', 'a..exe', '', 'x\0.exe'])
      expect(checkFileName(bad)).toMatch(/not an installer file name/);
  });
});
