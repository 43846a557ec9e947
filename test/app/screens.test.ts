// Every screen at a desktop window (1280x800) and a phone's (390x844), in real Chromium against the
// headless host (real core, SQLite, Baileys client and local WhatsApp server): the page never scrolls
// sideways, the main navigation reaches every section, each screen's key controls are on screen with a
// real size, the thread's reply box is visible without scrolling the page, and all text is readable
// (WCAG contrast, measured from the computed colours). Screenshots go to test/app/screenshots.
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogPage } from '../../src/shared/contract';
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
  signIn,
  startDemoHost,
  tempDir,
  waitUntil,
  wideSize,
} from './helpers';
import { contrastProblems, type ContrastProblem } from './contrast';

const SHOP_NUMBER = '+2348031234567';
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const SECTIONS = ['Home', 'Conversations', 'Unanswered', 'FAQs', 'Activity log', 'Settings'] as const;

let demo: Demo;
let host: HeadlessHost;
let context: BrowserContext;
let page: Page;
let dir: string;
let workspaceId: string;
const token = newAccessToken();
const api = hostApi(() => host.url, token);

/** The page itself never scrolls sideways (a wide table scrolls inside its own box). */
async function horizontalOverflow(): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
  vw: number;
  vh: number;
  uncovered: boolean;
}

/** On screen without scrolling the page: a real size, wholly inside the viewport, not covered. */
async function expectInView(locator: Locator, what: string): Promise<void> {
  await locator.waitFor();
  const box: Box = await locator.evaluate((el) => {
    const doc = el.ownerDocument;
    const win = doc.defaultView!;
    const r = el.getBoundingClientRect();
    // What is drawn at the element's centre (clamped into the viewport) must be the element itself.
    const x = Math.min(Math.max(r.left + r.width / 2, 0), win.innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), win.innerHeight - 1);
    const top = doc.elementFromPoint(x, y);
    return {
      left: r.left,
      top: r.top,
      right: r.right,
      bottom: r.bottom,
      width: r.width,
      height: r.height,
      vw: win.innerWidth,
      vh: win.innerHeight,
      uncovered: top !== null && (el === top || el.contains(top) || top.contains(el)),
    };
  });
  expect.soft(box.width, `${what}: width`).toBeGreaterThan(0);
  expect.soft(box.height, `${what}: height`).toBeGreaterThan(0);
  expect
    .soft(
      box.left >= -1 && box.top >= -1 && box.right <= box.vw + 1 && box.bottom <= box.vh + 1,
      `${what} inside the ${box.vw}x${box.vh} viewport (got ${JSON.stringify(box)})`,
    )
    .toBe(true);
  expect.soft(box.uncovered, `${what} is not covered by something else`).toBe(true);
}

/** What every screen must pass: no sideways scroll, readable text; then its screenshot. */
async function checkScreen(size: (typeof SIZES)[number], name: string): Promise<void> {
  expect
    .soft(await horizontalOverflow(), `${name} at ${size.name}: page wider than the window`)
    .toBeLessThanOrEqual(0);
  // Colours are read once no transition runs (a button fading in after a click is not its colour).
  await expect
    .poll(() =>
      page.evaluate<number>('document.getAnimations().filter((a) => a instanceof CSSTransition).length'),
    )
    .toBe(0);
  const problems = await page.evaluate<ContrastProblem[]>(contrastProblems);
  expect.soft(problems, `${name} at ${size.name}: text under the WCAG contrast minimum`).toEqual([]);
  await screenshot(page, `screens-${size.name}-${name}`);
  // The viewport's own picture too: what the owner sees before scrolling.
  await page.screenshot({ path: join(SHOTS_DIR, `screens-${size.name}-${name}-view.png`) });
}

const SHOTS_DIR = join(import.meta.dirname, 'screenshots');

async function goTo(section: (typeof SECTIONS)[number]): Promise<void> {
  const link = navLink(page, section);
  await expectInView(link, `the "${section}" link`);
  await link.click();
  await expect.poll(() => link.getAttribute('aria-current')).toBe('page');
}

