// The dashboard's Cloud numbers page over HTTP (both databases), then in real Chromium for a look at it:
// listing with each number's last webhook and queue, registering through the form with the API's own
// validation, removing after a confirmation, and the same sign-in and same-site rules as the other forms.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../src/central/testing/databases';
import { signBody } from '../../src/simulator/graph-api/index';
import { messagesNotification } from '../../src/simulator/graph-api/notifications';
import { openDashboardBrowser, signInWithForm } from './dashboard-browser';
import { startTestServer, type EnrolledWorkspace, type TestServer } from './harness';

/** The Meta number the webhooks are for (Meta's own test number). */
const META_NUMBER = { phoneNumberId: '106540352242922', wabaId: '102290129340398', digits: '15550783881' };

import { CHROMIUM } from '../app/helpers';
const SHOTS = join(import.meta.dirname, '..', '..', '.test-output', 'central-screenshots');
const APP_SECRET = 'app-secret-of-the-meta-app';

/** Two shops, one Cloud number with two webhooks waiting for its PC and one with none yet. */
async function seed(central: TestServer): Promise<{ chidi: EnrolledWorkspace; ada: EnrolledWorkspace }> {
  const chidi = await central.enrolled('Chidi Pharmacy, Yaba');
  const ada = await central.enrolled('<b>Ada</b> Boutique');
  for (const [phoneNumberId, shop] of [
    ['106540352242922', chidi],
    ['107730299911234', ada],
  ] as const) {
    const reply = await central.admin('POST', '/api/admin/cloud-numbers', {
      phoneNumberId,
      workspaceId: shop.workspaceId,
      appSecret: APP_SECRET,
      verifyToken: `verify-${phoneNumberId}`,
    });
    expect(reply.status).toBe(201);
  }
  for (const id of ['wamid.one', 'wamid.two']) {
    const body = JSON.stringify(
      messagesNotification(META_NUMBER, [
        {
          contact: { profile: { name: 'Ada' }, wa_id: '2348031234567' },
          message: { from: '2348031234567', id, timestamp: '1749416383', type: 'text', text: { body: 'Hi' } },
        },
      ]),
    );
    const reply = await central.request('POST', '/webhooks/whatsapp', {
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, APP_SECRET) },
      body,
    });
    expect(reply.status).toBe(200);
  }
  central.clock.advance(5 * 60_000);
  return { chidi, ada };
}

