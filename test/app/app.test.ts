// The UI in real Chromium (Debian's /usr/bin/chromium driven by playwright-core) against the headless
// host: the real core, a real SQLite file, the real Baileys client and the local WhatsApp server.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newAccessToken } from '../../src/server/access-token';
import { startDemo, type Demo } from '../../src/server/demo';
import type { HeadlessHost } from '../../src/server/host';
import {
  callApi,
  closeAll,
  hasChromium,
  navLink,
  openPage,
  phoneSize,
  screenshot,
  shotOnFailure,
  startTestHost,
  tempDir,
  wideSize,
} from './helpers';

const SHOP_NUMBER = '+2348031234567';
const SECOND_NUMBER = '+2348052223344';

let demo: Demo;
let host: HeadlessHost;
let context: BrowserContext;
let page: Page;
let dir: string;
const token = newAccessToken();

const shot = (name: string, target: Page = page): Promise<void> => screenshot(target, name);
const api = (name: string, input: unknown): Promise<unknown> => callApi(host.url, token, name, input);
const nav = (name: string) => navLink(page, name);
const badge = (e164: string) => page.locator(`[data-e164="${e164}"] .badge`);

describe.skipIf(!hasChromium)('the app in a browser', () => {
  beforeAll(async () => {
    dir = tempDir('app');
    demo = await startDemo({ intervalMs: 2_000, firstMessageAfterMs: 300, seedFaqs: false });
    host = await startTestHost(dir, token, {
      demo,
      // A short, fixed first backoff so "reconnecting" is on screen long enough to see, then goes.
      whatsapp: { livenessIntervalMs: 0, random: () => 1, policy: { baseDelayMs: 1_500, maxDelayMs: 3_000 } },
    });
    ({ context, page } = await openPage(dir));
  }, 60_000);

  afterAll(() => closeAll({ context, host, demo, dir }));

  afterEach(shotOnFailure(() => page, 'failed'));

  it('refuses a wrong access token', async () => {
    await page.goto(`${host.url}/#token=${newAccessToken()}`);
    await expect.poll(() => page.getByText('That access token was not accepted').isVisible()).toBe(true);
    expect(await page.evaluate('window.location.hash')).toBe('#/');
    await shot('01-token-refused');
  });

  it('first run: creates the workspace, pairs by QR, and shows the number connected', async () => {
    // The token form on the refusal screen, as an owner would retype it.
    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Business name').fill('Mama Nkechi Pharmacy');
    await page.getByLabel('WhatsApp number').fill('0803 123 4567');
    await shot('02-first-run');
    await page.getByRole('button', { name: 'Continue' }).click();

    const qr = page.locator('svg.qr[data-qr]');
    await qr.waitFor();
    await expect.poll(() => page.locator('.countdown').textContent()).toMatch(/New code in \d+ s/);
    await shot('03-pair-qr');
    // The simulated phone scans exactly the QR the page received.
    await demo.server.scanQr((await qr.getAttribute('data-qr'))!, SHOP_NUMBER);
    await page.getByText('WhatsApp is linked').waitFor({ timeout: 15_000 });
    await shot('04-paired');
    await page.getByRole('button', { name: 'Go to your dashboard' }).click();

    await expect.poll(() => badge(SHOP_NUMBER).textContent()).toBe('Connected');
    await page.locator('.message-list__item').first().waitFor({ timeout: 10_000 });
    await shot('05-home-connected');
    await phoneSize(page);
    await shot('05b-home-phone-width');
    await wideSize(page, 860);
  }, 40_000);

  it('the FAQ editor creates, edits, switches off and searches FAQs', async () => {
    await nav('FAQs').click();
    await page.getByText('No FAQs yet').waitFor();
    await shot('06-faqs-empty');
    await page.getByRole('button', { name: 'New FAQ' }).click();
    const editor = page.getByRole('form', { name: 'New FAQ' });
    await editor.getByLabel('Question', { exact: true }).fill('Do you deliver?');
    await editor
      .getByLabel('Other ways customers ask it')
      .fill('Can you deliver to Lekki?\nDo you do delivery');
    await editor.getByLabel('Answer', { exact: true }).fill('Yes, within Lagos the same day.');
    await shot('07-faq-editor');
    await editor.getByRole('button', { name: 'Add FAQ' }).click();
    const item = page.getByRole('listitem', { name: 'Do you deliver?' });
    await item.waitFor();
    expect(await item.textContent()).toContain('Can you deliver to Lekki?');

    await item.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit FAQ' });
    await edit.getByLabel('Answer', { exact: true }).fill('Yes! Same day within Lagos, from ₦1,500.');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => item.locator('.faq__answer').textContent())
      .toBe('Yes! Same day within Lagos, from ₦1,500.');

    await api('faq.create', {
      workspaceId: ((await api('workspace.list', {})) as { id: string }[])[0]!.id,
      question: 'What time do you open?',
      answer: 'Monday to Saturday, 8am to 6pm.',
      phrasings: ['When do you open?', 'Opening hours', 'Are you open on Sunday?', 'Are you open today?'],
    });
    await page.getByRole('listitem', { name: 'What time do you open?' }).waitFor(); // arrived by event
    await item.getByRole('switch').uncheck({ force: true });
    await expect.poll(() => item.getAttribute('class')).toContain('faq--off');
    await shot('08-faqs-list');
    await page.getByLabel('Search FAQs').fill('lagos');
    await expect.poll(() => page.locator('.faq').count()).toBe(1);
    await page.getByLabel('Search FAQs').fill('');
  });

  it('the logs view shows entries, filters them and tails new ones live', async () => {
    await nav('Activity log').click();
    const rows = page.locator('tr.log-row');
    await rows.first().waitFor();
    const typesInView = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-type')));
    const types = await typesInView();
    await shot('09-logs');
    // The list is virtual (only the rows in view exist): the oldest entries are at its bottom.
    await page
      .getByRole('region', { name: 'Log entries' })
      .evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(typesInView).toContain('workspace.created');
    types.push(...(await typesInView()));
    expect(types).toEqual(expect.arrayContaining(['workspace.created', 'faq.created', 'connection.changed']));
    await page.getByRole('region', { name: 'Log entries' }).evaluate((el) => el.scrollTo({ top: 0 }));

    await page.getByLabel('Kind').selectOption('faq.');
    await expect
      .poll(async () =>
        (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-type')))).every((t) =>
          t?.startsWith('faq.'),
        ),
      )
      .toBe(true);
    await rows.first().click();
    await page.locator('.log-detail').getByText('Details', { exact: true }).click();
    await page.locator('.log-detail pre').waitFor();
    await shot('10-logs-filtered');

    const before = await rows.count();
    const workspaceId = ((await api('workspace.list', {})) as { id: string }[])[0]!.id;
    await api('faq.create', { workspaceId, question: 'Can I pay by transfer?', answer: 'Yes.' });
    await expect.poll(() => rows.count()).toBe(before + 1);
    expect(await rows.first().textContent()).toContain('Can I pay by transfer?');

    await page.getByLabel('Level').selectOption('warn');
    await page.getByText('Nothing matches these filters.').waitFor();
    await page.getByLabel('Level').selectOption('all');
    await page.getByLabel('Kind').selectOption('');
  });

  it('main flow: a customer asks, the bot answers from the FAQ, the owner edits it, the new answer goes out', async () => {
    const workspaceId = ((await api('workspace.list', {})) as { id: string }[])[0]!.id;
    // No typing time, no greeting and no flood window: the replies come at once and each question is answered.
    await api('workspace.updateSettings', {
      workspaceId,
      settings: { pacing: { enabled: false }, greeting: { enabled: false }, floodGuard: { enabled: false } },
    });

    // The owner writes an FAQ in the UI.
    await nav('FAQs').click();
    await page.getByRole('button', { name: 'New FAQ' }).click();
    const editor = page.getByRole('form', { name: 'New FAQ' });
    await editor.getByLabel('Question', { exact: true }).fill('Do you sell inhalers?');
    await editor.getByLabel('Answer', { exact: true }).fill('Yes, we stock Ventolin inhalers.');
    await editor.getByRole('button', { name: 'Add FAQ' }).click();
    const item = page.getByRole('listitem', { name: 'Do you sell inhalers?' });
    await item.waitFor();

    // A customer asks on WhatsApp; the bot answers with the FAQ.
    const customer = demo.server.contact('+2348077776666', { name: 'Ngozi Eze' });
    await customer.send(SHOP_NUMBER, 'Do you sell inhalers?');
    const [first] = await customer.waitForReplies(1, 10_000);
    expect(first!.text).toBe('Yes, we stock Ventolin inhalers.');

    // The owner changes the answer; the next customer question gets the new one.
    await item.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit FAQ' });
    await edit.getByLabel('Answer', { exact: true }).fill('Yes! Ventolin inhalers, ₦4,500 each.');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => item.locator('.faq__answer').textContent())
      .toBe('Yes! Ventolin inhalers, ₦4,500 each.');
    await customer.send(SHOP_NUMBER, 'Do you sell inhalers?');
    const replies = await customer.waitForReplies(2, 10_000);
    expect(replies.map((r) => r.text)).toEqual([
      'Yes, we stock Ventolin inhalers.',
      'Yes! Ventolin inhalers, ₦4,500 each.',
    ]);

    // Conversations: the chat, both bot answers labelled as FAQ answers.
    await nav('Conversations').click();
    const chat = page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: 'Ngozi Eze' });
    await chat.click();
    const thread = page.getByRole('region', { name: 'Conversation with Ngozi Eze' });
    const bot = thread.locator('.bubble--bot');
    await expect
      .poll(() => bot.locator('.bubble__text').allTextContents())
      .toEqual(['Yes, we stock Ventolin inhalers.', 'Yes! Ventolin inhalers, ₦4,500 each.']);
    expect(await bot.locator('.bubble__label').allTextContents()).toEqual(['Bot · FAQ', 'Bot · FAQ']);
    expect(await thread.locator('.bubble--contact .bubble__text').allTextContents()).toEqual([
      'Do you sell inhalers?',
      'Do you sell inhalers?',
    ]);

    // The owner answers from the app (Enter sends): it reaches the customer and the bot steps back.
    await thread.getByLabel('Your reply').fill('We also have the children’s one. Shall I keep one for you?');
    await thread.getByLabel('Your reply').press('Enter');
    const [, , mine] = await customer.waitForReplies(3, 10_000);
    expect(mine!.text).toBe('We also have the children’s one. Shall I keep one for you?');
    await thread.locator('.bubble--owner .bubble__label', { hasText: 'You' }).waitFor();
    await chat.locator('.tag--paused', { hasText: 'Bot paused' }).waitFor();
    expect(await thread.getByLabel('Your reply').inputValue()).toBe('');
    await shot('15-conversations');
    await phoneSize(page);
    await shot('15b-conversations-phone-thread');
    await thread.getByRole('button', { name: 'Back to chats' }).click();
    await page.getByRole('navigation', { name: 'Chats' }).waitFor();
    await shot('15c-conversations-phone-list');
    await wideSize(page, 860);

    // The activity log has the message entries.
    await nav('Activity log').click();
    await page.getByLabel('Kind').selectOption('message.');
    const rows = page.locator('tr.log-row');
    await expect
      .poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-type'))))
      .toEqual(expect.arrayContaining(['message.received', 'message.sent']));
    await page.getByLabel('Kind').selectOption('');
  }, 60_000);

  it('the FAQ screen tries a message and imports a CSV with a broken row', async () => {
    await nav('FAQs').click();
    await page.getByRole('listitem', { name: 'Do you sell inhalers?' }).waitFor();
    await page.getByRole('button', { name: 'Try a message' }).click();
    await page.getByLabel('Customer message to try').fill('pls una get ventolin inhaler?');
    await page.getByRole('button', { name: 'Try it' }).click();
    const best = page.locator('.try__match').first();
    await best.waitFor();
    expect(await best.locator('.try__question').textContent()).toBe('Do you sell inhalers?');
    expect(await best.locator('.chip--word').count()).toBeGreaterThan(0);
    await shot('16-faq-try');

    const csv = [
      'question,answer,phrasings,enabled',
      '"Do you take card?","Yes, all cards, and ""transfer"" too",card payment|pos,yes',
      'Where is the shop?,12 Allen Avenue Ikeja,where una dey|address,yes',
      'Broken row with,too,many,columns,here',
      ',no question,,yes',
    ].join('\r\n');
    await page
      .getByLabel('CSV file to import')
      .setInputFiles({ name: 'faqs.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const result = page.getByRole('region', { name: 'CSV import' });
    await result.locator('.import__summary').waitFor();
    expect(await result.locator('.import__summary').textContent()).toContain(
      '2 FAQs added, 0 updated, 2 rows skipped',
    );
    expect(await result.getByRole('list', { name: 'Rows not imported' }).textContent()).toContain('Line 4:');
    await page.getByRole('listitem', { name: 'Where is the shop?' }).waitFor();
    await shot('17-faq-import');
    await result.getByRole('button', { name: 'Close' }).click();
  }, 30_000);

  it('the owner adds words that mean the same, and "Try a message" reads a customer through them', async () => {
    await nav('FAQs').click();
    await page.getByRole('button', { name: 'Same words' }).click();
    const card = page.getByRole('region', { name: 'Words that mean the same' });
    const words = card.getByLabel('Words that mean the same, separated by commas');
    await words.fill('inhaler');
    await card.getByRole('button', { name: 'Add' }).click();
    expect(await card.getByRole('alert').textContent()).toContain('at least two words');
    await words.fill(' Inhaler, pump ,puffer, ');
    await card.getByRole('button', { name: 'Add' }).click();
    await card.getByRole('list', { name: 'Your groups of words' }).getByText('puffer').waitFor();
    expect(await words.inputValue()).toBe('');
    const settings = async () =>
      ((await api('workspace.list', {})) as { settings: { faq: { synonyms: string[][] } } }[])[0]!.settings
        .faq.synonyms;
    await expect.poll(settings).toEqual([['inhaler', 'pump', 'puffer']]);

    const tryButton = page.getByRole('button', { name: 'Try a message' });
    if ((await tryButton.getAttribute('aria-pressed')) !== 'true') await tryButton.click();
    await page.getByLabel('Customer message to try').fill('abeg una get puffer?');
    await page.getByRole('button', { name: 'Try it' }).click();
    const best = page.locator('.try__match').first();
    await best.waitFor();
    expect(await best.locator('.try__question').textContent()).toBe('Do you sell inhalers?');
    expect(await page.locator('.try__result').textContent()).toContain(
      '"puffer" read as "inhaler" (same meaning: the same in this shop (your synonyms))',
    );
    await shot('18-faq-same-words');
    await phoneSize(page);
    await shot('18-faq-same-words-phone');
    await wideSize(page, 860);

    await card.getByRole('button', { name: 'Remove inhaler, pump, puffer' }).click();
    await expect.poll(settings).toEqual([]);
    await card.getByRole('list', { name: 'Your groups of words' }).waitFor({ state: 'detached' });
  }, 30_000);

  it('an unanswered question becomes an FAQ, and the customer then gets its answer', async () => {
    const workspaceId = ((await api('workspace.list', {})) as { id: string }[])[0]!.id;
    const customer = demo.server.contact('+2348066665555', { name: 'Tunde Bakare' });
    // No FAQ covers it (the matcher must abstain, or the bot would answer instead).
    const tried = (await api('faq.try', { workspaceId, text: 'Blood pressure machine, how much?' })) as {
      matches: { wouldAnswer: boolean }[];
    };
    expect(tried.matches.some((m) => m.wouldAnswer)).toBe(false);
    await customer.send(SHOP_NUMBER, 'Blood pressure machine, how much?');

    await nav('Unanswered').click();
    const group = page.getByRole('listitem', { name: 'Blood pressure machine, how much?' });
    await group.waitFor({ timeout: 10_000 });
    expect(await group.locator('.unanswered__count').textContent()).toContain('1×');
    await shot('18-unanswered');
    await group.getByRole('button', { name: 'New FAQ' }).click();
    const form = group.getByRole('form', { name: 'New FAQ from this question' });
    expect(await form.getByLabel('Question').inputValue()).toBe('Blood pressure machine, how much?');
    await form.getByLabel('Answer', { exact: true }).fill('Yes: Omron machines from ₦18,000.');
    await shot('18b-unanswered-new-faq');
    await form.getByRole('button', { name: 'Create FAQ' }).click();
    await group.waitFor({ state: 'detached' });

    // The chat went to a person when the bot could not answer; handed back, the bot now knows.
    // By phone, not name: one of demo mode's own customers is a Tunde Bakare too, and writes now and then.
    const chats = (await api('conversation.list', { workspaceId })) as {
      chatId: string;
      contactPhone: string | null;
    }[];
    const chatId = chats.find((c) => c.contactPhone === '+2348066665555')!.chatId;
    await api('conversation.release', { workspaceId, chatId });
    const before = (await customer.waitForReplies(0)).length;
    await customer.send(SHOP_NUMBER, 'Blood pressure machine, how much?');
    const replies = await customer.waitForReplies(before + 1, 10_000);
    expect(replies.at(-1)!.text).toBe('Yes: Omron machines from ₦18,000.');
  }, 40_000);

  it('a dropped connection shows "reconnecting", then "connected" again', async () => {
    await nav('Home').click();
    await expect.poll(() => badge(SHOP_NUMBER).textContent()).toBe('Connected');
    demo.server.closeWith(428, SHOP_NUMBER);
    await expect.poll(() => badge(SHOP_NUMBER).textContent(), { interval: 50 }).toBe('Reconnecting');
    expect(await page.locator(`[data-e164="${SHOP_NUMBER}"] .number-card__detail`).textContent()).toMatch(
      /Trying again (in \d+ s|now)/,
    );
    await shot('11-home-reconnecting');
    await expect.poll(() => badge(SHOP_NUMBER).textContent(), { timeout: 15_000 }).toBe('Connected');
  }, 30_000);

  it('settings save bot mode, threshold, hand-off words and pause minutes', async () => {
    await nav('Settings').click();
    await page.getByLabel('FAQ match threshold').fill('0.7');
    await page.getByLabel('Add a hand-off word').fill('oga');
    await page.getByLabel('Add a hand-off word').press('Enter');
    await page.getByLabel('Quiet time after you reply').fill('45');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await shot('12-settings');
    const [workspace] = (await api('workspace.list', {})) as {
      settings: { faq: { threshold: number }; handoff: { keywords: string[]; ownerPauseMinutes: number } };
    }[];
    expect(workspace!.settings.faq.threshold).toBe(0.7);
    expect(workspace!.settings.handoff.keywords).toContain('oga');
    expect(workspace!.settings.handoff.ownerPauseMinutes).toBe(45);
  });

  it('a reseller adds a second business, links it with the demo phone, and switches between them', async () => {
    await page.getByRole('button', { name: 'Switch business' }).click();
    await shot('13-switcher');
    await page.getByRole('button', { name: 'Add a business' }).click();
    await page.getByLabel('Business name').fill('Bukola Fabrics');
    await page.getByLabel('WhatsApp number').fill('0805 222 3344');
    await page.getByRole('button', { name: 'Continue' }).click();
    // This time with a pairing code, typed by the demo phone.
    await page.getByRole('tab', { name: 'Use a pairing code' }).click();
    await page.getByRole('button', { name: 'Get a pairing code' }).click();
    await expect
      .poll(() => page.locator('.pairing-code__value').textContent())
      .toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await shot('13b-pair-code');
    await page.getByRole('button', { name: 'Enter code on demo phone' }).click();
    await page.getByText('WhatsApp is linked').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Go to your dashboard' }).click();
    await expect.poll(() => badge(SECOND_NUMBER).textContent()).toBe('Connected');
    expect(await page.locator('.switcher__name').textContent()).toBe('Bukola Fabrics');

    // The phone unlinks the computer: "logged out", an alert, and linking again with the demo phone.
    demo.server.closeWith(401, SECOND_NUMBER);
    await expect.poll(() => badge(SECOND_NUMBER).textContent()).toBe('Logged out');
    await expect.poll(() => page.locator('.alert-list__item').first().textContent()).toMatch(/logged out/i);
    await shot('13c-home-logged-out');
    await page.getByRole('button', { name: 'Link again' }).click();
    await page.locator('svg.qr[data-qr]').waitFor();
    await page.getByRole('button', { name: 'Scan with demo phone' }).click();
    await page.getByText('WhatsApp is linked').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Go to your dashboard' }).click();
    await expect.poll(() => badge(SECOND_NUMBER).textContent()).toBe('Connected');

    await page.getByRole('button', { name: 'Switch business' }).click();
    await page.getByRole('option', { name: /Mama Nkechi Pharmacy/ }).click();
    await expect.poll(() => badge(SHOP_NUMBER).textContent()).toBe('Connected');
    await nav('Conversations').click();
    await page.getByRole('navigation', { name: 'Chats' }).getByRole('button').first().waitFor();
    await shot('14-conversations');
  }, 30_000);

  it('a QR scanned with the phone of another number says so, and a new QR links the right phone', async () => {
    await page.getByRole('button', { name: 'Switch business' }).click();
    await page.getByRole('option', { name: /Bukola Fabrics/ }).click();
    demo.server.closeWith(401, SECOND_NUMBER);
    await expect.poll(() => badge(SECOND_NUMBER).textContent()).toBe('Logged out');
    await page.getByRole('button', { name: 'Link again' }).click();
    const qr = page.locator('svg.qr[data-qr]');
    await qr.waitFor();
    await demo.server.scanQr((await qr.getAttribute('data-qr'))!, '+2348129990000');
    const explained =
      'This QR was scanned with the WhatsApp of +234 812 999 0000, not +234 805 222 3344. Scan again with the phone that has +234 805 222 3344.';
    await page.getByText(explained).waitFor({ timeout: 15_000 });
    await page.getByText('Scanned with the wrong phone.').waitFor();
    await shot('14b-pair-wrong-phone');

    await nav('Home').click();
    await expect.poll(() => badge(SECOND_NUMBER).textContent()).toBe('Wrong phone');
    expect(await page.locator(`[data-e164="${SECOND_NUMBER}"] .number-card__detail`).textContent()).toBe(
      explained,
    );
    await shot('14c-home-wrong-phone');
    await page.getByRole('button', { name: 'Show a new QR' }).click();
    await qr.waitFor();
    await page.getByRole('button', { name: 'Scan with demo phone' }).click();
    await page.getByText('WhatsApp is linked').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Go to your dashboard' }).click();
    await expect.poll(() => badge(SECOND_NUMBER).textContent()).toBe('Connected');
  }, 40_000);
});
