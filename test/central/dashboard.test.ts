// The dashboard over HTTP (both databases), then in real Chromium once for a look at it.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../src/central/testing/databases';
import { makeBatch, makeEvent, makeEvents, makeInstallation } from '../../src/central/testing/fixtures';
import { openDashboardBrowser, signInWithForm } from './dashboard-browser';
import { startTestServer, type EnrolledWorkspace, type TestServer } from './harness';

import { CHROMIUM } from '../app/helpers';
const SHOTS = join(import.meta.dirname, '..', '..', '.test-output', 'central-screenshots');
const DAY = 86_400_000;

/** A few shops with numbers, two weeks of messages and some errors, as the dashboard would see them. */
async function seed(central: TestServer): Promise<{ chidi: EnrolledWorkspace; hostile: EnrolledWorkspace }> {
  const now = central.clock.now();
  const frontDesk = makeInstallation({ name: 'Chidi front desk PC', platform: 'win32', appVersion: '0.1.0' });
  const chidi = await central.enrolled('Chidi Pharmacy, Yaba', frontDesk);
  const events = [];
  let seq = 0;
  for (let day = 13; day >= 0; day--) {
    const count = 6 + ((day * 7) % 11);
    for (let i = 0; i < count; i++) {
      const ts = now - day * DAY - i * 60_000;
      events.push(
        makeEvent(++seq, {
          type: 'message.received',
          level: 'info',
          ts,
          message: `Message from +234 803 555 ${String(i).padStart(4, '0')}`,
        }),
      );
      events.push(
        makeEvent(++seq, {
          type: 'message.sent',
          level: 'info',
          ts: ts + 2000,
          message: 'FAQ answer sent: opening hours',
        }),
      );
    }
  }
  events.push(
    makeEvent(++seq, {
      type: 'connection.changed',
      level: 'warn',
      ts: now - 3_600_000,
      message: '+2348052223344 reconnecting (428)',
    }),
  );
  events.push(
    makeEvent(++seq, {
      type: 'message.failed',
      level: 'error',
      ts: now - 1_800_000,
      message: 'Sending failed after 5 attempts',
      meta: JSON.stringify({ code: 'TIMEOUT', attempts: 5 }),
    }),
  );
  events.sort((a, b) => a.seq - b.seq);
  for (let i = 0; i < events.length; i += 500) {
    await central.push(
      chidi.token,
      makeBatch(frontDesk.id, events.slice(i, i + 500), {
        numbers: [
          { number: '+2348031234567', provider: 'baileys', status: 'connected', updatedAt: now - 7_200_000 },
          {
            number: '+2348052223344',
            provider: 'baileys',
            status: 'reconnecting',
            updatedAt: now - 3_600_000,
          },
        ],
        backlog: 0,
      }),
    );
  }
  const ada = await central.enrolled(
    'Ada Boutique',
    makeInstallation({ name: 'Ada laptop', platform: 'darwin' }),
  );
  await central.push(
    ada.token,
    makeBatch(ada.installation.id, makeEvents(1, 80, { ts: now - 2 * DAY, type: 'message.received' }), {
      numbers: [
        {
          number: '+2348067654321',
          provider: 'baileys',
          status: 'needs-attention',
          updatedAt: now - 2 * DAY,
        },
      ],
      backlog: 1_250,
    }),
  );
  central.clock.advance(40 * 60_000);
  const hostile = await central.enrolled(
    '<script>alert("ws")</script>',
    makeInstallation({ name: '<img src=x onerror=alert(1)>' }),
  );
  await central.push(
    hostile.token,
    makeBatch(hostile.installation.id, [
      makeEvent(1, { message: '<b>bold</b> & "quoted"', meta: '{"x":"</pre><script>1</script>"}' }),
    ]),
  );
  await central.createCode('Mama Put Kitchen');
  return { chidi, hostile };
}

function cookieFrom(reply: { headers: Headers }): string {
  const setCookie = reply.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0]!;
}

