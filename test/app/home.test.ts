// Home statistics, the virtual activity log with its export, and the opening-hours and pacing settings,
// in real Chromium against the headless host (real core, real SQLite, real Baileys client, local
// WhatsApp server). Customers here are the simulator's, writing only when the test says so.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HomeStats, LogExportPage } from '../../src/shared/contract';
import type { Workspace } from '../../src/shared/dto';
import { parseCsv } from '../../src/core/bot/faq/faq-csv';
import type { NewEvent } from '../../src/core/store/repositories/event-log';
import { newAccessToken } from '../../src/server/access-token';
import type { Demo } from '../../src/server/demo';
import type { HeadlessHost } from '../../src/server/host';
import {
  closeAll,
  hasChromium,
  hostApi,
  linkDemoShop,
  navLink,
  openPage,
  phoneSize,
  screenshot,
  shotOnFailure,
  SHOTS,
  signIn,
  startDemoHost,
  tempDir,
  wideSize,
} from './helpers';

const SHOP_NUMBER = '+2348031234567';

let demo: Demo;
let host: HeadlessHost;
let context: BrowserContext;
let page: Page;
let dir: string;
let workspaceId: string;
const token = newAccessToken();

const shot = (name: string): Promise<void> => screenshot(page, name);
const api = hostApi(() => host.url, token);
const nav = (name: string) => navLink(page, name);
/** The home screen refreshes at most every 2 s while chats change: give it time. */
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });
const stat = (name: string) => page.locator(`[data-stat="${name}"]`);
/** Today's figures in the chart's table (what a screen reader reads, and the bars are drawn from). */
const todayInChart = (series: string) =>
  page.locator('.bar-chart table tbody tr').last().locator(`td[data-series="${series}"]`);

