// "Connect an official number" in real Chromium against the headless host and the local Graph API
// server on 127.0.0.1: from Home's "Add a number", a wrong token is refused with what to fix, the right
// one is checked live and shows the display number, verified name and quality rating; the number card
// on Home then shows the name and rating, and the token never reaches the page.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/core/testing/webhook-receiver';
import type { CloudApiProvider } from '../../src/core/whatsapp/cloud-api/cloud-api-provider';
import { newAccessToken } from '../../src/server/access-token';
import type { HeadlessHost } from '../../src/server/host';
import type { CloudStatus } from '../../src/shared/contract';
import type { Workspace } from '../../src/shared/dto';
import {
  startGraphApiServer,
  type GraphApiServer,
  type SimNumber,
} from '../../src/simulator/graph-api/index';
import {
  closeAll,
  hasChromium,
  hostApi,
  navLink,
  openPage,
  screenshot,
  SHOTS,
  signIn,
  startTestHost,
  tempDir,
} from './helpers';
import { NEW_STOCK_TEMPLATE, STORE_LOCATION_TEMPLATE } from '../../src/simulator/graph-api/sample-templates';

const SHOP = '+2348090000001';
const DAY = 24 * 60 * 60 * 1000;
let sim: GraphApiServer;
let receiver: WebhookReceiver;
let simNumber: SimNumber;
let host: HeadlessHost;
let context: BrowserContext;
let page: Page;
let dir: string;
let workspaceId: string;
const token = newAccessToken();

const api = hostApi(() => host.url, token);
const poll = <T>(fn: () => Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout });
const form = () => page.getByRole('form', { name: 'Connect an official number' });
/** A screenshot in a taller window, where a template's boxes all show without scrolling. */
async function tallScreenshot(name: string): Promise<void> {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: size.width, height: 1240 });
  await screenshot(page, name);
  await page.setViewportSize(size);
}

