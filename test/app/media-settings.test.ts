// Settings › Photos and files from customers, in real Chromium against the headless host at a desktop
// window (1280x800) and a phone's (390x844): the owner sets the largest file, the space for files and
// how long files are kept, in their own words ("1.5 GB", "2 years"); text that is not a number, an
// empty box or a 0 is refused next to its field in words and nothing is saved, so no typo lifts a cap.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/shared/dto';
import { newAccessToken } from '../../src/server/access-token';
import type { Demo } from '../../src/server/demo';
import type { HeadlessHost } from '../../src/server/host';
import {
  closeAll,
  hasChromium,
  hostApi,
  navLink,
  openPage,
  shotOnFailure,
  signIn,
  SHOTS,
  startDemoHost,
  tempDir,
} from './helpers';

const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

let demo: Demo;
let host: HeadlessHost;
let context: BrowserContext;
let page: Page;
let dir: string;
const token = newAccessToken();
const api = hostApi(() => host.url, token);
const stored = async () => (await api<Workspace[]>('workspace.list', {}))[0]!.settings.media;

describe.skipIf(!hasChromium)('media settings in a browser', () => {
  beforeAll(async () => {
    dir = tempDir('media-settings');
    ({ demo, host } = await startDemoHost(dir, token));
    await api('workspace.create', { name: 'Iya Basira Foods', number: '0803 123 4567' });
    ({ context, page } = await openPage(dir));
    await signIn(page, host.url, token);
  }, 90_000);

  afterAll(() => closeAll({ context, host, demo, dir }));

  afterEach(shotOnFailure(() => page, 'failed-media-settings'));

  for (const size of SIZES) {
    it(`at ${size.name} size, refuses what is not a size or a length of time and saves the owner's words`, async () => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await api('workspace.updateSettings', {
        workspaceId: (await api<Workspace[]>('workspace.list', {}))[0]!.id,
        settings: { media: { maxFileMb: 64, maxWorkspaceMb: 4096, retentionDays: 365 } },
      });
      await page.goto(`${host.url}/#token=${token}`);
      await navLink(page, 'Settings').click();
      const section = page.getByRole('region', { name: 'Photos and files from customers' });
      const largest = page.getByLabel('Largest file');
      const space = page.getByLabel('Space for files');
      const keep = page.getByLabel('Keep files for', { exact: true });
      // What is stored shows: 64 MB, 4 GB, 365 days.
      await expect.poll(() => largest.inputValue()).toBe('64');
      expect(await space.inputValue()).toBe('4');
      expect(await keep.inputValue()).toBe('365');

      // A typo, an empty box and a 0 are refused in words; nothing is saved, nothing becomes unlimited.
      await largest.fill('6o');
      await space.fill('');
      await keep.fill('0');
      await page.getByRole('button', { name: 'Save changes' }).click();
      const errorOf = (field: typeof largest) =>
        section.locator('.pacing__field', { has: field }).locator('.field__error');
      await expect
        .poll(() => errorOf(largest).textContent())
        .toBe('Largest file "6o" is not a size: write e.g. 64 MB or 4 GB');
      expect(await errorOf(space).textContent()).toBe(
        'Space for files is empty: write a size, e.g. 64 MB or 4 GB',
      );
      expect(await errorOf(keep).textContent()).toBe(
        'Keep files for must be at least 1 day. To keep files for ever, tick “Keep files for ever”.',
      );
      expect(await largest.getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByRole('alert').filter({ hasText: 'Some settings need a change' }).count()).toBe(
        1,
      );
      expect(await stored()).toEqual({ maxFileMb: 64, maxWorkspaceMb: 4096, retentionDays: 365 });
      await section.scrollIntoViewIfNeeded();
      await section.screenshot({ path: join(SHOTS, `media-settings-${size.name}-errors.png`) });

      // Out of range: the contract's own limits, in words.
      await largest.fill('5000');
      await space.fill('abc');
      await expect.poll(() => errorOf(largest).textContent()).toBe('Largest file can be at most 2,048 MB');
      expect(await errorOf(space).textContent()).toBe(
        'Space for files "abc" is not a number: write a size, e.g. 64 MB or 4 GB',
      );

      // Put right in the owner's words: each message goes as its field is fixed, then it saves.
      await largest.fill('100 MB');
      await space.fill('1.5 GB');
      await keep.fill('2 years');
      await expect.poll(() => section.locator('.field__error').count()).toBe(0);
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      expect(await stored()).toEqual({ maxFileMb: 100, maxWorkspaceMb: 1536, retentionDays: 730 });
      await expect.poll(() => space.inputValue()).toBe('1.5');
      expect(await keep.inputValue()).toBe('730');

      // Keeping files for ever is its own choice; no number of days shows then.
      await section.getByRole('switch', { name: /Keep files for ever/ }).check({ force: true });
      expect(await keep.count()).toBe(0);
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(async () => (await stored()).retentionDays).toBe(0);
      await section.scrollIntoViewIfNeeded();
      await section.screenshot({ path: join(SHOTS, `media-settings-${size.name}.png`) });
      const width = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(width, 'the page never scrolls sideways').toBeLessThanOrEqual(0);
    }, 60_000);
  }
});