describe.skipIf(!hasChromium)('home, logs and settings in a browser', () => {
  beforeAll(async () => {
    dir = tempDir('home');
    ({ demo, host } = await startDemoHost(dir, token));

    // A linked shop, set up through the API as an installer would script it.
    const created = await api<{ workspace: Workspace; number: { id: string } }>('workspace.create', {
      name: 'Mama Nkechi Pharmacy',
      number: '0803 123 4567',
    });
    workspaceId = created.workspace.id;
    // A busy shop's history, written before anything else of this workspace (its seqs are the lowest)
    // and two hours back (its entries sit below everything the tests do).
    const base = Date.now() - 2 * 60 * 60_000;
    const rows: NewEvent[] = Array.from({ length: 5_000 }, (_, i) => ({
      ts: base + i * 1000,
      level: i % 50 === 0 ? 'warn' : 'info',
      // Decisions without a reason: the row shows their own message (the sentence's fallback).
      type: 'message.decided',
      workspaceId,
      contactId: null,
      message: `Bulk entry ${i}: faq-answer for 23480${String(i).padStart(8, '0')}@s.whatsapp.net`,
      meta: JSON.stringify({ i, chatId: `23480${String(i).padStart(8, '0')}@s.whatsapp.net` }),
    }));
    await host.app.events.appendBatch(rows);
    // Two weeks of a shop's customer messages (as the pipeline stores them), so the chart has a history.
    await seedHistory(host, workspaceId);
    // Replies at once and every question answered on its own: the figures follow each message.
    await linkDemoShop(api, { workspaceId, phoneNumberId: created.number.id });

    ({ context, page } = await openPage(dir));
    await signIn(page, host.url, token);
  }, 90_000);

  afterAll(async () => {
    await closeAll({ context, host, demo, dir });
  });

  afterEach(shotOnFailure(() => page, 'failed-home'));

  it('home shows today, the answer rate and the chats waiting, live as customers write', async () => {
    await poll(() => stat('messages-in').textContent()).toBe('0');
    expect(await stat('answer-rate').textContent()).toBe('–');
    expect(await stat('handoffs-waiting').textContent()).toBe('0');
    await shot('20-home-stats-empty');

    const chioma = demo.server.contact('+2348031110001', { name: 'Chioma Okafor' });
    const tunde = demo.server.contact('+2348052220002', { name: 'Tunde Bakare' });
    const aisha = demo.server.contact('+2347063330003', { name: 'Aisha Bello' });
    await chioma.send(SHOP_NUMBER, 'What time do you open?');
    await chioma.waitForReplies(1, 10_000);
    await chioma.send(SHOP_NUMBER, 'Do you deliver?');
    await chioma.waitForReplies(2, 10_000);
    await tunde.send(SHOP_NUMBER, 'Do you sell blood pressure machines?'); // no FAQ: goes to a person
    await tunde.waitForReplies(1, 10_000);
    await aisha.send(SHOP_NUMBER, 'I want to speak to a human please'); // a hand-off word
    await aisha.waitForReplies(1, 10_000);

    // No reload: the screen follows the chats' activity by itself.
    await poll(() => stat('messages-in').textContent()).toBe('4');
    await poll(() => stat('answer-rate').textContent()).toBe('50%');
    expect(await stat('answered').textContent()).toBe('2 of 4 questions · 2 handed to you');
    expect(await stat('messages-out').textContent()).toContain('4 replies sent (4 by the bot, 0 by you)');
    await poll(() => stat('handoffs-waiting').textContent()).toBe('2');
    expect(await todayInChart('messagesIn').textContent()).toBe('4');
    expect(await todayInChart('botAnswered').textContent()).toBe('2');
    expect(await todayInChart('handoffs').textContent()).toBe('2');
    expect(await page.locator('.bar-chart table tbody tr').count()).toBe(14);
    const stats = await api<HomeStats>('stats.home', { workspaceId });
    expect(stats.today.date).toBe(
      await page.locator('.bar-chart table tbody tr').last().getAttribute('data-date'),
    );
    expect(await page.locator('.chart-card .card__foot').textContent()).toContain('Africa/Lagos time');

    // The owner answers Tunde from the app: one chat still waits.
    const chats = await api<{ chatId: string; contactName: string | null }[]>('conversation.list', {
      workspaceId,
    });
    const tundeChat = chats.find((c) => c.contactName === 'Tunde Bakare')!.chatId;
    await api('conversation.reply', {
      workspaceId,
      chatId: tundeChat,
      text: 'Yes, Omron ones. Come by today!',
    });
    await poll(() => stat('handoffs-waiting').textContent()).toBe('1');
    await expect
      .poll(() => stat('messages-out').textContent())
      .toContain('5 replies sent (4 by the bot, 1 by you)');

    await page.locator('.bar-chart__group').last().hover();
    await page.locator('.bar-chart__tooltip').waitFor();
    await shot('21-home-stats');
    await page.locator('.stat-grid').screenshot({ path: join(SHOTS, '21c-home-today-cards.png') });
    await page.locator('.chart-card').screenshot({ path: join(SHOTS, '21d-home-chart.png') });
    await phoneSize(page);
    await page.waitForTimeout(300); // the chart redraws at the new width
    await shot('21b-home-stats-phone-width');
    await wideSize(page, 860);
  }, 60_000);

  it('the activity log stays a few dozen rows with thousands of entries, and loads older ones on scroll', async () => {
    await nav('Activity log').click();
    const rowsInDom = page.locator('tr.log-row');
    await rowsInDom.first().waitFor();
    await expect.poll(() => page.locator('.log-foot').textContent()).toContain('scroll down for older ones');
    expect(await rowsInDom.count()).toBeLessThan(50);
    await shot('22-logs-virtual');

    // Scroll to the end again and again: pages of older entries load, the DOM stays small.
    const scroller = page.getByRole('region', { name: 'Log entries' });
    let most = 0;
    for (let i = 0; i < 60; i++) {
      const foot = (await page.locator('.log-foot').textContent()) ?? '';
      if (foot.startsWith('All ')) break;
      await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await page.waitForTimeout(60);
      most = Math.max(most, await rowsInDom.count());
    }
    // The last page made the list longer: to its true end once more.
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(() => rowsInDom.last().textContent()).toContain('Bulk entry 0:');
    const foot = (await page.locator('.log-foot').textContent()) ?? '';
    expect(foot).toMatch(/^All [\d,]+ entries shown/);
    const total = Number(/All ([\d,]+)/.exec(foot)![1]!.replaceAll(',', ''));
    expect(total).toBeGreaterThan(5_000);
    expect(most).toBeLessThan(60);
    // The bottom row is the oldest entry, the first bulk one, rendered with its true position.
    const lastRow = rowsInDom.last();
    expect(await lastRow.textContent()).toContain('Bulk entry 0:');
    expect(Number(await lastRow.getAttribute('aria-rowindex'))).toBe(total);

    // A row opens its details beside the list.
    await page.getByText('Bulk entry 0:', { exact: false }).click();
    const detail = page.getByRole('complementary', { name: 'Log entry details' });
    // The codes and data are behind "Details".
    await detail.getByText('Details', { exact: true }).click();
    await detail.locator('pre').waitFor();
    expect(await detail.locator('pre').textContent()).toContain('"i": 0');
    expect(await detail.locator('code').textContent()).toBe('message.decided');
    await shot('23-logs-scrolled-detail');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });

    // Live: a new entry appears on top without a reload, while the view stays where it was.
    const topBefore = await scroller.evaluate((el) => el.scrollTop);
    host.app.logger.child({ workspaceId }).info('shop.note', 'Fresh entry while scrolled');
    await expect
      .poll(() => page.locator('.log-foot').textContent())
      .toContain(`All ${(total + 1).toLocaleString('en-NG')}`);
    expect(Math.abs((await scroller.evaluate((el) => el.scrollTop)) - topBefore - 40)).toBeLessThanOrEqual(1);
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect.poll(() => rowsInDom.first().textContent()).toContain('Fresh entry while scrolled');
  }, 60_000);

  it('exports what the filters match to a CSV file, with progress', async () => {
    await page.getByLabel('Kind').selectOption('message.');
    await page.getByLabel('Search the log').fill('Bulk entry');
    await expect.poll(() => rowsInDom().first().textContent()).toContain('Bulk entry 4999:');
    await page.getByRole('button', { name: 'Export…' }).click();
    const panel = page.getByRole('region', { name: 'Export the log' });
    await expect
      .poll(() => panel.textContent())
      .toContain('Messages · last 24 hours · containing “Bulk entry”');
    await shot('24-logs-export');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^switchboard-log-mama-nkechi-pharmacy-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const text = readFileSync(await download.path(), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const { rows, errors } = parseCsv(text.slice(1));
    expect(errors).toEqual([]);
    const [header, ...data] = rows.map((r) => r.fields);
    expect(header).toEqual([
      'seq',
      'time_utc',
      'time_local (Africa/Lagos)',
      'what_happened',
      'level',
      'type',
      'message',
      'contact_id',
      'details',
    ]);
    expect(data).toHaveLength(5_000);
    expect(data[0]![6]).toMatch(/^Bulk entry 4999:/);
    expect(data.at(-1)![6]).toMatch(/^Bulk entry 0:/);
    // The sentence names the customer's number as people write it, never the chat id.
    expect(data[0]![3]).toBe('Bulk entry 4999: faq-answer for +234 800 000 4999');
    expect(new Set(data.map((f) => f[0])).size).toBe(5_000);
    await panel.getByRole('status').filter({ hasText: 'Saved switchboard-log-' }).waitFor();
    expect(await panel.getByRole('status').textContent()).toContain('(5,000 entries)');
    await shot('25-logs-exported');

    // The same export over the API, page by page, holds the same entries.
    const first = await api<LogExportPage>('log.export', {
      workspaceId,
      typePrefix: 'message.',
      search: 'Bulk entry',
      format: 'jsonl',
      pageSize: 1000,
    });
    expect(first.total).toBe(5_000);
    await panel.getByRole('button', { name: 'Close' }).click();
    await page.getByLabel('Kind').selectOption('');
    await page.getByLabel('Search the log').fill('');
  }, 60_000);

  it('settings edit opening hours and pacing, with each problem shown next to its field', async () => {
    await nav('Settings').click();
    const hours = page.getByRole('region', { name: 'Opening hours' });
    await hours.getByRole('switch').check({ force: true });
    await hours.getByLabel('Monday closes at').fill('07:00');
    await hours.getByLabel('Add opening hours on Saturday').click();
    const messages = page.getByRole('region', { name: 'Messages to customers' });
    await messages.getByRole('textbox', { name: 'Away message' }).fill('   ');
    await page.getByRole('region', { name: 'Reply pacing' }).getByRole('switch').check({ force: true });
    await page.getByLabel('Replies per minute').fill('0');
    await page.getByLabel('Longest typing time').fill('0.5');
    await page.getByRole('button', { name: 'Save changes' }).click();

    await expect
      .poll(() => page.locator('[data-day="mon"] .field__error').textContent())
      .toBe('Closing time must be after opening time');
    expect(
      await messages.locator('.field__error').filter({ hasText: 'Away message cannot be empty' }).count(),
    ).toBe(1);
    const perMinute = page.getByLabel('Replies per minute');
    expect(await perMinute.getAttribute('aria-invalid')).toBe('true');
    expect(
      await page.locator('.pacing__field', { has: perMinute }).locator('.field__error').textContent(),
    ).toBe('Replies per minute must be at least 1');
    expect(
      await page
        .locator('.pacing__field', { has: page.getByLabel('Longest typing time') })
        .locator('.field__error')
        .textContent(),
    ).toBe('Longest typing time must be at least the shortest');
    expect(await page.getByRole('alert').filter({ hasText: 'Some settings need a change' }).count()).toBe(1);
    // Nothing was saved.
    const [before] = await api<Workspace[]>('workspace.list', {});
    expect(before!.settings.businessHours.enabled).toBe(false);
    await shot('26-settings-errors');
    await hours.screenshot({ path: join(SHOTS, '26b-settings-hours-errors.png') });
    await page
      .getByRole('region', { name: 'Reply pacing' })
      .screenshot({ path: join(SHOTS, '26c-settings-pacing-errors.png') });

    // Fixed one by one, each message goes as its field is put right; then it saves.
    await hours.getByLabel('Monday closes at').fill('00:00'); // midnight
    await expect.poll(() => page.locator('[data-day="mon"] .field__error').count()).toBe(0);
    await messages
      .getByRole('textbox', { name: 'Away message' })
      .fill('We are closed now. We open at 8am and will answer you then.');
    await perMinute.fill('10');
    await page.getByLabel('Longest typing time').fill('6');
    await expect.poll(() => page.locator('.settings .field__error').count()).toBe(0);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const [after] = await api<Workspace[]>('workspace.list', {});
    const settings = after!.settings;
    expect(settings.businessHours.enabled).toBe(true);
    expect(settings.businessHours.days.mon).toEqual([{ open: '08:00', close: '24:00' }]);
    expect(settings.businessHours.days.sat).toEqual([
      { open: '09:00', close: '15:00' },
      { open: '16:00', close: '19:00' },
    ]);
    expect(settings.businessHours.awayMessage).toBe(
      'We are closed now. We open at 8am and will answer you then.',
    );
    expect(settings.pacing).toMatchObject({ perMinute: 10, maxTypingMs: 6000, minTypingMs: 1500, burst: 3 });
    expect(settings.timezone).toBe('Africa/Lagos');
    // Midnight shows as 00:00 again after the reload.
    expect(await hours.getByLabel('Monday closes at').inputValue()).toBe('00:00');
    await shot('27-settings-hours-pacing');
  }, 40_000);

  it('settings edit the messages to customers: their own words, {business} and {hours}, each on or off', async () => {
    await nav('Settings').click();
    const messages = page.getByRole('region', { name: 'Messages to customers' });
    // This shop had its greeting off: switched on, its text shows.
    await messages.getByRole('switch', { name: /Greeting/ }).check({ force: true });
    await messages
      .getByRole('textbox', { name: 'Greeting' })
      .fill('Welcome to {business}! We are open {hours}.');
    // The preview shows what the customer will read.
    await expect
      .poll(() => messages.getByLabel('Greeting as the customer reads it').textContent())
      .toMatch(/^Customer reads: “Welcome to Mama Nkechi Pharmacy! We are open .+\.”$/);
    await messages.getByRole('switch', { name: /Hand-off notice/ }).uncheck({ force: true });
    expect(await messages.getByRole('textbox', { name: 'Hand-off notice' }).count()).toBe(0);
    await messages.screenshot({ path: join(SHOTS, '28-settings-messages.png') });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const [after] = await api<Workspace[]>('workspace.list', {});
    expect(after!.settings.greeting).toEqual({
      enabled: true,
      text: 'Welcome to {business}! We are open {hours}.',
    });
    expect(after!.settings.handoff.messageEnabled).toBe(false);
    // As it was, for the tests that follow.
    await messages.getByRole('switch', { name: /Hand-off notice/ }).check({ force: true });
    await messages.getByRole('switch', { name: /Greeting/ }).uncheck({ force: true });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  }, 40_000);
});