describe.skipIf(!hasChromium)('connecting an official number from Home', () => {
  beforeAll(async () => {
    // Meta's clock runs a day and an hour behind ours: what a customer writes is already outside the
    // 24-hour window when it arrives (as after a weekend with the PC off).
    sim = await startGraphApiServer({
      startTime: Date.now() - DAY - 60 * 60 * 1000,
      statuses: { delayMs: 10 },
    });
    simNumber = sim.addNumber({ phone: SHOP, verifiedName: 'Mama Nkechi Pharmacy', qualityRating: 'YELLOW' });
    dir = tempDir('cloud-ui');
    host = await startTestHost(dir, token, {
      whatsapp: { livenessIntervalMs: 0, cloudApi: { healthIntervalMs: 0 } },
    });
    workspaceId = (
      await api<{ workspace: Workspace }>('workspace.create', {
        name: 'Mama Nkechi Pharmacy',
        botMode: 'faq',
      })
    ).workspace.id;
    // The relay is another slice: a receiver hands the signed webhooks to the host's Cloud provider.
    receiver = await startWebhookReceiver({
      appSecret: sim.appSecret,
      deliver: (notification) => {
        try {
          const provider = host.app.connections.provider(workspaceId as never, SHOP as never);
          (provider as CloudApiProvider).handleWebhook(notification);
          return true;
        } catch {
          return false;
        }
      },
    });
    sim.setWebhookUrl(receiver.url);
    ({ context, page } = await openPage(dir));
    await signIn(page, host.url, token);
  }, 90_000);

  afterAll(() => closeAll({ context, host, servers: [receiver, sim], dir }));

  it('refuses a wrong token with what to fix, then connects and shows what Meta says about the number', async () => {
    await page.getByRole('button', { name: 'Add a number' }).click();
    await page.getByRole('button', { name: 'Connect an official number instead' }).click();
    await form().getByLabel('Phone number ID').fill(simNumber.phoneNumberId);
    await form().getByLabel('WhatsApp Business Account ID').fill(simNumber.wabaId);
    await form().getByLabel('Access token').fill('EAAGthis-token-is-not-valid-000000');
    await form().getByText('Webhooks on this computer and advanced settings').click();
    await form().getByLabel('Graph API address').fill(sim.url);
    await screenshot(page, 'cloud-01-form');
    await form().getByRole('button', { name: 'Check and connect' }).click();
    await poll(() => form().getByRole('alert').textContent()).toContain(
      'The access token was refused: create a new system-user token',
    );
    await form().screenshot({ path: join(SHOTS, 'cloud-02-wrong-token.png') });
    expect((await api<CloudStatus>('cloud.status', { workspaceId })).numbers).toEqual([]);

    await form().getByLabel('Access token').fill(simNumber.accessToken);
    await form().getByRole('button', { name: 'Check and connect' }).click();
    const result = page.getByRole('region', { name: 'Connect an official number' });
    await poll(() => result.getByRole('status').textContent()).toContain('Connected.');
    expect(await result.locator('[data-fact="verified-name"]').textContent()).toBe('Mama Nkechi Pharmacy');
    expect(await result.locator('[data-fact="display-number"]').textContent()).toMatch(/809/);
    expect(await result.locator('[data-fact="quality"]').textContent()).toBe('Medium quality');
    await result.screenshot({ path: join(SHOTS, 'cloud-03-connected.png') });
    await result.getByRole('button', { name: 'Done' }).click();
  });

  it('shows the Cloud number on Home with its name and quality rating; the token never reaches the page', async () => {
    const card = page.getByRole('article', { name: /WhatsApp number/ });
    await poll(() => card.textContent()).toContain('Connected');
    const cloud = card.getByTestId('cloud-number');
    await poll(() => cloud.textContent()).toContain('Mama Nkechi Pharmacy');
    expect(await cloud.textContent()).toContain('Medium quality');
    expect(await card.getByRole('button', { name: 'Link this number' }).count()).toBe(0);
    await poll(() => page.getByTestId('cloud-spend').textContent()).toContain('WhatsApp Cloud this month');
    await screenshot(page, 'cloud-04-home');

    // "New token" opens the form with the number's IDs filled in; only the token is asked for.
    await card.getByRole('button', { name: 'New token' }).click();
    const tokenForm = page.getByRole('form', { name: 'Update the access token' });
    expect(await tokenForm.getByLabel('Phone number ID').inputValue()).toBe(simNumber.phoneNumberId);
    expect(await tokenForm.getByLabel('WhatsApp Business Account ID').inputValue()).toBe(simNumber.wabaId);
    expect(await tokenForm.getByLabel('Access token').inputValue()).toBe('');
    expect(await tokenForm.textContent()).toContain(`…${simNumber.accessToken.slice(-4)}`);
    await screenshot(page, 'cloud-04b-new-token');
    await tokenForm.getByRole('button', { name: 'Cancel' }).click();
    expect(await tokenForm.count()).toBe(0);
    expect(await page.content()).not.toContain(simNumber.accessToken);
    const status = await api<CloudStatus>('cloud.status', { workspaceId });
    expect(JSON.stringify(status)).not.toContain(simNumber.accessToken);
    expect(status.numbers[0]).toMatchObject({
      verifiedName: 'Mama Nkechi Pharmacy',
      qualityRating: 'YELLOW',
    });
  });

  it('a chat whose 24-hour window has closed offers the approved templates instead of the reply box', async () => {
    const customer = sim.customer('+2348031234567', { name: 'Emeka Obi' });
    await customer.send(SHOP, 'Good morning, is my order ready?');
    await navLink(page, 'Conversations').click();
    await page
      .getByRole('button', { name: /Emeka Obi/ })
      .first()
      .click();
    const picker = page.getByRole('form', { name: 'Send a template' });
    await poll(() => picker.getByRole('status').textContent()).toContain(
      'This customer last wrote more than 24 hours ago: WhatsApp only allows a template now.',
    );
    expect(await page.getByRole('form', { name: 'Reply' }).count()).toBe(0);
    await poll(() => picker.getByLabel('Template').locator('option').count()).toBeGreaterThan(0);
    await picker.getByLabel('Template').selectOption({ label: 'hello_world (en_US) — Hello World' });
    await screenshot(page, 'cloud-05-window-closed');
    await picker.getByRole('button', { name: 'Send template' }).click();
    // The bot's hand-off note for the stale message may go out before or after: find the template.
    const templateReply = (name: string) => customer.replies.find((r) => r.template === name);
    await poll(async () => templateReply('hello_world')).toBeDefined();
    const thread = page.getByRole('region', { name: /Conversation with/ });
    await poll(() => thread.textContent()).toContain('Hello World');
    await screenshot(page, 'cloud-06-template-sent');

    // A template with a value: a box per placeholder, a preview as the customer will read it, and
    // the button waits until every value is filled in.
    await picker.getByLabel('Template').selectOption({
      label: 'order_ready (en) — Your order {{1}} is ready for pick-up.',
    });
    const send = picker.getByRole('button', { name: 'Send template' });
    expect(await send.isDisabled()).toBe(true);
    await picker.getByPlaceholder('Value 1').fill('ORD-1042');
    expect(await picker.getByLabel('Message preview').textContent()).toBe(
      'Your order ORD-1042 is ready for pick-up.',
    );
    await screenshot(page, 'cloud-07-template-values');
    await send.click();
    await poll(async () => templateReply('order_ready')).toBeDefined();
    expect(templateReply('order_ready')).toMatchObject({
      template: 'order_ready',
      text: 'Your order ORD-1042 is ready for pick-up.',
    });
    await poll(() => thread.textContent()).toContain('Your order ORD-1042 is ready for pick-up.');
    // The API refuses a typed reply just the same.
    await expect(
      api('conversation.reply', {
        workspaceId,
        chatId: (await api<{ chatId: string }[]>('conversation.list', { workspaceId }))[0]!.chatId,
        text: 'Hello?',
      }),
    ).rejects.toThrow('WhatsApp only allows a template now');
  });

  it('sends a template with an image header and a link button: a box for each, checked as typed, and a preview', async () => {
    sim.setTemplates(simNumber.wabaId, [
      {
        name: 'hello_world',
        language: 'en_US',
        status: 'APPROVED',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Hello World' }],
      },
      NEW_STOCK_TEMPLATE,
      STORE_LOCATION_TEMPLATE,
    ]);
    // The composer reads the templates when the chat opens: open it again.
    await navLink(page, 'Home').click();
    await navLink(page, 'Conversations').click();
    await page
      .getByRole('button', { name: /Emeka Obi/ })
      .first()
      .click();
    const picker = page.getByRole('form', { name: 'Send a template' });
    const template = picker.getByLabel('Template');
    await poll(() => template.locator('option').count()).toBe(3);
    expect(await template.locator('option', { hasText: 'store_location' }).isDisabled()).toBe(true);
    expect(await template.locator('option', { hasText: 'store_location' }).textContent()).toContain(
      'cannot be sent from here: its header is a location',
    );
    await template.selectOption({ label: 'new_stock (en) — New stock of {{1}} just came in!' });

    const send = picker.getByRole('button', { name: 'Send template' });
    const link = picker.getByLabel('Image link');
    const buttonValue = picker.getByLabel('“See it” link');
    expect(await send.isDisabled()).toBe(true);
    expect(await picker.textContent()).toContain('A public https link to the image');
    expect(await picker.textContent()).toContain('https://shop.ng/p/…');
    // Wrong values: what to fix, next to the box, and the button waits.
    await link.fill('http://cdn.shop.ng/ankara.jpg');
    await picker.getByPlaceholder('Value 1').fill('Ankara fabric');
    await buttonValue.fill('ankara 6yd');
    const problems = picker.getByRole('alert');
    await poll(() => problems.allTextContents()).toEqual([
      'The link must start with https:// (WhatsApp only fetches the file from a secure public link).',
      'The value has a space or a new line in it, which cannot go into a link.',
    ]);
    expect(await link.getAttribute('aria-invalid')).toBe('true');
    expect(await send.isDisabled()).toBe(true);
    await tallScreenshot('cloud-08-template-media-errors');

    await link.fill('https://cdn.shop.ng/ankara.jpg');
    await buttonValue.fill('ankara-6yd');
    await poll(() => problems.count()).toBe(0);
    const preview = picker.getByRole('group', { name: 'Message preview' });
    expect(await preview.textContent()).toBe(
      'Image: ankara.jpgNew stock of Ankara fabric just came in!Stop promotionsSee it',
    );
    expect(await send.isDisabled()).toBe(false);
    await tallScreenshot('cloud-09-template-media');

    // In the usual window the boxes scroll inside the composer: the button is still within reach.
    await send.scrollIntoViewIfNeeded();
    expect(await send.isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'cloud-09b-template-media-scrolled.png') });
    await send.click();
    const customer = sim.customer('+2348031234567');
    await poll(async () => customer.replies.find((r) => r.template === 'new_stock')).toBeDefined();
    // What the simulated Graph API received: Meta's header, body and button components.
    expect(sim.sent.findLast((m) => m.template === 'new_stock')!.components).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.shop.ng/ankara.jpg' } }] },
      { type: 'body', parameters: [{ type: 'text', text: 'Ankara fabric' }] },
      { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'ankara-6yd' }] },
    ]);
    const thread = page.getByRole('region', { name: /Conversation with/ });
    await poll(() => thread.textContent()).toContain('[image] New stock of Ankara fabric just came in!');
    expect(await thread.textContent()).toContain('[See it: https://shop.ng/p/ankara-6yd]');
    await screenshot(page, 'cloud-10-template-media-sent');
  });
});
