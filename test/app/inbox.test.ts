// The inbox in real Chromium against the headless host (real core, real SQLite, real Baileys client,
// local WhatsApp server): delivery ticks from the customers' receipts, search that opens a chat at the
// message, quick replies typed with "/", labels set from the thread and used to filter the list, and
// the contact card, at 1280x800 and at a phone's 390x844.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newAccessToken } from '../../src/server/access-token';
import type { Demo } from '../../src/server/demo';
import type { HeadlessHost } from '../../src/server/host';
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
  SHOTS,
  signIn,
  startDemoHost,
  tempDir,
  wideSize,
} from './helpers';
import { contrastProblems, type ContrastProblem } from './contrast';

const SHOP_NUMBER = '+2348031234567';
const ADE = { phone: '+2348031110001', name: 'Adébáyọ̀ Okafor' };
const TUNDE = { phone: '+2348052220002', name: 'Tunde Bakare' };
const chatOf = (phone: string) => `${phone.slice(1)}@s.whatsapp.net`;

let demo: Demo;
let host: HeadlessHost;
let context: BrowserContext;
let page: Page;
let dir: string;
let workspaceId: string;
const token = newAccessToken();

const api = hostApi(() => host.url, token);
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000 });
const row = (phone: string) => page.locator(`.chat-item[data-chat-id="${chatOf(phone)}"]`);
const say = (customer: { phone: string; name: string }, text: string) =>
  demo.server.contact(customer.phone, { name: customer.name }).send(SHOP_NUMBER, text);
const phone = () => phoneSize(page);
const wide = () => wideSize(page);

/**
 * The README's pictures of the inbox: written to docs/screenshots (and committed) when README_SHOTS=1,
 * else beside the other screenshots, so an ordinary run leaves the repository as it was.
 */
const README_SHOTS =
  process.env.README_SHOTS === '1' ? join(import.meta.dirname, '..', '..', 'docs', 'screenshots') : SHOTS;
const readmeShot = (name: string) => page.screenshot({ path: join(README_SHOTS, `${name}.png`) });

/** The thread scrolled so that the customer's photo sits at the top of what shows. */
const showPhoto = () =>
  page
    .locator('.media__picture')
    .last()
    .evaluate((el) => {
      type Box = {
        scrollTop: number;
        closest(selector: string): Box | null;
        getBoundingClientRect(): { top: number };
      };
      const photo = el as unknown as Box;
      const list = photo.closest('ol');
      const bubble = photo.closest('.bubble');
      // Only the thread's own list scrolls: the page stays where the owner sees it.
      if (list !== null && bubble !== null)
        list.scrollTop += bubble.getBoundingClientRect().top - list.getBoundingClientRect().top - 8;
    });

/** What a bank app's transfer receipt looks like, drawn by Chromium: the photo a customer sends. */
const RECEIPT_HTML = `<body style="margin:0;font:13px sans-serif">
<div id="r" style="width:210px;padding:14px;background:#fff;border-top:6px solid #dd4f05;color:#222">
<div style="font-weight:700;color:#dd4f05;font-size:15px">GTBank</div>
<div style="margin:8px 0 2px;color:#2e7d32;font-weight:700">&#10004; Transfer successful</div>
<div style="font-size:22px;font-weight:700">&#8358;65,000.00</div>
<div style="margin-top:8px;color:#555">To MAMA NKECHI STORES</div>
<div style="color:#555">0123456789 &middot; 06 Dec 2026</div>
</div></body>`;

/** Every visible text at WCAG contrast, read once no transition runs (as screens.test.ts does). */
async function expectReadable(what: string): Promise<void> {
  await poll(() =>
    page.evaluate<number>('document.getAnimations().filter((a) => a instanceof CSSTransition).length'),
  ).toBe(0);
  const problems = await page.evaluate<ContrastProblem[]>(contrastProblems);
  expect.soft(problems, `${what}: text under the WCAG contrast minimum`).toEqual([]);
}

