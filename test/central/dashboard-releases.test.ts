// The dashboard's Releases page: over HTTP (both databases) with the same sign-in and same-site rules
// as the other forms, then in real Chromium: set who gets a release, pause, roll back.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../src/central/testing/databases';
import type { UpdateRelease } from '../../src/central/update-releases';
import { CHROMIUM } from '../app/helpers';
import { openDashboardBrowser, signInWithForm } from './dashboard-browser';
import { startTestServer, type EnrolledWorkspace, type TestServer } from './harness';
import { updateClient } from './update-client';

const SHOTS = join(import.meta.dirname, '..', '..', '.test-output', 'central-screenshots');

/** Two shops, and 1.3.0 (everyone) and 1.4.0 (nobody yet) for Windows. */
async function seed(central: TestServer) {
  const chidi = await central.enrolled('Chidi Pharmacy, Yaba');
  const ada = await central.enrolled('<b>Ada</b> Boutique');
  const ids: string[] = [];
  for (const version of ['1.3.0', '1.4.0']) {
    const bytes = randomBytes(300 * 1024);
    const params = new URLSearchParams({
      platform: 'win',
      version,
      file: `Switchboard-Setup-${version}.exe`,
      sha512: createHash('sha512').update(bytes).digest('base64'),
    });
    const reply = await central.request<UpdateRelease>('POST', `/api/admin/releases?${params.toString()}`, {
      headers: { Authorization: `Bearer ${central.adminToken}` },
      body: bytes,
    });
    expect(reply.status).toBe(201);
    ids.push(reply.body.id);
  }
  await central.admin('POST', `/api/admin/releases/${ids[0]!}/rollout`, { percent: 100 });
  return { chidi, ada, old: ids[0]!, next: ids[1]! };
}

async function signIn(central: TestServer): Promise<string> {
  const login = await central.request('POST', '/login', {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: central.adminToken }).toString(),
  });
  return (login.headers.get('set-cookie') ?? '').split(';')[0]!;
}

describe.each(TEST_DIALECTS)('dashboard: Releases (%s)', (kind) => {
  let central: TestServer;
  let chidi: EnrolledWorkspace;
  let next: string;
  let cookie: string;
  beforeAll(async () => {
    central = await startTestServer(kind);
    ({ chidi, next } = await seed(central));
    cookie = await signIn(central);
  });
  afterAll(() => central?.close());

  const form = (path: string, fields: string, headers: Record<string, string> = {}) =>
    central.request<string>('POST', path, {
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: cookie,
        Origin: central.url,
        ...headers,
      },
      body: fields,
    });

  it('lists releases with who gets them, escaping shop names', async () => {
    const page = await central.request<string>('GET', '/releases', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Switchboard-Setup-1.4.0.exe');
    expect(page.body).toContain('&lt;b&gt;Ada&lt;/b&gt; Boutique');
    expect(page.body).not.toContain('<b>Ada</b>');
    expect((await central.request('GET', '/releases')).status).toBe(303);
  });

  it('sets the rollout from the form; refuses bad input, other sites and signed-out visitors', async () => {
    const saved = await form(`/releases/${next}/rollout`, `percent=0&workspace=${chidi.workspaceId}`);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/releases?done=rollout&release=${next}`);
    expect((await updateClient(`${central.url}/updates/v1`, chidi.token, 'win32').latest()).version).toBe(
      '1.4.0',
    );

    const bad = await form(`/releases/${next}/rollout`, 'percent=150');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain(
      'Nothing was changed: The rollout percentage must be a whole number from 0 to 100',
    );
    expect((await form(`/releases/${next}/pause`, '', { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await form(`/releases/${next}/delete`, '')).status).toBe(404);
    expect((await form('/releases/nope/pause', '')).status).toBe(404);
    const stranger = await central.request('POST', `/releases/${next}/pause`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(stranger.status).toBe(303);
    const { releases } = (await central.admin<{ releases: UpdateRelease[] }>('GET', '/api/admin/releases'))
      .body;
    expect(releases.find((r) => r.id === next)).toMatchObject({ state: 'live', percent: 0 });
  });
});

describe.skipIf(!existsSync(CHROMIUM))('dashboard: Releases in Chromium', () => {
  let central: TestServer;
  let profile: string;
  let next: string;
  beforeAll(async () => {
    central = await startTestServer('sqlite');
    ({ next } = await seed(central));
    mkdirSync(SHOTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'switchboard-central-chromium-'));
  });
  afterAll(async () => {
    await central?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  it('rolls a release out to 30% and a pilot shop, pauses it and rolls it back', async () => {
    const { context, page, blocked } = await openDashboardBrowser(profile, { width: 1280, height: 800 });
    try {
      await page.goto(`${central.url}/`);
      await signInWithForm(page, central);
      await page.getByRole('link', { name: 'Releases' }).click();
      await page.getByRole('heading', { name: 'Releases', level: 1 }).waitFor();

      const row = page.locator('tr[data-release="1.4.0"]');
      await row.getByLabel('Share of PCs (%)').fill('30');
      await row.getByLabel('Always for these shops').selectOption({ label: 'Chidi Pharmacy, Yaba' });
      await row.getByRole('button', { name: 'Save rollout' }).click();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').textContent()).toContain('Saved who gets 1.4.0');
      expect(await row.textContent()).toContain('30% of PCs');
      expect(await row.textContent()).toContain('and Chidi Pharmacy, Yaba');
      await page.screenshot({ path: join(SHOTS, '08-releases.png'), fullPage: true });

      await row.getByRole('button', { name: 'Pause' }).click();
      await page.getByRole('status').waitFor();
      expect(await row.textContent()).toContain('Paused');
      await row.getByRole('button', { name: 'Roll back' }).click();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').textContent()).toContain('Rolled back 1.4.0');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(SHOTS, '09-releases-phone.png'), fullPage: true });
      const { releases } = (await central.admin<{ releases: UpdateRelease[] }>('GET', '/api/admin/releases'))
        .body;
      expect(releases.find((r) => r.id === next)).toMatchObject({ state: 'rolled-back', percent: 30 });
      expect(blocked).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
