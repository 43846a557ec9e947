// The thread shows what customers send: a photo (larger on click), a voice note that plays, a document
// saved only when the owner clicks, a location with a map link, and a video over the size cap with
// "Download anyway". Real headless host in demo mode, real Baileys client, local WhatsApp server's
// encrypted media, real Chromium at a desktop and a phone size.
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../../src/server/demo';
import type { HeadlessHost } from '../../src/server/host';
import { newAccessToken } from '../../src/server/access-token';
import {
  closeAll,
  createShop,
  hasChromium,
  hostApi,
  linkDemoShop,
  navLink,
  openPage,
  phoneSize,
  screenshot,
  signIn,
  startDemoHost,
  tempDir,
  wideSize,
} from './helpers';
import { png } from './pictures';

const SHOP = '+2348031234567';
const NGOZI = { phone: '+2348031110031', name: 'Ngozi Eze' };
const chat = `${NGOZI.phone.slice(1)}@s.whatsapp.net`;
const PDF = Buffer.from('%PDF-1.4\nPaid: 65,000 for 1 bag of rice\n%%EOF\n');
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(3000, 2)]);

let demo: Demo;
let host: HeadlessHost;
let context: BrowserContext;
let page: Page;
let dir: string;
let workspaceId: string;
const token = newAccessToken();
const api = hostApi(() => host.url, token);

describe.skipIf(!hasChromium)('media in the thread, in a browser', () => {
  beforeAll(async () => {
    dir = tempDir('media-ui');
    ({ demo, host } = await startDemoHost(dir, token));
    const shop = await createShop(api, { name: 'Mama Ngozi Provisions', number: '0803 123 4567' });
    workspaceId = shop.workspaceId;
    await linkDemoShop(api, shop);
    await api('workspace.updateSettings', { workspaceId, settings: { media: { maxFileMb: 1 } } });
    const ngozi = demo.server.contact(NGOZI.phone, { name: NGOZI.name });
    await ngozi.sendMedia(SHOP, {
      kind: 'image',
      data: png(240, 180),
      mimetype: 'image/png',
      caption: 'I have paid',
    });
    await ngozi.sendMedia(SHOP, { kind: 'voice', data: OGG, seconds: 12 });
    await ngozi.sendMedia(SHOP, { kind: 'document', data: PDF, fileName: 'transfer-receipt.pdf' });
    await ngozi.sendMedia(SHOP, {
      kind: 'location',
      latitude: 6.4541,
      longitude: 3.3947,
      name: 'Balogun Market',
    });
    await ngozi.sendMedia(SHOP, { kind: 'video', data: Buffer.alloc(1024 * 1024 + 1, 4), seconds: 40 });

    ({ context, page } = await openPage(dir, 15_000));
    await wideSize(page);
    await signIn(page, host.url, token);
    await navLink(page, 'Conversations').click();
    await page.locator(`.chat-item[data-chat-id="${chat}"]`).click();
  }, 120_000);

  afterAll(async () => {
    await closeAll({ context, host, demo, dir });
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await screenshot(page, 'failed-media');
  });

  it('shows the photo (larger on click), plays the voice note, saves the document, links the map', async () => {
    const photo = page.getByRole('button', { name: 'Show the photo larger' });
    await expect.poll(() => photo.locator('img').getAttribute('src')).toMatch(/^blob:/);
    await expect
      .poll(() =>
        photo.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(240);
    await expect.poll(() => page.getByText('I have paid').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: /Play voice note · 0:12/ }).waitFor();
    await page.getByText('transfer-receipt.pdf').waitFor();
    await page.getByText('Video too large to download').waitFor();
    await screenshot(page, 'media-thread-1280');

    await photo.click();
    const viewer = page.getByRole('dialog', { name: 'Photo' });
    await viewer.waitFor();
    await screenshot(page, 'media-viewer-1280');
    await viewer.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => viewer.count()).toBe(0);

    await page.getByRole('button', { name: /Play voice note/ }).click();
    const audio = page.locator('audio');
    await expect.poll(() => audio.getAttribute('src')).toMatch(/^blob:/);

    // Nothing is saved until the owner clicks; then the file is the customer's, byte for byte.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download transfer-receipt.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('transfer-receipt.pdf');
    expect(readFileSync(await download.path())).toEqual(PDF);

    const map = page.getByRole('link', { name: /Open in map/ });
    expect(await map.getAttribute('href')).toContain('mlat=6.4541');
    await page.getByText('Balogun Market').waitFor();
  });

  it('a file over the cap says so; "Download anyway" fetches it and it plays', async () => {
    await page.getByRole('button', { name: 'Download anyway' }).click();
    await page.getByRole('button', { name: /Play video · 0:40/ }).waitFor();
    await expect.poll(() => page.getByText('Video too large to download').count()).toBe(0);
  });

  it('fits a phone-sized window', async () => {
    await phoneSize(page);
    await page.getByRole('button', { name: 'Show the photo larger' }).waitFor();
    const width = await page
      .getByRole('button', { name: 'Show the photo larger' })
      .evaluate((el) => el.getBoundingClientRect().width);
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(page, 'media-thread-390');
  });
});