describe.skipIf(!hasChromium)('the inbox in a browser', () => {
  beforeAll(async () => {
    dir = tempDir('inbox');
    ({ demo, host } = await startDemoHost(dir, token));
    const shop = await createShop(api, { name: 'Mama Nkechi Stores', number: '0803 123 4567' });
    workspaceId = shop.workspaceId;
    await linkDemoShop(api, shop);
    await api('reply.create', {
      workspaceId,
      title: 'bank details',
      text: 'Pay to GTBank 0123456789, Mama Nkechi Stores. Send the receipt here.',
    });
    await say(ADE, 'Good morning, is the bàtà pupa in size 42 still available?');
    await say(TUNDE, 'I have paid, see the transfer receipt');
    await say(ADE, 'What time do you open?');

    ({ context, page } = await openPage(dir));
    // Tunde's transfer receipt (a real picture) and a voice note, as Nigerian customers pay.
    await page.setContent(RECEIPT_HTML);
    const receipt = await page.locator('#r').screenshot({ type: 'png' });
    const tunde = demo.server.contact(TUNDE.phone, { name: TUNDE.name });
    await tunde.sendMedia(SHOP_NUMBER, { kind: 'image', data: receipt, mimetype: 'image/png' });
    await tunde.sendMedia(SHOP_NUMBER, {
      kind: 'voice',
      data: Buffer.concat([Buffer.from('OggS'), Buffer.alloc(3000, 2)]),
      seconds: 9,
    });
    await wide();
    await signIn(page, host.url, token);
    await navLink(page, 'Conversations').click();
    await row(ADE.phone).waitFor();
  }, 120_000);

  afterAll(async () => {
    await closeAll({ context, host, demo, dir });
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      await screenshot(page, `failed-inbox-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
    await wide();
  });

  it("shows the bot's answer delivered by the customer's phone, with two ticks", async () => {
    await row(ADE.phone).click();
    await page.getByRole('heading', { name: ADE.name }).waitFor();
    const botBubble = page.locator('.bubble--bot').last();
    await poll(() => botBubble.locator('.delivery').getAttribute('data-status')).toMatch(
      /^(delivered|read)$/,
    );
    expect(await botBubble.locator('.delivery').getAttribute('title')).toMatch(/^(Delivered|Read)$/);
    await screenshot(page, '70-inbox-ticks');
  }, 30_000);

  it('finds messages without their accents and opens the chat at the message, at both sizes', async () => {
    for (const size of ['wide', 'phone'] as const) {
      if (size === 'phone') await phone();
      await navLink(page, 'Conversations').click();
      await page.getByLabel('Search conversations').fill('bata PUPA');
      const hit = page.locator('.inbox-search__hit[data-message-id]');
      await poll(() => hit.count()).toBe(1);
      expect(await hit.locator('mark').allTextContents()).toEqual(['bàtà', 'pupa']);
      await screenshot(page, `71-inbox-search-${size}`);
      await expectReadable(`search results (${size})`);
      await hit.click();
      await page.getByRole('heading', { name: ADE.name }).waitFor();
      const found = page.locator('.bubble--found');
      await poll(() => found.textContent()).toContain('bàtà pupa in size 42');
      expect(await found.isVisible()).toBe(true);
      await page.getByLabel('Search conversations').fill('');
    }
    // By number, typed the Nigerian way.
    await page.getByLabel('Search conversations').fill('0805 222');
    await poll(() => page.locator('.inbox-search__hit[data-chat-id]').allTextContents()).toEqual([
      expect.stringContaining(TUNDE.name),
    ]);
    await page.getByLabel('Search conversations').fill('');
  }, 60_000);

  it('finds a message from the Activity log and opens its chat at the message, at both sizes', async () => {
    for (const size of ['wide', 'phone'] as const) {
      if (size === 'phone') await phone();
      await navLink(page, 'Activity log').click();
      await page.getByLabel('Search the log').fill('bata PUPA');
      const more = page.locator('.log-chat-search');
      await more.getByText('Look for “bata PUPA” in your conversations').click();
      const hit = more.locator('.inbox-search__hit[data-message-id]');
      await poll(() => hit.count()).toBe(1);
      expect(await hit.locator('mark').allTextContents()).toEqual(['bàtà', 'pupa']);
      await screenshot(page, `71b-log-chat-search-${size}`);
      await expectReadable(`the log's conversation search (${size})`);
      await hit.click();
      await page.getByRole('heading', { name: ADE.name }).waitFor();
      const found = page.locator('.bubble--found');
      await poll(() => found.textContent()).toContain('bàtà pupa in size 42');
      expect(await found.isVisible()).toBe(true);
    }
    // The log's own search is left as typed; the next visit starts empty.
    await navLink(page, 'Activity log').click();
    expect(await page.getByLabel('Search the log').inputValue()).toBe('');
    await navLink(page, 'Conversations').click();
  }, 60_000);

  it('offers FAQ answers and saved replies after "/", chosen with the keyboard and sent', async () => {
    for (const size of ['wide', 'phone'] as const) {
      if (size === 'phone') {
        await phone();
        await page.getByRole('button', { name: 'Back to chats' }).click();
      }
      await row(TUNDE.phone).click();
      await page.getByRole('heading', { name: TUNDE.name }).waitFor();
      const box = page.getByLabel('Your reply');
      await box.fill('/');
      const menu = page.getByRole('listbox', { name: 'Quick replies' });
      await menu.waitFor();
      // The list says "Loading your replies…" until the first read lands.
      await poll(() => menu.getByRole('option').count()).toBeGreaterThanOrEqual(2);
      await box.pressSequentially('gtb');
      await poll(() => menu.getByRole('option').count()).toBe(1);
      await screenshot(page, `72-inbox-quick-replies-${size}`);
      await expectReadable(`quick replies (${size})`);
      await box.press('Enter');
      await poll(() => box.inputValue()).toBe(
        'Pay to GTBank 0123456789, Mama Nkechi Stores. Send the receipt here.',
      );
      expect(await menu.isVisible()).toBe(false);
      // Edited, then sent.
      await box.press('End');
      await box.pressSequentially(size === 'wide' ? ' Thank you!' : ' Thanks.');
      await box.press('Enter');
      await poll(() => page.locator('.bubble--owner').last().textContent()).toContain(
        size === 'wide' ? 'Send the receipt here. Thank you!' : 'Send the receipt here. Thanks.',
      );
      // Esc closes the list and leaves what was typed.
      await box.fill('/zzz');
      await menu.waitFor();
      await box.press('Escape');
      await poll(() => menu.isVisible()).toBe(false);
      expect(await box.inputValue()).toBe('/zzz');
      await box.fill('');
    }
    const sent = demo.server.contact(TUNDE.phone).replies.filter((r) => r.text.includes('GTBank'));
    expect(sent).toHaveLength(2);
  }, 60_000);

  it('sets labels on a chat from the thread, adds its own, and filters the list by label', async () => {
    await row(ADE.phone).click();
    await page.getByRole('heading', { name: ADE.name }).waitFor();
    await page.locator('.thread__actions').getByRole('button', { name: 'Labels' }).click();
    const panel = page.getByRole('dialog', { name: 'Labels of this chat' });
    await panel.getByLabel('New order').check();
    await poll(() => row(ADE.phone).locator('.label-chip').allTextContents()).toEqual(['New order']);
    await panel.getByRole('button', { name: 'Edit labels' }).click();
    await panel.getByLabel('New label name').fill('Wholesale');
    await panel.getByRole('button', { name: 'Add' }).click();
    await panel.getByLabel('Name of the label Wholesale').waitFor();
    // A name already taken is refused in words.
    await panel.getByLabel('New label name').fill('paid');
    await panel.getByRole('button', { name: 'Add' }).click();
    await poll(() => panel.getByRole('alert').textContent()).toBe(
      'There is already a label called "Paid". Pick another name.',
    );
    await screenshot(page, '73-inbox-labels-edit');
    await expectReadable('the labels panel');
    await panel.getByRole('button', { name: 'Back' }).click();
    await panel.getByLabel('Wholesale').check();
    await poll(() => row(ADE.phone).locator('.label-chip').allTextContents()).toEqual([
      'New order',
      'Wholesale',
    ]);
    await panel.getByRole('button', { name: 'Done' }).click();

    await page.getByLabel('Filter by label').selectOption({ label: 'Wholesale' });
    await poll(() => page.locator('.chat-item').count()).toBe(1);
    await screenshot(page, '74-inbox-labels-filter-wide');
    await expectReadable('the list filtered by label');
    await phone();
    await page
      .getByRole('button', { name: 'Back to chats' })
      .click()
      .catch(() => undefined);
    await poll(() => page.locator('.chat-item').count()).toBe(1);
    await screenshot(page, '74-inbox-labels-filter-phone');
    await page.getByLabel('Filter by label').selectOption({ label: 'All labels' });
    await poll(() => page.locator('.chat-item').count()).toBe(2);
  }, 60_000);

  it('shows the contact card beside the thread (a sheet on a phone): name, notes and labels kept', async () => {
    await row(ADE.phone).click();
    await page.getByRole('heading', { name: ADE.name }).waitFor();
    await page.locator('.thread__actions').getByRole('button', { name: 'Contact' }).click();
    const card = page.getByRole('complementary', { name: 'Contact card' });
    await poll(() => card.getByTestId('contact-name').textContent()).toBe(ADE.name);
    expect(await card.textContent()).toContain('+234 803 111 0001');
    expect(Number(await card.getByTestId('message-count').textContent())).toBeGreaterThanOrEqual(3);
    expect(await card.locator('.label-chip').allTextContents()).toEqual(['New order', 'Wholesale']);

    await card.getByRole('button', { name: 'Edit name' }).click();
    await card.getByLabel('Name', { exact: true }).fill('   ');
    await card.getByRole('button', { name: 'Save name' }).click();
    expect(await card.getByRole('alert').textContent()).toBe('Type a name, or use the WhatsApp name.');
    await card.getByLabel('Name', { exact: true }).fill('Mrs Adébáyọ̀ (wholesale)');
    await card.getByRole('button', { name: 'Save name' }).click();
    await poll(() => card.getByTestId('contact-name').textContent()).toBe('Mrs Adébáyọ̀ (wholesale)');
    await poll(() => row(ADE.phone).getAttribute('aria-label')).toBe('Mrs Adébáyọ̀ (wholesale)');

    await card
      .getByRole('textbox', { name: 'Private notes' })
      .fill('Buys 10 pairs every month. Prefers delivery after 5pm.');
    await card.getByRole('button', { name: 'Save notes' }).click();
    await card.getByText('Notes saved.').waitFor();
    await card.getByRole('textbox', { name: 'Private notes' }).fill('x'.repeat(2001));
    await card.getByRole('button', { name: 'Save notes' }).click();
    expect(await card.getByRole('alert').textContent()).toBe('Notes are at most 2000 characters.');
    await card
      .getByRole('textbox', { name: 'Private notes' })
      .fill('Buys 10 pairs every month. Prefers delivery after 5pm.');
    await screenshot(page, '75-inbox-contact-wide');
    await expectReadable('the contact card');
    expect(
      (await api<{ notes: string }>('contact.card', { workspaceId, chatId: chatOf(ADE.phone) })).notes,
    ).toBe('Buys 10 pairs every month. Prefers delivery after 5pm.');

    await phone();
    await poll(() => card.isVisible()).toBe(true);
    const box = await card.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(import.meta.dirname, 'screenshots', '75-inbox-contact-phone.png') });
    await expectReadable('the contact card sheet (phone)');
    await card.getByRole('button', { name: 'Close' }).click();
    await poll(() => card.count()).toBe(0);
  }, 60_000);

  it("lists the customer's chats with the shop's other number together on the contact card, at both sizes", async () => {
    // The shop's second number, linked by the demo phone's QR like the first.
    const second = await api<{ id: string; e164: string }>('number.add', {
      workspaceId,
      number: '0805 222 3344',
      label: 'Lekki branch',
    });
    await linkDemoShop(api, { workspaceId, phoneNumberId: second.id });
    const ade = demo.server.contact(ADE.phone, { name: ADE.name });
    await ade.send(second.e164, 'Do you have the same shoe at the Lekki branch?');
    await ade.waitForReplies(ade.replies.length + 1, 15_000).catch(() => undefined);
    for (const size of ['wide', 'phone'] as const) {
      if (size === 'phone') await phone();
      await navLink(page, 'Conversations').click();
      await page
        .getByRole('button', { name: 'Back to chats' })
        .click({ timeout: 1_000 })
        .catch(() => undefined);
      await row(ADE.phone).click();
      await page.locator('.thread__actions').getByRole('button', { name: 'Contact' }).click();
      const card = page.getByRole('complementary', { name: 'Contact card' });
      const numbers = card.locator('.contact-card__numbers li');
      await poll(() => numbers.count()).toBe(2);
      expect(await card.getByRole('heading', { name: 'Chats with your numbers' }).count()).toBe(1);
      expect(await card.locator('.contact-card__number').allTextContents()).toEqual(
        expect.arrayContaining(['+234 803 123 4567', '+234 805 222 3344 · Lekki branch']),
      );
      await screenshot(page, `75b-inbox-contact-two-numbers-${size}`);
      await expectReadable(`the contact card with two numbers (${size})`);
      await card.getByRole('button', { name: 'Close' }).click();
    }
  }, 60_000);

  it('manages saved replies beside the FAQs: add, edit, delete, with the reason when refused', async () => {
    for (const size of ['wide', 'phone'] as const) {
      if (size === 'phone') await phone();
      await navLink(page, 'FAQs').click();
      await page.getByRole('tab', { name: 'Saved replies' }).click();
      await page.getByRole('button', { name: 'New saved reply' }).click();
      const form = page.getByRole('form', { name: 'New saved reply' });
      await form.getByRole('button', { name: 'Add reply' }).click();
      expect(await form.getByRole('alert').textContent()).toBe(
        'Give the reply a short name, e.g. "bank details".',
      );
      await form.getByLabel('Name').fill('n'.repeat(61));
      await form.getByLabel('Reply').fill('We deliver in Lagos the same day.');
      await form.getByRole('button', { name: 'Add reply' }).click();
      await poll(() => form.getByRole('alert').textContent()).toContain(
        'Name is too long (at most 60 characters)',
      );
      await form.getByLabel('Name').fill(`delivery ${size}`);
      await form.getByRole('button', { name: 'Add reply' }).click();
      const item = page.getByRole('listitem', { name: `delivery ${size}` });
      await item.waitFor();
      await item.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('form', { name: 'Edit saved reply' });
      await edit.getByLabel('Reply').fill('We deliver in Lagos the same day, 1,500 naira.');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await poll(() => item.textContent()).toContain('1,500 naira');
      await screenshot(page, `76-inbox-saved-replies-${size}`);
      await item.getByRole('button', { name: `Delete the saved reply delivery ${size}` }).click();
      await poll(() => item.count()).toBe(0);
    }
    expect((await api<{ title: string }[]>('reply.list', { workspaceId })).map((r) => r.title)).toEqual([
      'bank details',
    ]);
  }, 60_000);

  it("takes the README's pictures of the inbox: thread with media, search, quick replies, labels, contact card, phone", async () => {
    mkdirSync(README_SHOTS, { recursive: true });
    await wide();
    await navLink(page, 'Conversations').click();
    // The browser's notification offer is dismissed once, as an owner would.
    await page
      .getByRole('button', { name: 'Not now' })
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    await row(TUNDE.phone).click();
    await page.getByRole('heading', { name: TUNDE.name }).waitFor();
    await page.getByRole('button', { name: 'Show the photo larger' }).last().waitFor();
    await poll(() =>
      page
        .locator('.media__picture img')
        .last()
        .evaluate((img) => {
          const picture = img as unknown as { complete: boolean; naturalWidth: number };
          return picture.complete && picture.naturalWidth > 0;
        }),
    ).toBe(true);
    await showPhoto();
    await readmeShot('inbox-thread');

    await page.getByLabel('Search conversations').fill('receipt');
    await poll(() => page.locator('.inbox-search__hit[data-message-id]').count()).toBeGreaterThanOrEqual(2);
    await readmeShot('inbox-search');
    await page.getByLabel('Search conversations').fill('');

    await row(TUNDE.phone).click();
    const box = page.getByLabel('Your reply');
    await box.fill('/');
    await poll(() =>
      page.getByRole('listbox', { name: 'Quick replies' }).getByRole('option').count(),
    ).toBeGreaterThanOrEqual(2);
    await readmeShot('inbox-quick-replies');
    await box.press('Escape');
    await box.fill('');

    await row(ADE.phone).click();
    await page.locator('.thread__actions').getByRole('button', { name: 'Labels' }).click();
    await page.getByRole('dialog', { name: 'Labels of this chat' }).waitFor();
    await readmeShot('inbox-labels');
    await page
      .getByRole('dialog', { name: 'Labels of this chat' })
      .getByRole('button', { name: 'Done' })
      .click();

    await page.locator('.thread__actions').getByRole('button', { name: 'Contact' }).click();
    const card = page.getByRole('complementary', { name: 'Contact card' });
    await card.getByTestId('contact-name').waitFor();
    await readmeShot('inbox-contact-card');
    await card.getByRole('button', { name: 'Close' }).click();

    await phone();
    await row(TUNDE.phone)
      .click()
      .catch(async () => {
        await page.getByRole('button', { name: 'Back to chats' }).click();
        await row(TUNDE.phone).click();
      });
    await page.getByRole('heading', { name: TUNDE.name }).waitFor();
    await showPhoto();
    await readmeShot('inbox-phone');
  }, 60_000);
});
