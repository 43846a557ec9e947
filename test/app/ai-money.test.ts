// Settings › AI answers as a Lagos shop owner sees it, in real Chromium against the headless host with the
// demo WhatsApp server and local LLM servers on 127.0.0.1: prices per provider, each provider's state
// (a rate-limited one cooling down, the smart tier answering instead), spending and budgets in naira at
// the owner's rate, a typo refused in words, and the alert when the budget runs out.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLlmServer, type LlmServer } from '../../src/core/bot/ai/testing/llm-server';
import { newAccessToken } from '../../src/server/access-token';
import type { Demo } from '../../src/server/demo';
import type { HeadlessHost } from '../../src/server/host';
import type { AiStatus } from '../../src/shared/contract';
import type { Workspace } from '../../src/shared/dto';
import {
  closeAll,
  hasChromium,
  hostApi,
  linkDemoShop,
  navLink,
  openPage,
  SHOTS,
  signIn,
  startDemoHost,
  tempDir,
  wideSize,
} from './helpers';

const SHOP_NUMBER = '+2348031234567';
const KEY = 'sk-proj-shop-key-1234567890abcd';
let llm: LlmServer;
let demo: Demo;
let host: HeadlessHost;
let context: BrowserContext;
let page: Page;
let dir: string;
let workspaceId: string;
const token = newAccessToken();

const api = hostApi(() => host.url, token);
const card = () => page.getByRole('region', { name: 'AI answers' });
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000 });
const say = (phone: string, text: string) => demo.server.contact(phone).send(SHOP_NUMBER, text);

/** The card at both window sizes the owner uses: a PC and a phone-sized window. */
async function shots(name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await card().screenshot({ path: join(SHOTS, `${name}-${width}.png`) });
  }
  await wideSize(page);
}

describe.skipIf(!hasChromium)('AI answers: prices, provider states and spend in naira', () => {
  beforeAll(async () => {
    // The fast provider is rate-limited for ten minutes; the smart one answers.
    llm = await startLlmServer('openai', (request) =>
      request.path.startsWith('/fast/')
        ? { status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '600' } }
        : { text: 'Yes, we stock Pampers in sizes 1 to 6.', usage: { input: 900, output: 40 } },
    );
    dir = tempDir('ai-money');
    ({ demo, host } = await startDemoHost(dir, token));
    const created = await api<{ workspace: Workspace; number: { id: string } }>('workspace.create', {
      name: 'Mama Nkechi Pharmacy',
      number: '0803 123 4567',
      botMode: 'hybrid',
    });
    workspaceId = created.workspace.id;
    await linkDemoShop(api, { workspaceId, phoneNumberId: created.number.id });
    for (const [id, tier, model] of [
      ['fast', 'fast', 'gpt-4o-mini'],
      ['smart', 'smart', 'gpt-4o'],
    ] as const) {
      await api('ai.saveProvider', {
        workspaceId,
        provider: { id, kind: 'openai-compatible', baseUrl: `${llm.url}/${id}/v1`, model, tier },
        apiKey: KEY,
      });
    }
    await api('ai.saveProvider', {
      workspaceId,
      provider: {
        id: 'ollama',
        kind: 'openai-compatible',
        baseUrl: `${llm.url}/ollama/v1`,
        model: 'llama3.2',
        tier: 'fast',
        enabled: false,
        needsKey: false,
        price: { inputPerMTok: 0, outputPerMTok: 0 },
      },
    });
    ({ context, page } = await openPage(dir));
    await signIn(page, host.url, token);
    await navLink(page, 'Settings').click();
    await card().waitFor();
  }, 120_000);

  afterAll(() => closeAll({ context, host, demo, servers: [llm], dir }));

  it('sets the currency and a budget in naira; a typo is refused in words and the cap stays', async () => {
    const form = card().getByRole('form', { name: 'About the shop and budget' });
    await form.getByLabel('Currency').fill('NGN');
    await form.getByLabel('₦ per US$1').fill('1500');
    await form.getByLabel('Daily budget (₦)').fill('abc');
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(() => form.getByRole('alert').textContent()).toContain('Daily budget "abc" is not an amount');
    expect((await api<AiStatus>('ai.status', { workspaceId })).budget.dailyUsd).toBe(1);

    await form.getByLabel('Daily budget (₦)').fill('750,50');
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(() => form.textContent()).toContain('Saved.');
    const status = await api<AiStatus>('ai.status', { workspaceId });
    expect(status.currency).toEqual({ code: 'NGN', perUsd: 1500 });
    expect(status.budget.dailyUsd).toBeCloseTo(750.5 / 1500, 9);
    // The monthly budget was left alone: still US$20, now shown as ₦30,000 (not read as ₦20).
    expect(status.budget.monthlyUsd).toBe(20);
    expect(await form.getByLabel('Monthly budget (₦)').inputValue()).toBe('30000');
    await poll(() => card().locator('[data-fact="spend-day"]').textContent()).toBe('₦0.00 of ₦750.50');
    await poll(() => card().locator('[data-fact="rate"]').textContent()).toBe('₦1,500 = US$1');
  });

  it('shows each provider’s price and state: the rate-limited one cools down while the smart one answers', async () => {
    const row = (id: string) => card().locator(`[data-provider="${id}"]`);
    await poll(() => row('fast').locator('[data-fact="price"]').textContent()).toBe(
      'US$0.15 in, US$0.6 out per million tokens (price list)',
    );
    expect(await row('ollama').locator('[data-fact="price"]').textContent()).toBe(
      'Free (costs nothing per message)',
    );
    expect(await row('ollama').textContent()).toContain('No API key needed');

    await say('+2348031110001', 'Do you sell Pampers diapers?');
    await poll(async () => (await api<AiStatus>('ai.status', { workspaceId })).spend.dayCalls).toBe(1);
    await page.reload();
    await card().waitFor();
    await poll(() => row('fast').locator('[data-health]').textContent()).toMatch(
      /^Cooling down until \d\d:\d\d \(HTTP 429\)$/,
    );
    expect(await row('smart').locator('[data-health]').textContent()).toBe('Working');
    // 900 tokens in and 40 out at gpt-4o's US$2.50 / US$10: US$0.00265, ₦3.98 at ₦1,500.
    await poll(() => card().locator('[data-fact="spend-day"]').textContent()).toBe('₦3.98 of ₦750.50');
    await shots('ai-money-01-states');
  });

  it('tells the owner on the AI screen when the budget runs out', async () => {
    const form = card().getByRole('form', { name: 'About the shop and budget' });
    await form.getByLabel('Daily budget (₦)').fill('₦4');
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(() => form.textContent()).toContain('Saved.');
    await say('+2348031110002', 'Do you sell baby wipes?');
    await poll(() => card().getByTestId('ai-alert').textContent()).toContain("Today's AI budget is used up");
    await shots('ai-money-02-budget-used-up');
  });
});
