// The dashboard's Releases page: over HTTP (both databases) with the same sign-in and same-site rules
// as the other forms, then in real Chromium: set who gets a release, pause, roll back.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/** What `npm run dist` writes: an installer and the latest*.yml that names it with its sha512. */
function build(version: string, bytes = randomBytes(2 * 1024 * 1024 + 12_345)) {
  const file = `Switchboard-Setup-${version}.exe`;
  const sha512 = createHash('sha512').update(bytes).digest('base64');
  const yml =
    `version: ${version}\nfiles:\n  - url: ${file}\n    sha512: ${sha512}\n    size: ${bytes.length}\n` +
    `path: ${file}\nsha512: ${sha512}\nreleaseDate: '2026-12-05T10:00:00.000Z'\n`;
  return { file, bytes, yml, sha512 };
}

describe.each(TEST_DIALECTS)('dashboard: uploading a release (%s)', (kind) => {
  let central: TestServer;
  let chidi: EnrolledWorkspace;
  let cookie: string;
  beforeAll(async () => {
    central = await startTestServer(kind);
    ({ chidi } = await seed(central));
    cookie = await signIn(central);
  });
  afterAll(() => central?.close());

  /** The form as a browser sends it (multipart/form-data, fields in page order), encoded by fetch's own FormData. */
  async function upload(
    parts: { yml?: [string, string]; installer?: [string, Buffer]; notes?: string },
    headers: Record<string, string> = { Cookie: cookie, Origin: central.url },
  ) {
    const form = new FormData();
    if (parts.yml !== undefined) form.append('channel', new Blob([parts.yml[1]]), parts.yml[0]);
    form.append('notes', parts.notes ?? '');
    form.append('storeSchema', '');
    if (parts.installer !== undefined)
      form.append('installer', new Blob([parts.installer[1]]), parts.installer[0]);
    const encoded = new Response(form);
    return central.request<string>('POST', '/releases/upload', {
      headers: { 'Content-Type': encoded.headers.get('content-type')!, ...headers },
      body: Buffer.from(await encoded.arrayBuffer()),
    });
  }
  const releases = async () =>
    (await central.admin<{ releases: UpdateRelease[] }>('GET', '/api/admin/releases')).body.releases;

  it('takes latest.yml and its installer, offers it to nobody yet, and serves the same bytes once rolled out', async () => {
    const release = build('1.5.0');
    const reply = await upload({
      yml: ['latest.yml', release.yml],
      installer: [release.file, release.bytes],
      notes: 'Faster inbox',
    });
    expect(reply.status).toBe(303);
    const uploaded = (await releases()).find((r) => r.version === '1.5.0')!;
    expect(reply.headers.get('location')).toBe(`/releases?done=upload&release=${uploaded.id}`);
    expect(uploaded).toMatchObject({
      platform: 'win',
      fileName: release.file,
      size: release.bytes.length,
      sha512: release.sha512,
      percent: 0,
      state: 'live',
      notes: 'Faster inbox',
    });
    const shown = await central.request<string>('GET', reply.headers.get('location')!, {
      headers: { Cookie: cookie },
    });
    expect(shown.body).toContain('Uploaded 1.5.0. It reaches no PC until you set who gets it below.');

    const client = updateClient(`${central.url}/updates/v1`, chidi.token, 'win32');
    expect((await client.latest()).version).toBe('1.3.0');
    await central.admin('POST', `/api/admin/releases/${uploaded.id}/rollout`, { percent: 100 });
    const offered = await client.latest();
    expect(offered.version).toBe('1.5.0');
    expect((await client.download(offered)).equals(release.bytes)).toBe(true);
  });

  it('refuses, in words and with nothing stored: a file that is not latest*.yml, another installer, a damaged one, a second upload of a version', async () => {
    const release = build('1.6.0');
    const before = (await releases()).length;
    const refused = async (parts: Parameters<typeof upload>[0], message: string) => {
      const reply = await upload(parts);
      expect(reply.status).toBe(400);
      expect(reply.body).toContain(`Nothing was uploaded: ${message}`);
    };
    await refused(
      { yml: ['notes.txt', release.yml], installer: [release.file, release.bytes] },
      'notes.txt is not a latest.yml, latest-mac.yml or latest-linux.yml',
    );
    await refused(
      { yml: ['latest.yml', release.yml], installer: ['Switchboard-Setup-1.3.0.exe', release.bytes] },
      'The latest*.yml of 1.6.0 names the installer Switchboard-Setup-1.6.0.exe, not Switchboard-Setup-1.3.0.exe',
    );
    const damaged = Buffer.from(release.bytes);
    damaged[1_000_000]! ^= 0xff;
    await refused(
      { yml: ['latest.yml', release.yml], installer: [release.file, damaged] },
      'The uploaded file does not match its sha512 from latest*.yml',
    );
    await refused({ yml: ['latest.yml', release.yml] }, 'Pick the installer too.');
    const again = build('1.3.0');
    const taken = await upload({ yml: ['latest.yml', again.yml], installer: [again.file, again.bytes] });
    expect(taken.status).toBe(400);
    expect(taken.body).toContain('Nothing was uploaded:');
    expect(await releases()).toHaveLength(before);

    // Another site's form, and a visitor who is not signed in.
    const other = await upload(
      { yml: ['latest.yml', release.yml], installer: [release.file, release.bytes] },
      { Cookie: cookie, Origin: 'https://evil.example' },
    );
    expect(other.status).toBe(403);
    const stranger = await upload(
      { yml: ['latest.yml', release.yml], installer: [release.file, release.bytes] },
      {},
    );
    expect(stranger.status).toBe(303);
    expect(await releases()).toHaveLength(before);
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

      // Upload the files `npm run dist` wrote, as an admin picks them in the browser.
      const release = build('1.6.0');
      const dist = join(profile, 'dist');
      mkdirSync(dist);
      writeFileSync(join(dist, 'latest.yml'), release.yml);
      writeFileSync(join(dist, release.file), release.bytes);
      const uploadForm = page.getByRole('form', { name: 'Upload a release' });
      await uploadForm.getByLabel(/latest\.yml/).setInputFiles(join(dist, 'latest.yml'));
      await uploadForm.getByLabel('Release notes (optional)').fill('Photos in the inbox');
      await uploadForm.getByLabel('The installer it names').setInputFiles(join(dist, release.file));
      await page.screenshot({ path: join(SHOTS, '08a-releases-upload.png'), fullPage: true });
      await uploadForm.getByRole('button', { name: 'Upload' }).click();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').textContent()).toContain(
        'Uploaded 1.6.0. It reaches no PC until you set who gets it below.',
      );
      expect(await page.locator('tr[data-release="1.6.0"]').textContent()).toContain('0% of PCs');

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
