// "The owner is told" (issue 13) in real Chromium against the headless host (real core, real SQLite,
// real Baileys client, local WhatsApp server): a customer asking for a person raises a Web
// Notification that opens the chat, the tab title counts the chats needing you, chat rows and the menu
// count unread messages (opening a chat reads it), and "Needs you" lists the longest waiting first.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/shared/dto';
import { newAccessToken } from '../../src/server/access-token';
import type { Demo } from '../../src/server/demo';
import type { HeadlessHost } from '../../src/server/host';
import {
  closeAll,
  createShop,
  hasChromium,
  hostApi,
  launchChromium,
  linkDemoShop,
  navLink,
  screenshot,
  shotOnFailure,
  SHOTS,
  signIn,
  startDemoHost,
  tempDir,
} from './helpers';

const SHOP_NUMBER = '+2348031234567';
const CHIOMA = { phone: '+2348031110001', name: 'Chioma Okafor' };
const TUNDE = { phone: '+2348052220002', name: 'Tunde Bakare' };
const AISHA = { phone: '+2347063330003', name: 'Aisha Bello' };
const chatOf = (phone: string) => `${phone.slice(1)}@s.whatsapp.net`;

let demo: Demo;
let host: HeadlessHost;
let context: BrowserContext;
let page: Page;
let dir: string;
let workspaceId: string;
const token = newAccessToken();

const shot = (name: string, target: Page = page): Promise<void> => screenshot(target, name);
const api = hostApi(() => host.url, token);
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000 });
const row = (phone: string) => page.locator(`.chat-item[data-chat-id="${chatOf(phone)}"]`);
const menuUnread = () =>
  navLink(page, 'Conversations')
    .locator('.nav__count')
    .textContent({ timeout: 500 })
    .catch(() => null);
const say = (customer: { phone: string; name: string }, text: string) =>
  demo.server.contact(customer.phone, { name: customer.name }).send(SHOP_NUMBER, text);

interface Shown {
  title: string;
  body: string | undefined;
  tag: string | undefined;
}
/** How many notifications the page has shown (recorded by CAPTURE_NOTIFICATIONS). */
const shownCount = () => page.evaluate<number>('window.__shown.length');

/**
 * Records every `new Notification(...)` the page makes (headless Chromium draws none), keeping the
 * objects so the test can click one as the owner would; permission stays the browser's own.
 */
