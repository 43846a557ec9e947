// The owner sends files from the thread: a document from the file picker with its upload progress
// and a caption, a picture pasted from the clipboard, a voice note dropped on the thread; bad files
// (unknown type, too large, empty) and an interrupted upload say what happened in words. Real headless
// host in demo mode, real Baileys client uploading to the local WhatsApp server's HTTPS media host,
// where the customer's phone decrypts each file; real Chromium at a desktop and a phone size.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../../src/server/demo';
import type { HeadlessHost } from '../../src/server/host';
import { newAccessToken } from '../../src/server/access-token';
import type { Workspace } from '../../src/shared/dto';
import {
  closeAll,
  hasChromium,
  hostApi,
  linkDemoShop,
  navLink,
  openPage,
  screenshot,
  shotOnFailure,
  signIn,
  startDemoHost,
  tempDir,
  waitUntil,
} from './helpers';
import { png } from './pictures';

const SHOP = '+2348031234567';
const TUNDE = { phone: '+2348031110061', name: 'Tunde Bello' };
const chat = `${TUNDE.phone.slice(1)}@s.whatsapp.net`;
const MB = 1024 * 1024;
// Two and a half upload pieces: the progress bar moves.
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\nPrice list: rice 65,000 a bag\n'),
  Buffer.alloc(Math.round(1.3 * MB), 0x20),
]);
const PNG = png(240, 160);
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(9000, 5)]);

let demo: Demo;
let host: HeadlessHost;
let context: BrowserContext;
let page: Page;
let dir: string;
let workspaceId: string;
const token = newAccessToken();
const api = hostApi(() => host.url, token);

const fileInput = () => page.locator('input[type="file"][aria-label="File to send"]');
const replyBox = () => page.getByRole('textbox', { name: 'Your reply' });
const chatPreview = () => page.locator(`.chat-item[data-chat-id="${chat}"] .chat-item__preview`);
const customerFiles = () => demo.server.contact(TUNDE.phone).replies.filter((r) => r.media !== undefined);

/** In the page: puts a file on the thread the way the browser does for a paste or a drop. */
const DISPATCH_FILE = `({ target, file }) => {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], file.name, { type: file.type }));
  if (target === 'paste') {
    const box = document.querySelector('textarea[aria-label="Your reply"]');
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  } else {
    const thread = document.querySelector('section.thread');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      thread.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  }
}`;

async function dispatchFile(
  target: 'paste' | 'drop',
  file: { name: string; type: string; base64: string },
): Promise<void> {
  await page.evaluate(`(${DISPATCH_FILE})(${JSON.stringify({ target, file })})`);
}