describe.each(TEST_DIALECTS)('dashboard: Cloud numbers (%s)', (kind) => {
  let central: TestServer;
  let chidi: EnrolledWorkspace;
  let ada: EnrolledWorkspace;
  let cookie: string;
  beforeAll(async () => {
    central = await startTestServer(kind);
    ({ chidi, ada } = await seed(central));
    const login = await central.request('POST', '/login', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: central.adminToken }).toString(),
    });
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  });
  afterAll(() => central?.close());

  const page = (path: string) => central.request<string>('GET', path, { headers: { Cookie: cookie } });
  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    central.request<string>('POST', path, {
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: cookie,
        Origin: central.url,
        ...headers,
      },
      body: new URLSearchParams(fields).toString(),
    });
  const row = (body: string, id: string) =>
    new RegExp(`<tr data-cloud-number="${id}">([\\s\\S]*?)</tr>`).exec(body)?.[1];

  it('lists each number with its workspace, last webhook and queue, all escaped; signed out goes to sign-in', async () => {
    const listed = await page('/cloud-numbers');
    expect(listed.status).toBe(200);
    // Not no-referrer: a browser would then send `Origin: null` with the forms, which are refused.
    expect(listed.headers.get('referrer-policy')).toBe('same-origin');
    const chidiRow = row(listed.body, '106540352242922')!;
    expect(chidiRow).toContain('Chidi Pharmacy, Yaba');
    expect(chidiRow).toContain('5 min ago');
    expect(chidiRow).toMatch(/class="badge warn">2</);
    const adaRow = row(listed.body, '107730299911234')!;
    expect(adaRow).toContain('&lt;b&gt;Ada&lt;/b&gt; Boutique');
    expect(adaRow).toMatch(/>none</);
    expect(listed.body).toContain(`${central.url}/webhooks/whatsapp`);
    expect(listed.body).not.toContain(APP_SECRET);

    // Once the PC has taken them, nothing is queued.
    await central.request('GET', '/api/v1/relay?after=2&wait=0', {
      headers: { Authorization: `Bearer ${chidi.token}` },
    });
    expect(row((await page('/cloud-numbers')).body, '106540352242922')).toMatch(/class="muted">0</);

    const signedOut = await central.request('GET', '/cloud-numbers');
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe('/');
  });

  it('registers through the form, refusing bad fields with the API’s rules and never echoing secrets', async () => {
    const refused = await form('/cloud-numbers', {
      phoneNumberId: '+234 801',
      workspaceId: ada.workspaceId,
      appSecret: 'short-secret-typed'.slice(0, 5),
      verifyToken: 'a-fine-verify-token',
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('Digits only (Meta’s phone_number_id).');
    expect(refused.body).toContain('At least 8 characters.');
    expect(refused.body).toContain('value="+234 801"');
    expect(refused.body).toMatch(new RegExp(`<option value="${ada.workspaceId}"\\s+selected`));
    expect(refused.body).not.toContain('a-fine-verify-token');
    expect(refused.body).not.toContain('short');

    const made = await form('/cloud-numbers', {
      phoneNumberId: ' 108000000000001 ',
      workspaceId: ada.workspaceId,
      appSecret: 'another-app-secret',
      verifyToken: 'a-fine-verify-token',
    });
    expect(made.status).toBe(303);
    const shown = await page(made.headers.get('location')!);
    expect(shown.body).toContain('Registered 108000000000001');
    expect(row(shown.body, '108000000000001')).toContain('&lt;b&gt;Ada&lt;/b&gt; Boutique');

    const moved = await form('/cloud-numbers', {
      phoneNumberId: '108000000000001',
      workspaceId: chidi.workspaceId,
      appSecret: 'another-app-secret',
      verifyToken: 'a-fine-verify-token',
    });
    expect((await page(moved.headers.get('location')!)).body).toContain('Updated 108000000000001');
    const listed = await central.admin<{ cloudNumbers: { phoneNumberId: string; workspaceId: string }[] }>(
      'GET',
      '/api/admin/cloud-numbers',
    );
    expect(listed.body.cloudNumbers).toContainEqual(
      expect.objectContaining({ phoneNumberId: '108000000000001', workspaceId: chidi.workspaceId }),
    );

    const gone = await form('/cloud-numbers', {
      phoneNumberId: '108000000000002',
      workspaceId: 'no-such-workspace',
      appSecret: 'another-app-secret',
      verifyToken: 'a-fine-verify-token',
    });
    expect(gone.status).toBe(400);
    expect(gone.body).toContain('that workspace no longer exists');

    const fields = {
      phoneNumberId: '108000000000003',
      workspaceId: chidi.workspaceId,
      appSecret: 'another-app-secret',
      verifyToken: 'a-fine-verify-token',
    };
    expect((await form('/cloud-numbers', fields, { Origin: 'https://evil.example' })).status).toBe(403);
    const anonymous = await central.request('POST', '/cloud-numbers', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    expect(anonymous.status).toBe(303);
    expect(row((await page('/cloud-numbers')).body, '108000000000003')).toBeUndefined();
  });

  it('removes a number after a confirmation page; its webhooks are refused from then on', async () => {
    const confirm = await page('/cloud-numbers/107730299911234/remove');
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain('Webhooks for it will no longer reach');
    expect(
      (await form('/cloud-numbers/107730299911234/remove', {}, { Origin: 'https://evil.example' })).status,
    ).toBe(403);
    const removed = await form('/cloud-numbers/107730299911234/remove', {});
    expect(removed.status).toBe(303);
    const shown = await page(removed.headers.get('location')!);
    expect(shown.body).toContain('Removed 107730299911234');
    expect(row(shown.body, '107730299911234')).toBeUndefined();
    expect((await page('/cloud-numbers/107730299911234/remove')).status).toBe(404);
    expect((await form('/cloud-numbers/107730299911234/remove', {})).status).toBe(404);
  });
});

describe.skipIf(!existsSync(CHROMIUM))('dashboard: Cloud numbers in Chromium', () => {
  let central: TestServer;
  let profile: string;
  beforeAll(async () => {
    central = await startTestServer('sqlite');
    await seed(central);
    mkdirSync(SHOTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'switchboard-central-chromium-'));
  });
  afterAll(async () => {
    await central?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  it('registers a number through the form, showing field errors first', async () => {
    const { context, page, blocked } = await openDashboardBrowser(profile);
    try {
      await page.goto(`${central.url}/`);
      await signInWithForm(page, central);
      await page.getByRole('link', { name: 'Cloud numbers' }).click();
      await page.getByRole('heading', { name: 'Cloud numbers', level: 1 }).waitFor();

      await page.getByLabel('phone_number_id').fill('12 34');
      await page.getByLabel('App Secret').fill('short');
      // A real form POST: the browser's Origin header must pass the same-site check.
      await page.getByRole('button', { name: 'Register number' }).click();
      await page.getByRole('alert').waitFor();
      await page.screenshot({ path: join(SHOTS, '05-cloud-numbers-refused.png'), fullPage: true });
      await expect.poll(() => page.locator('.field-error').count()).toBe(4);

      await page.getByLabel('phone_number_id').fill('108000000000001');
      await page.getByLabel('Workspace').selectOption({ label: 'Chidi Pharmacy, Yaba' });
      await page.getByLabel('App Secret').fill('another-app-secret');
      await page.getByLabel('Verify token').fill('a-fine-verify-token');
      await page.getByRole('button', { name: 'Register number' }).click();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').textContent()).toContain('Registered 108000000000001');
      await page.screenshot({ path: join(SHOTS, '06-cloud-numbers.png'), fullPage: true });

      await page
        .locator('tr[data-cloud-number="107730299911234"]')
        .getByRole('link', { name: 'Remove…' })
        .click();
      await page.screenshot({ path: join(SHOTS, '07-cloud-number-remove.png') });
      await page.getByRole('button', { name: 'Remove number' }).click();
      await page.getByRole('status').waitFor();
      expect(await page.locator('tr[data-cloud-number="107730299911234"]').count()).toBe(0);
      // The stylesheet passed the CSP: nothing was blocked (the refused form's 400 is logged too).
      expect(blocked.filter((text) => !text.includes('status of 400'))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