const CAPTURE_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  window.__shown = [];
  window.__shownObjects = [];
  class Recorded {
    constructor(title, options) {
      this.title = title;
      this.onclick = null;
      window.__shown.push({ title, body: options && options.body, tag: options && options.tag });
      window.__shownObjects.push(this);
    }
    close() {}
    static get permission() { return Real.permission; }
    static requestPermission(cb) { return Real.requestPermission(cb); }
  }
  window.Notification = Recorded;
})();`;

describe.skipIf(!hasChromium)('notifications, unread counts and Needs you in a browser', () => {
  beforeAll(async () => {
    dir = tempDir('notify');
    ({ demo, host } = await startDemoHost(dir, token));
    const shop = await createShop(api, { name: 'Mama Nkechi Pharmacy', number: '0803 123 4567' });
    workspaceId = shop.workspaceId;
    await linkDemoShop(api, shop);

    context = await launchChromium(join(dir, 'chromium-profile'));
    // The owner allowed notifications for this page (the browser's own permission, not a mock).
    await context.grantPermissions(['notifications'], { origin: host.url });
    await context.addInitScript(CAPTURE_NOTIFICATIONS);
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
    await signIn(page, host.url, token);
    await navLink(page, 'Home').waitFor();
  }, 90_000);

  afterAll(async () => {
    await closeAll({ context, host, demo, dir });
  });

  afterEach(shotOnFailure(() => page, 'failed-notify'));

  it('a customer asking for a person is notified at once, and the tab title counts the chats', async () => {
    expect(await page.evaluate<string>('Notification.permission')).toBe('granted');
    await poll(() => page.title()).toBe('Switchboard');

    // An FAQ the bot answers: unread for the owner, but nobody needs to be told.
    await say(CHIOMA, 'What time do you open?');
    await poll(menuUnread).toBe('1');
    expect(await shownCount()).toBe(0);

    await say(TUNDE, 'I want to speak to a human please');
    await poll(() => shownCount()).toBe(1);
    expect(await page.evaluate<Shown>('window.__shown[0]')).toEqual({
      title: 'Tunde Bakare needs you',
      body: 'They asked for a person ("human"). The bot keeps out until you answer or give the chat back.',
      tag: `chat:${chatOf(TUNDE.phone)}`,
    });
    await poll(() => page.title()).toBe('(1) Switchboard');

    // A second chat needing a person, a little later: the title counts both.
    await new Promise((r) => setTimeout(r, 1_200));
    await say(AISHA, 'Please can I talk to someone? It is about my order');
    await poll(() => shownCount()).toBe(2);
    expect(await page.evaluate<string>('window.__shown[1].title')).toBe('Aisha Bello needs you');
    await poll(() => page.title()).toBe('(2) Switchboard');
    await poll(menuUnread).toBe('3');
    await shot('60-notify-home-menu-unread');
  }, 60_000);

  it('chat rows count unread messages, opening a chat reads it, and the menu follows', async () => {
    await navLink(page, 'Conversations').click();
    await row(CHIOMA.phone).waitFor();
    // The newest chat (Aisha's) opens by itself on a wide screen: it is read at once.
    await page.getByRole('heading', { name: AISHA.name }).waitFor();
    await poll(() => row(AISHA.phone).getAttribute('data-unread')).toBe('0');
    expect(await row(CHIOMA.phone).getAttribute('data-unread')).toBe('1');
    expect(await row(TUNDE.phone).getAttribute('data-unread')).toBe('1');
    expect(await row(TUNDE.phone).locator('.chat-item__unread').textContent()).toBe('1');
    await poll(menuUnread).toBe('2');
    await shot('61-notify-conversations-unread');

    // A message arriving while the chat is open counts as read.
    await say(AISHA, 'Hello? Are you there?');
    await poll(() => page.locator('.bubble--contact').last().textContent()).toContain('Are you there?');
    await new Promise((r) => setTimeout(r, 500));
    await poll(() => row(AISHA.phone).getAttribute('data-unread')).toBe('0');
    await poll(menuUnread).toBe('2');
    expect((await api<{ unread: number }>('conversation.counts', { workspaceId })).unread).toBe(2);

    await row(CHIOMA.phone).click();
    await page.getByRole('heading', { name: CHIOMA.name }).waitFor();
    await poll(() => row(CHIOMA.phone).getAttribute('data-unread')).toBe('0');
    await poll(menuUnread).toBe('1');
  }, 60_000);

  it('Needs you lists only the chats waiting for a person, the longest waiting first', async () => {
    // From the home screen's "Waiting for you" card, as an owner would get there.
    await navLink(page, 'Home').click();
    await page.getByRole('link', { name: 'See who needs you' }).click();
    await poll(() => page.getByRole('button', { name: /^Needs you/ }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await poll(() => page.locator('.chat-item').count()).toBe(2);
    const order = await page
      .locator('.chat-item')
      .evaluateAll((items) => items.map((i) => i.getAttribute('aria-label')));
    expect(order).toEqual([TUNDE.name, AISHA.name]);
    expect(await row(TUNDE.phone).locator('.tag--needs-you').textContent()).toBe(
      'Needs you · waiting under a minute',
    );
    expect(await row(TUNDE.phone).locator('.chat-item__why').textContent()).toBe(
      'They asked for a person ("human")',
    );
    expect(await page.locator('.chat-filter__count').textContent()).toBe('2');
    await shot('62-notify-needs-you');
  });

  it('clicking a notification opens that chat; answering takes it off Needs you and the title', async () => {
    await navLink(page, 'Home').click();
    await page.evaluate('window.__shownObjects[0].onclick()');
    await page.getByRole('heading', { name: TUNDE.name }).waitFor();
    expect(await page.evaluate<string>('window.location.hash')).toBe(
      `#/conversations/${encodeURIComponent(chatOf(TUNDE.phone))}?w=${encodeURIComponent(workspaceId)}`,
    );
    await poll(() => row(TUNDE.phone).getAttribute('data-unread')).toBe('0');
    await poll(menuUnread).toBe(null);
    await page.getByLabel('Your reply').fill('Good afternoon Tunde, I am here. How can I help?');
    await page.getByRole('button', { name: 'Send' }).click();
    await poll(() => page.title()).toBe('(1) Switchboard');
    await page.getByRole('button', { name: /^Needs you/ }).click();
    await poll(() => page.locator('.chat-item').count()).toBe(1);
    await shot('63-notify-answered');
  }, 30_000);

  it('the waiting time moves on by itself', async () => {
    await page.clock.install();
    await page.clock.fastForward('12:00');
    await poll(() => row(AISHA.phone).locator('.tag--needs-you').textContent()).toBe(
      'Needs you · waiting 12 min',
    );
    await shot('64-notify-waiting-12-min');
  }, 30_000);

  it('a browser not asked yet offers an explained Turn on notifications button, not a prompt on load', async () => {
    const other = await launchChromium(join(dir, 'chromium-profile-2'));
    try {
      const fresh = other.pages()[0] ?? (await other.newPage());
      await fresh.goto(`${host.url}/#token=${token}`);
      await navLink(fresh, 'Conversations').click();
      const hint = fresh.getByRole('region', { name: 'Notifications' });
      await hint.waitFor();
      expect(await hint.textContent()).toContain('Get told when a customer needs you');
      expect(await fresh.evaluate<string>('Notification.permission')).toBe('default');
      await shot('65-notify-permission-hint', fresh);
      await navLink(fresh, 'Settings').click();
      const section = fresh.getByRole('region', { name: 'Notifications on this computer' });
      await section.waitFor();
      await section.getByRole('switch').check({ force: true });
      expect(
        await fresh.evaluate<string | null>("localStorage.getItem('switchboard.notificationSound')"),
      ).toBe('on');
      await section.screenshot({ path: join(SHOTS, '66-notify-settings-this-computer.png') });
      // The reminder minutes are the business's, saved with the other hand-over settings.
      const remind = fresh.getByLabel('Remind me after');
      expect(await remind.inputValue()).toBe('10');
      await remind.fill('15');
      await fresh.getByRole('button', { name: 'Save changes' }).click();
      await fresh.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      const saved = await api<Workspace[]>('workspace.list', {});
      expect(saved[0]!.settings.notifications.remindAfterMinutes).toBe(15);
      await fresh
        .locator('.settings__section')
        .filter({ hasText: 'Handing over to you' })
        .screenshot({ path: join(SHOTS, '67-notify-settings-reminders.png') });
    } finally {
      await other.close();
    }
  }, 30_000);
});