describe.skipIf(!hasChromium)('every screen at a desktop and a phone size', () => {
  beforeAll(async () => {
    dir = tempDir('screens');
    ({ demo, host } = await startDemoHost(dir, token));
    ({ context, page } = await openPage(dir));
  }, 120_000);

  afterAll(async () => {
    await closeAll({ context, host, demo, dir });
  });

  it('the first run: the business name and number fields are usable at both sizes', async () => {
    await signIn(page, host.url, token);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      const number = page.getByLabel('WhatsApp number');
      await expectInView(page.getByLabel('Business name'), 'the business name field');
      await expectInView(number, 'the number field');
      expect.soft(await number.evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(200);
      await number.fill('0803 123 4567');
      expect(await number.inputValue()).toBe('0803 123 4567');
      await number.fill('');
      await checkScreen(size, 'first-run');
    }
  }, 60_000);

  it('a shop with chats: every section at both sizes', async () => {
    const shop = await createShop(api, { name: 'Mama Nkechi Pharmacy', number: '0803 123 4567' });
    workspaceId = shop.workspaceId;
    await linkDemoShop(api, shop);
    // Two numbers: each one's Remove button names its number.
    await api('number.add', { workspaceId, number: '0805 222 3344', label: 'Lekki branch' });
    // A question the FAQ answers, a customer who asks for a person, and one nobody has answered.
    const tunde = demo.server.contact('+2348077776666', { name: 'Tunde Bakare' });
    await tunde.send(SHOP_NUMBER, 'Do you deliver?');
    await tunde.waitForReplies(1, 15_000);
    const ada = demo.server.contact('+2348066665555', { name: 'Ada Obi' });
    await ada.send(SHOP_NUMBER, 'I want to speak to a person please');
    await ada.waitForReplies(1, 15_000);
    const chidi = demo.server.contact('+2348055554444', { name: 'Chidi Okafor' });
    await chidi.send(SHOP_NUMBER, 'How much is the blood pressure machine?');
    await waitUntil(
      async () => (await api<unknown[]>('unanswered.list', { workspaceId })).length > 0,
      'an unanswered question',
    );

    // Linking and chatting are normal work: no library notice is a warning or an error (the 515 restart
    // after the scan, libsignal's sessions), here or in the machine's log.
    await host.app.logger.flush();
    for (const scope of [workspaceId, null]) {
      const { events } = await api<LogPage>('log.query', {
        workspaceId: scope,
        minLevel: 'warn',
        limit: 500,
      });
      expect(events.filter((e) => /^(baileys|whatsapp)\./.test(e.type)).map((e) => e.message)).toEqual([]);
    }

    await page.reload();
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      for (const section of SECTIONS) await expectInView(navLink(page, section), `the "${section}" link`);

      await goTo('Home');
      const card = page.locator(`[data-e164="${SHOP_NUMBER}"]`).first();
      await card.scrollIntoViewIfNeeded();
      await expectInView(card, 'the number card');
      // Each number's Remove button says which number it removes, on screen and to a screen reader.
      for (const e164 of ['+234 803 123 4567', '+234 805 222 3344'])
        expect(await page.getByRole('button', { name: `Remove ${e164}`, exact: true }).textContent()).toBe(
          `Remove ${e164}`,
        );
      await checkScreen(size, 'home');

      await goTo('Conversations');
      await page.getByRole('navigation', { name: 'Chats' }).getByText('Ada Obi').click();
      const reply = page.getByLabel('Your reply');
      await expectInView(reply, 'the reply box');
      await expectInView(page.getByRole('button', { name: 'Send' }), 'the Send button');
      await checkScreen(size, 'conversation');

      if (size.name === 'desktop') {
        // Pausing says what it does and until when; the thread then shows the pause's end.
        await page.getByRole('navigation', { name: 'Chats' }).getByText('Tunde Bakare').click();
        const pause = page.getByRole('button', {
          name: /^Pause the bot for 30 minutes \(until \d\d:\d\d\) — you answer this chat$/,
        });
        const until = /until (\d\d:\d\d)/.exec((await pause.textContent()) ?? '')![1]!;
        await pause.click();
        await expect
          .poll(() => page.locator('.thread__state').textContent())
          .toContain(`The bot keeps out of this chat until ${until}`);
        await checkScreen(size, 'conversation-paused');
      }

      await goTo('Unanswered');
      await page.locator('li.unanswered').first().scrollIntoViewIfNeeded();
      await expectInView(page.locator('li.unanswered').first(), 'an unanswered question');
      await checkScreen(size, 'unanswered');

      await goTo('FAQs');
      await expectInView(page.getByRole('button', { name: 'New FAQ' }), 'the New FAQ button');
      await page.evaluate('window.scrollTo(0, 0)');
      await checkScreen(size, 'faqs');

      await goTo('Activity log');
      await expectInView(page.getByLabel('Search the log'), 'the log search');
      const sentence = page.locator('tr.log-row .log-row__message').first();
      await sentence.waitFor();
      // The "what happened" column takes most of the list's width: the sentence is what the owner reads.
      const widths = await sentence.evaluate((el) => ({
        sentence: el.getBoundingClientRect().width,
        list: el.closest('table')!.getBoundingClientRect().width,
      }));
      expect.soft(widths.sentence, 'the sentence column').toBeGreaterThan(widths.list * 0.45);
      await checkScreen(size, 'activity-log');
      // An entry's details open beside (on a phone: over) the list, whole and above the bottom bar.
      await page.locator('tr.log-row').first().click();
      const details = page.getByRole('complementary', { name: 'Log entry details' });
      await details.getByText('Details', { exact: true }).click();
      await expectInView(details.locator('pre'), 'the entry’s data');
      await expectInView(details.getByRole('button', { name: 'Close details' }), 'the Close button');
      await checkScreen(size, 'activity-log-detail');
      await page.keyboard.press('Escape');
      await details.waitFor({ state: 'detached' });
      if (size.name === 'desktop') {
        // Found by the customer's name; each row one sentence naming them.
        await page.getByLabel('Search the log').fill('tunde');
        const rows = page.locator('tr.log-row .log-row__message');
        await expect
          .poll(async () => {
            const texts = await rows.allTextContents();
            return texts.length > 0 && texts.every((t) => t.includes('Tunde Bakare'));
          })
          .toBe(true);
        expect(await rows.allTextContents()).toContain(
          'Answered Tunde Bakare’s question with the FAQ “Do you deliver?”',
        );
        await rows.first().click();
        const detail = page.getByRole('complementary', { name: 'Log entry details' });
        await detail.getByText('Details', { exact: true }).click();
        await checkScreen(size, 'activity-log-search');
        await page.keyboard.press('Escape');
        await page.getByLabel('Search the log').fill('');
      }

      await goTo('Settings');
      await expectInView(page.getByLabel('Business name'), 'the business name setting');
      // The last control of the longest screen, scrolled to: above the bottom bar, not under it.
      const save = page.getByRole('button', { name: 'Save changes' });
      await save.scrollIntoViewIfNeeded();
      await expectInView(save, 'the Save changes button');
      await page.evaluate('window.scrollTo(0, 0)');
      await checkScreen(size, 'settings');
    }

    // Linking a number on a phone-sized window: the QR code is on screen, whole, without scrolling sideways.
    await phoneSize(page);
    await goTo('Home');
    await page
      .locator('[data-e164="+2348052223344"]')
      .getByRole('button', { name: 'Link this number' })
      .click();
    const qr = page.locator('svg.qr[data-qr]');
    await qr.scrollIntoViewIfNeeded();
    await expectInView(qr, 'the QR code');
    await checkScreen(SIZES[1], 'pair');
    await wideSize(page);
  }, 180_000);
});
