// Settings › AI answers in real Chromium against the headless host and a local LLM server on 127.0.0.1
// (OpenAI protocol): add a provider with its key, test it (a wrong key, then the right one), set the
// budget and what the shop sells; the key never comes back to the page.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLlmServer, type LlmServer } from '../../src/core/bot/ai/testing/llm-server';
import { newAccessToken } from '../../src/server/access-token';
import type { HeadlessHost } from '../../src/server/host';
import type { AiStatus } from '../../src/shared/contract';
import type { Workspace } from '../../src/shared/dto';
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

const KEY = 'sk-proj-shop-key-1234567890abcd';
let llm: LlmServer;
let host: HeadlessHost;
let context: BrowserContext;
let page: Page;
let dir: string;
let workspaceId: string;
const token = newAccessToken();

const api = hostApi(() => host.url, token);
const card = () => page.getByRole('region', { name: 'AI answers' });
const poll = <T>(fn: () => Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout });
async function shot(name: string): Promise<void> {
  await screenshot(page, name);
  await card().screenshot({ path: join(SHOTS, `${name}-card.png`) });
}

describe.skipIf(!hasChromium)('AI answers in the settings screen', () => {
  beforeAll(async () => {
    llm = await startLlmServer('openai', (request) =>
      request.headers.authorization === `Bearer ${KEY}`
        ? { text: 'OK' }
        : { status: 401, body: { error: { message: 'Incorrect API key' } } },
    );
    dir = tempDir('ai-ui');
    host = await startTestHost(dir, token);
    workspaceId = (
      await api<{ workspace: Workspace }>('workspace.create', {
        name: 'Mama Nkechi Pharmacy',
        botMode: 'hybrid',
      })
    ).workspace.id;
    ({ context, page } = await openPage(dir));
    await signIn(page, host.url, token);
    await navLink(page, 'Settings').click();
  }, 90_000);

  afterAll(() => closeAll({ context, host, servers: [llm], dir }));

  it('adds a provider, says plainly when its key is wrong, and works once the right key is saved', async () => {
    await card().waitFor();
    await poll(() => card().getByTestId('ai-problem').textContent()).toContain('No AI provider yet');
    await shot('ai-01-empty');

    await card().getByRole('button', { name: 'Add an AI provider' }).click();
    const form = card().getByRole('form', { name: 'Add an AI provider' });
    await form.getByRole('button', { name: 'OpenAI' }).click();
    await form.getByLabel('Address').fill(`${llm.url}/v1`);
    await form.getByLabel('API key').fill('sk-wrong-key-000000000');
    await shot('ai-02-add-form');
    await form.getByRole('button', { name: 'Save provider' }).click();

    const row = card().locator('[data-provider="openai"]');
    await poll(() => row.textContent()).toContain('API key ending in 0000');
    await row.getByRole('button', { name: 'Test' }).click();
    await poll(() => row.getByRole('status').textContent()).toBe(
      'The provider refused the API key: check it and save it again.',
    );
    await shot('ai-03-wrong-key');

    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = card().getByRole('form', { name: 'Edit openai' });
    await edit.getByLabel('API key').fill(KEY);
    await edit.getByRole('button', { name: 'Save provider' }).click();
    await poll(() => row.textContent()).toContain('API key ending in abcd');
    await row.getByRole('button', { name: 'Test' }).click();
    await poll(() => row.getByRole('status').textContent()).toMatch(
      /^Works \(\d+ ms\)\. gpt-4o-mini answered: "OK"$/,
    );
    expect(await card().getByTestId('ai-problem').count()).toBe(0);
    await shot('ai-04-works');

    // The key never reached the page: only its last four characters did.
    expect(await page.content()).not.toContain(KEY);
    const status = await api<AiStatus>('ai.status', { workspaceId });
    expect(JSON.stringify(status)).not.toContain(KEY);
  });

  it('saves what the shop sells and the budgets; a bad budget is refused next to the form', async () => {
    const about = card().getByRole('form', { name: 'About the shop and budget' });
    await about
      .getByLabel('What the shop sells')
      .fill('Medicines, baby food and cosmetics. Delivery in Lekki and Ajah.');
    await about.getByLabel('Daily budget (US$)').fill('-3');
    await about.getByRole('button', { name: 'Save' }).click();
    await poll(() => about.getByRole('alert').textContent()).toContain('Daily budget cannot be negative');
    await about.getByLabel('Daily budget (US$)').fill('1.5');
    await about.getByLabel('No monthly limit').check();
    await about.getByRole('button', { name: 'Save' }).click();
    await poll(() => about.textContent()).toContain('Saved.');
    const status = await api<AiStatus>('ai.status', { workspaceId });
    expect(status).toMatchObject({
      about: 'Medicines, baby food and cosmetics. Delivery in Lekki and Ajah.',
      budget: { dailyUsd: 1.5, monthlyUsd: null },
    });
    await poll(() => card().locator('[data-fact="spend-day"]').textContent()).toBe('US$0.00 of US$1.50');
    await shot('ai-05-budget');
  });
});