describe.skipIf(!hasChromium)('sending files from the thread, in a browser', () => {
  beforeAll(async () => {
    dir = tempDir('media-send');
    ({ demo, host } = await startDemoHost(dir, token));
    const created = await api<{ workspace: Workspace; number: { id: string } }>('workspace.create', {
      name: 'Bello Electronics',
      number: '0803 123 4567',
    });
    workspaceId = created.workspace.id;
    await linkDemoShop(api, { workspaceId, phoneNumberId: created.number.id });
    await api('workspace.updateSettings', { workspaceId, settings: { media: { maxFileMb: 8 } } });
    const tunde = demo.server.contact(TUNDE.phone, { name: TUNDE.name });
    await tunde.send(SHOP, 'Please send me your price list');
    await waitUntil(
      async () => (await api<unknown[]>('conversation.list', { workspaceId })).length === 1,
      'the chat',
    );

    ({ context, page } = await openPage(dir, 20_000));
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, host.url, token);
    await navLink(page, 'Conversations').click();
    await page.locator(`.chat-item[data-chat-id="${chat}"]`).click();
  }, 120_000);

  afterAll(() => closeAll({ context, host, demo, dir }));

  afterEach(shotOnFailure(() => page, 'failed-media-send'));

  it('picks a document, shows its upload progress, sends it with a caption, and the customer gets it whole', async () => {
    // Each piece takes a moment on the way, as on a slow shop connection: the progress shows.
    await page.route('**/api/commands/media.uploadChunk', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    await fileInput().setInputFiles({ name: 'price-list.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByText(/Uploading… [1-9]\d?%/).waitFor();
    expect(Number(await page.locator('.attachment__progress').getAttribute('value'))).toBeGreaterThan(0);
    await screenshot(page, 'media-send-progress-1280');
    await page.getByText(/Ready: add a caption/).waitFor();
    await page.unroute('**/api/commands/media.uploadChunk');
    await replyBox().fill('Our prices this week');
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    await waitUntil(async () => customerFiles().length === 1, 'the document on the customer’s phone');
    const [received] = customerFiles();
    expect(received!.text).toBe('Our prices this week');
    expect(received!.media).toMatchObject({ kind: 'document', fileName: 'price-list.pdf' });
    expect(received!.media!.data!.equals(PDF)).toBe(true);

    // The thread shows it as the owner's, with its ticks.
    const bubble = page.locator('.bubble--owner').filter({ hasText: 'price-list.pdf' });
    await bubble.getByText('Our prices this week').waitFor();
    await expect
      .poll(() => bubble.locator('.delivery').getAttribute('data-status'))
      .toMatch(/delivered|read/);
    expect(await page.locator('.attachment__file').count()).toBe(0);
    await screenshot(page, 'media-send-sent-1280');
  });

  it('refuses an unknown type, a file over WhatsApp’s cap and an empty one, in words', async () => {
    await fileInput().setInputFiles({
      name: 'setup.exe',
      mimeType: 'application/x-msdownload',
      buffer: Buffer.from('MZ'),
    });
    await page.getByText('WhatsApp cannot take a .exe file from Switchboard.', { exact: false }).waitFor();
    await fileInput().setInputFiles({
      name: 'shop-front.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(6 * MB, 1),
    });
    await page
      .getByText(
        'A photo can be at most 5.0 MB on WhatsApp; this one is 6.0 MB. Make it smaller, or send it as a PDF document.',
      )
      .waitFor();
    await screenshot(page, 'media-send-too-large-1280');
    await fileInput().setInputFiles({
      name: 'empty.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.alloc(0),
    });
    await page
      .getByText('The file is empty (0 bytes): there is nothing to send. Pick the file again.')
      .waitFor();
    expect(customerFiles()).toHaveLength(1);
  });

  it('an upload cut off says so and loses nothing; the same file then goes', async () => {
    await page.route('**/api/commands/media.uploadChunk', (route) => route.abort('connectionreset'));
    await fileInput().setInputFiles({ name: 'catalogue.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByText(/The upload was interrupted after 0%: Switchboard could not be reached/).waitFor();
    await page.unroute('**/api/commands/media.uploadChunk');
    expect(await page.locator('.attachment__file').count()).toBe(0);
    await fileInput().setInputFiles({ name: 'catalogue.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByText(/Ready: add a caption/).waitFor();
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await waitUntil(async () => customerFiles().length === 2, 'the catalogue on the customer’s phone');
    expect(customerFiles()[1]!.media!.data!.equals(PDF)).toBe(true);
    // Sent without a caption, the chat list names the file, as it does a customer's.
    await expect.poll(() => chatPreview().textContent()).toBe('You: Document: catalogue.pdf');
  });

  it('at phone size: a pasted picture with a caption, and a voice note dropped on the thread', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await replyBox().waitFor();
    await dispatchFile('paste', { name: 'image.png', type: 'image/png', base64: PNG.toString('base64') });
    await page.getByText('pasted-picture.png').waitFor();
    await page.getByText(/Ready: add a caption/).waitFor();
    await replyBox().fill('This is the one in stock');
    // The reply box and Send stay on screen with the file above them.
    const send = page.getByRole('button', { name: 'Send', exact: true });
    const box = await send.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(844);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'media-send-paste-390');
    await send.click();
    await waitUntil(async () => customerFiles().length === 3, 'the picture on the customer’s phone');
    expect(customerFiles()[2]).toMatchObject({ text: 'This is the one in stock', media: { kind: 'image' } });
    expect(customerFiles()[2]!.media!.data!.equals(PNG)).toBe(true);

    await dispatchFile('drop', { name: 'directions.ogg', type: 'audio/ogg', base64: OGG.toString('base64') });
    await page.getByText(/Ready: a voice note goes without a caption/).waitFor();
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await waitUntil(async () => customerFiles().length === 4, 'the voice note on the customer’s phone');
    expect(customerFiles()[3]!.media).toMatchObject({ kind: 'voice', mimetype: 'audio/ogg; codecs=opus' });
    expect(customerFiles()[3]!.media!.data!.equals(OGG)).toBe(true);
    await page
      .locator('.bubble--owner')
      .filter({ hasText: /Play voice note/ })
      .waitFor();
    await expect.poll(() => chatPreview().textContent()).toBe('You: Voice note');
    await screenshot(page, 'media-send-sent-390');
  });

  it('attaches a menu to an FAQ in the editor; the bot then sends it with that answer', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await navLink(page, 'FAQs').click();
    const faq = page.getByRole('listitem', { name: 'Can I pay by transfer?' });
    await faq.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('form', { name: 'Edit FAQ' });
    const menu = Buffer.concat([
      Buffer.from('%PDF-1.4\nAccount: 0123456789 GTBank\n'),
      Buffer.alloc(700_000, 0x20),
    ]);
    await editor
      .locator('input[type="file"][aria-label="File for the answer"]')
      .setInputFiles({ name: 'bank-details.pdf', mimeType: 'application/pdf', buffer: menu });
    await editor.getByText(/Document: bank-details\.pdf/).waitFor();
    await screenshot(page, 'media-send-faq-editor-1280');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    // The list shows which FAQs send a file: a paperclip and its name.
    await faq.locator('.faq__file').getByText('bank-details.pdf').waitFor();
    expect(await faq.locator('.faq__file svg').count()).toBe(1);
    expect(await page.locator('.faq__file').count()).toBe(1);
    await screenshot(page, 'media-send-faq-list-1280');

    // Another customer (the bot keeps out of Tunde's chat while the owner answers there).
    const ada = demo.server.contact('+2348031110062', { name: 'Ada Obi' });
    await ada.send(SHOP, 'Can I pay by transfer?');
    const [reply] = await ada.waitForReplies(1, 20_000);
    expect(reply!.text).toMatch(/^Yes, we accept bank transfer/);
    expect(reply!.media).toMatchObject({ kind: 'document', fileName: 'bank-details.pdf' });
    expect(reply!.media!.data!.equals(menu)).toBe(true);
  });
});
