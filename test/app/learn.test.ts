// Learning from the owner and the clarifying question's setting, in real Chromium against the headless
// host (real core, real SQLite, real Baileys client, local WhatsApp server).
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
  linkDemoShop,
  openPage,
  phoneSize,
  screenshot,
  shotOnFailure,
  signIn,
  startDemoHost,
  tempDir,
  waitUntil,
  wideSize,
} from './helpers';

const SHOP_NUMBER = '+2348031234567';
const QUESTION = 'Do you sell blood pressure machines?';
const ANSWER = 'Yes: Omron, ₦28,000. Come by or we deliver.';

let demo: Demo;
let host: HeadlessHost;
let context: BrowserContext;
let page: Page;
let dir: string;
let workspaceId: string;
const token = newAccessToken();
const api = hostApi(() => host.url, token);
const chatOf = (phone: string) => `${phone.slice(1)}@s.whatsapp.net`;

describe.skipIf(!hasChromium)('teaching the bot from a chat, in a browser', () => {
  beforeAll(async () => {
    dir = tempDir('learn');
    ({ demo, host } = await startDemoHost(dir, token));
    const shop = await createShop(api, { name: 'Mama Nkechi Pharmacy', number: '0803 123 4567' });
    workspaceId = shop.workspaceId;
    await linkDemoShop(api, shop);
    ({ context, page } = await openPage(dir));
    await signIn(page, host.url, token);
  }, 90_000);

  afterAll(async () => {
    await closeAll({ context, host, demo, dir });
  });

  afterEach(shotOnFailure(() => page, 'failed-learn'));

  it('the owner answers by hand, then makes the question a new FAQ from the thread; the bot answers it next time', async () => {
    const tunde = demo.server.contact('+2348052220002', { name: 'Tunde Bakare' });
    await tunde.send(SHOP_NUMBER, QUESTION); // no FAQ: goes to a person
    await wideSize(page);
    await page.goto(
      `${host.url}/#/conversations/${encodeURIComponent(chatOf(tunde.phone))}?w=${encodeURIComponent(workspaceId)}`,
    );
    await expect.poll(() => page.getByText(QUESTION).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    // Nothing to teach before the owner has answered.
    expect(await page.getByRole('region', { name: 'Teach the bot' }).count()).toBe(0);

    await page.getByLabel('Your reply').fill(ANSWER);
    await page.getByRole('button', { name: 'Send' }).click();
    const teach = page.getByRole('region', { name: 'Teach the bot' });
    await teach.waitFor();
    await screenshot(page, 'learn-thread-1280');
    await phoneSize(page);
    await screenshot(page, 'learn-thread-390');
    await wideSize(page);

    await teach.getByRole('button', { name: 'Make it a new FAQ' }).click();
    await expect.poll(() => teach.getByLabel('Answer the bot will send').inputValue()).toBe(ANSWER);
    await teach.getByRole('button', { name: 'Save new FAQ' }).click();
    await page.getByText('Saved as a new FAQ').waitFor();
    const faqs = await api<{ question: string; answer: string }[]>('faq.list', { workspaceId });
    expect(faqs).toContainEqual(expect.objectContaining({ question: QUESTION, answer: ANSWER }));

    // Another customer asks the same: answered by the bot.
    const ada = demo.server.contact('+2348031110001', { name: 'Ada Obi' });
    await ada.send(SHOP_NUMBER, QUESTION);
    await waitUntil(async () => ada.replies.some((r) => r.text === ANSWER), 'the bot to answer the new FAQ');

    // Home says what the bot learned this week.
    await page.goto(`${host.url}/#/?w=${encodeURIComponent(workspaceId)}`);
    const learned = page.getByRole('region', { name: 'What the bot learned this week' });
    await learned.getByText(`New FAQ: ${QUESTION}`).waitFor();
    await screenshot(page, 'learn-home-1280');
  });

  it('Settings › Ask when unsure is switched off and saved through the contract', async () => {
    await page.goto(`${host.url}/#/settings?w=${encodeURIComponent(workspaceId)}`);
    const toggle = page.getByRole('switch', { name: /Ask when unsure/ });
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(true);
    await toggle.uncheck({ force: true });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(
        async () =>
          (await api<Workspace[]>('workspace.list', {})).find((w) => w.id === workspaceId)?.settings.faq
            .clarify,
      )
      .toBe(false);
    await screenshot(page, 'learn-settings-1280');
  });
});