describe.each(TEST_DIALECTS)('central dashboard (%s)', (kind) => {
  let central: TestServer;
  let chidi: EnrolledWorkspace;
  let hostile: EnrolledWorkspace;
  let cookie: string;
  beforeAll(async () => {
    central = await startTestServer(kind);
    ({ chidi, hostile } = await seed(central));
  });
  afterAll(() => central?.close());

  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    central.request<string>('POST', path, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  const page = (path: string, withCookie = true) =>
    central.request<string>('GET', path, { headers: withCookie ? { Cookie: cookie } : {} });

  it('shows only the sign-in form without a session', async () => {
    const home = await page('/', false);
    expect(home.status).toBe(200);
    expect(home.body).toContain('name="token"');
    expect(home.body).not.toContain('Chidi Pharmacy');
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
    const workspace = await page(`/workspaces/${chidi.workspaceId}`, false);
    expect(workspace.status).toBe(303);
    expect(workspace.headers.get('location')).toBe('/');
    const forged = await central.request<string>('GET', '/', {
      headers: { Cookie: 'central_session=9999999999999.aaaaaaaaaaaaaaaaaaaaaa.' + 'b'.repeat(43) },
    });
    expect(forged.body).not.toContain('Chidi Pharmacy');
  });

  it('signs in with the admin token only, into an HttpOnly SameSite=Strict cookie', async () => {
    const wrong = await form('/login', { token: 'not-the-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('That token was not accepted');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const right = await form('/login', { token: central.adminToken });
    expect(right.status).toBe(303);
    const setCookie = right.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^central_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    cookie = cookieFrom(right);
    expect(
      (await central.request('GET', '/api/admin/workspaces', { headers: { Cookie: cookie } })).status,
    ).toBe(200);
  });

  it('shows workspaces, installations, numbers, messages and errors, all escaped', async () => {
    const home = await page('/');
    expect(home.status).toBe(200);
    for (const text of [
      'Chidi Pharmacy, Yaba',
      'Chidi front desk PC',
      'Ada Boutique',
      '+234 803 123 4567 · connected',
      'needs-attention',
      'waiting for enrollment',
      'Mama Put Kitchen',
    ])
      expect(home.body).toContain(text);
    expect(home.body).not.toContain('<script>');
    expect(home.body).not.toContain('<img src=x');
    expect(home.body).toContain('&lt;script&gt;alert(&quot;ws&quot;)&lt;/script&gt;');
    const hostilePage = await page(`/workspaces/${hostile.workspaceId}`);
    expect(hostilePage.body).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;');
    expect(hostilePage.body).not.toMatch(/<script>|<\/pre><script>/);
  });

  it('pages a workspace’s events and filters them', async () => {
    const first = await page(`/workspaces/${chidi.workspaceId}`);
    expect(first.status).toBe(200);
    const seqs = [...first.body.matchAll(/data-seq="(\d+)"/g)].map((m) => Number(m[1]));
    expect(seqs).toHaveLength(50);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const older = /href="([^"]*before=\d+[^"]*)"/.exec(first.body)![1]!.replace(/&amp;/g, '&');
    const second = await page(older);
    const next = [...second.body.matchAll(/data-seq="(\d+)"/g)].map((m) => Number(m[1]));
    expect(next[0]).toBe(seqs.at(-1)! - 1);
    const errors = await page(`/workspaces/${chidi.workspaceId}?level=error`);
    expect([...errors.body.matchAll(/data-seq="(\d+)"/g)]).toHaveLength(1);
    expect(errors.body).toContain('Sending failed after 5 attempts');
    expect((await page(`/workspaces/${chidi.workspaceId}?limit=nope`)).status).toBe(400);
    expect((await page('/workspaces/no-such-workspace')).status).toBe(404);
  });

  it('makes an enrollment code from a same-site form only', async () => {
    const origin = central.url;
    const made = await form(
      '/enrollments',
      { workspaceName: 'Iya Basira Foods', validForHours: '24' },
      { Cookie: cookie, Origin: origin },
    );
    expect(made.status).toBe(201);
    const code = /data-testid="enrollment-code">([0-9A-Z-]+)</.exec(made.body)![1]!;
    expect((await central.enroll(code)).status).toBe(200);
    const crossSite = await form(
      '/enrollments',
      { workspaceName: 'Evil' },
      { Cookie: cookie, Origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);
    const signedOut = await form('/enrollments', { workspaceName: 'Nobody' });
    expect(signedOut.status).toBe(303);
    const out = await form('/logout', {}, { Cookie: cookie });
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
  });
});

describe.skipIf(!existsSync(CHROMIUM))('central dashboard in Chromium', () => {
  let central: TestServer;
  let chidi: EnrolledWorkspace;
  let profile: string;
  beforeAll(async () => {
    central = await startTestServer('sqlite');
    ({ chidi } = await seed(central));
    mkdirSync(SHOTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'switchboard-central-chromium-'));
  });
  afterAll(async () => {
    await central?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  it('signs in through the form and shows the overview and a workspace', async () => {
    const { context, page, blocked } = await openDashboardBrowser(profile);
    try {
      await page.goto(`${central.url}/`);
      await page.screenshot({ path: join(SHOTS, '01-sign-in.png') });
      await signInWithForm(page, central);
      await page.screenshot({ path: join(SHOTS, '02-overview.png'), fullPage: true });
      await page.getByRole('link', { name: 'Chidi Pharmacy, Yaba' }).first().click();
      await page.getByRole('heading', { name: 'Events' }).waitFor();
      await page.screenshot({ path: join(SHOTS, '03-workspace.png') });
      await page.getByRole('link', { name: 'Older »' }).click();
      await expect.poll(() => page.url()).toContain('before=');
      await page.goto(`${central.url}/workspaces/${chidi.workspaceId}?level=warn%2Cerror`);
      await page.screenshot({ path: join(SHOTS, '04-workspace-warnings.png'), fullPage: true });
      // The stylesheet passed the CSP: nothing was blocked.
      expect(blocked).toEqual([]);
      const cookies = await context.cookies();
      expect(cookies.find((c) => c.name === 'central_session')).toMatchObject({
        httpOnly: true,
        sameSite: 'Strict',
      });
    } finally {
      await context.close();
    }
  });
});