function rowsInDom() {
  return page.locator('tr.log-row');
}

/** 13 earlier days of messages: customers in, bot answers, hand-offs and replies, a few per hour. */
async function seedHistory(target: HeadlessHost, workspace: string): Promise<void> {
  const day = 86_400_000;
  const now = Date.now();
  const values = [];
  let n = 0;
  for (let d = 13; d >= 1; d--) {
    const weekend = new Date(now - d * day).getDay() % 6 === 0;
    const customers = (weekend ? 9 : 18) + ((d * 7) % 11);
    for (let i = 0; i < customers; i++) {
      const at = now - d * day - i * 60_000;
      const outcome = i % 7 === 0 ? 'handoff' : i % 11 === 0 ? null : 'bot';
      const common = {
        workspace_id: workspace,
        business_number: SHOP_NUMBER,
        chat_id: `23480${String(i).padStart(8, '0')}@s.whatsapp.net`,
        contact_id: null,
        text: 'Do you have paracetamol?',
        provider_ts: null,
        created_at: at,
        updated_at: at,
      };
      values.push({
        ...common,
        id: `hist-${++n}`,
        provider_message_id: `HIST-${n}`,
        direction: 'in',
        author: 'contact',
        status: 'processed',
        outcome,
      });
      if (outcome !== null)
        values.push({
          ...common,
          id: `hist-${++n}`,
          provider_message_id: `HIST-${n}`,
          direction: 'out',
          author: 'bot',
          status: 'read',
          outcome: null,
        });
    }
  }
  await target.app.store.db.insertInto('messages').values(values).execute();
}
