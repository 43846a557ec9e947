// The update feed against the real central server over HTTP (SQLite and PostgreSQL), read by
// electron-updater's own generic provider: who is offered which release (30% rollout, allow list),
// pause, rollback, refusals, path traversal and a tampered installer caught by its sha512.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadDecision } from '../../src/core/updates/schedule';
import { rolloutBucket } from '../../src/core/updates/feed';
import { TEST_DIALECTS } from '../../src/central/testing/databases';
import { makeInstallation } from '../../src/central/testing/fixtures';
import type { UpdateRelease } from '../../src/central/update-releases';
import { startTestServer, type EnrolledWorkspace, type TestServer } from './harness';
import { updateClient } from './update-client';

const SCHEMA = '0013-chat-read';
const installer = (version: string): Buffer =>
  Buffer.concat([Buffer.from(`Switchboard ${version} AppImage\n`), randomBytes(256 * 1024)]);
const sha512 = (bytes: Buffer): string => createHash('sha512').update(bytes).digest('base64');

/** A path sent exactly as written (fetch would resolve `..` before sending). */
function rawGet(url: string, path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.path = path;
    req.on('error', reject);
    req.end();
  });
}

describe.each(TEST_DIALECTS)('update feed (%s)', (kind) => {
  let central: TestServer;
  let feedUrl: string;
  let pilot: EnrolledWorkspace;
  let shops: EnrolledWorkspace[];
  let old: UpdateRelease;
  let next: UpdateRelease;
  const files = { '1.3.0': installer('1.3.0'), '1.4.0': installer('1.4.0') };

  async function upload(version: '1.3.0' | '1.4.0', query: Record<string, string> = {}) {
    const bytes = files[version];
    const params = new URLSearchParams({
      platform: 'linux',
      version,
      file: `Switchboard-${version}.AppImage`,
      sha512: sha512(bytes),
      storeSchema: SCHEMA,
      ...query,
    });
    return central.request<UpdateRelease & { error?: { message: string } }>(
      'POST',
      `/api/admin/releases?${params.toString()}`,
      {
        headers: {
          Authorization: `Bearer ${central.adminToken}`,
          'Content-Type': 'application/octet-stream',
        },
        body: bytes,
      },
    );
  }
  const rollout = (id: string, percent: number, workspaceIds: string[] = []) =>
    central.admin<UpdateRelease>('POST', `/api/admin/releases/${id}/rollout`, { percent, workspaceIds });
  const offered = async (shop: EnrolledWorkspace) =>
    (await updateClient(feedUrl, shop.token).latest()).version;

  beforeAll(async () => {
    central = await startTestServer(kind);
    feedUrl = `${central.url}/updates/v1`;
    pilot = await central.enrolled('Chidi Pharmacy (pilot)');
    // Fixed ids: which of them fall in the 30% is the same on every run.
    shops = [];
    for (let i = 0; i < 100; i++)
      shops.push(await central.enrolled(`Shop ${i}`, makeInstallation({ id: `shop-pc-${i}` })));
    const first = await upload('1.3.0');
    expect(first.status).toBe(201);
    old = (await rollout(first.body.id, 100)).body;
    const second = await upload('1.4.0');
    expect(second.status).toBe(201);
    next = second.body;
  }, 120_000);
  afterAll(() => central?.close());

  it('stores the upload with the sha512 electron-builder wrote, offered to nobody yet', async () => {
    expect(next).toMatchObject({
      version: '1.4.0',
      sha512: sha512(files['1.4.0']),
      percent: 0,
      state: 'live',
    });
    expect(await offered(pilot)).toBe('1.3.0');
    const listed = await central.admin<{ releases: UpdateRelease[] }>('GET', '/api/admin/releases');
    expect(listed.body.releases.map((r) => r.version)).toEqual(['1.4.0', '1.3.0']);
  });

  it('refuses bad uploads with what to do, and keeps nothing of them', async () => {
    const before = readdirSync(central.updatesDir).length;
    expect((await upload('1.4.0')).status).toBe(409);
    const damaged = await upload('1.3.0', { version: '1.3.1', sha512: sha512(Buffer.from('other')) });
    expect(damaged.status).toBe(400);
    expect(damaged.body.error?.message).toMatch(/does not match its sha512/);
    for (const [key, value, message] of [
      ['platform', 'android', /platform must be one of win, mac, linux/],
      ['version', 'latest', /not a version/],
      ['file', '../../central.db', /not an installer file name/],
      ['storeSchema', 'drop table', /migration name/],
    ] as const) {
      const reply = await upload('1.3.0', { version: '1.3.2', [key]: value });
      expect(reply.status).toBe(400);
      expect(reply.body.error?.message).toMatch(message);
    }
    expect(readdirSync(central.updatesDir).length).toBe(before);
    expect(existsSync(join(central.updatesDir, '..', 'central.db.bak'))).toBe(false);
    const anonymous = await central.request('POST', '/api/admin/releases?platform=linux', { body: 'x' });
    expect(anonymous.status).toBe(401);
  });

  it('refuses a feed request without a valid workspace token', async () => {
    expect((await central.request('GET', '/updates/v1/latest-linux.yml')).status).toBe(401);
    const forged = await central.request('GET', '/updates/v1/latest-linux.yml', {
      headers: { Authorization: `Bearer sbw_${randomBytes(32).toString('base64url')}` },
    });
    expect(forged.status).toBe(401);
    await expect(updateClient(feedUrl, 'sbw_not-a-token').latest()).rejects.toThrow(/401/);
  });

  it('a 30% rollout: the same answer per installation every time, about 30% of them, as the policy says', async () => {
    expect((await rollout(next.id, 30)).status).toBe(200);
    const first = await Promise.all(shops.map(offered));
    const again = await Promise.all(shops.map(offered));
    expect(again).toEqual(first);
    const share = first.filter((v) => v === '1.4.0').length / shops.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
    shops.forEach((shop, i) =>
      expect(first[i]).toBe(rolloutBucket(shop.installation.id, '1.4.0') < 30 ? '1.4.0' : '1.3.0'),
    );
  });

  it('an allow-listed workspace gets the release at 0%, nobody else does; installers only to whom they are offered', async () => {
    const outsider = shops.find((s) => rolloutBucket(s.installation.id, '1.4.0') >= 30)!;
    expect((await rollout(next.id, 0, [pilot.workspaceId])).body.workspaceIds).toEqual([pilot.workspaceId]);
    expect(await offered(pilot)).toBe('1.4.0');
    expect(await offered(outsider)).toBe('1.3.0');

    const client = updateClient(feedUrl, pilot.token);
    const info = await client.latest();
    expect(info).toMatchObject({ version: '1.4.0', storeSchema: SCHEMA, path: 'Switchboard-1.4.0.AppImage' });
    expect(await client.download(info)).toEqual(files['1.4.0']);
    // The outsider asking for the pilot's installer by name gets nothing.
    await expect(updateClient(feedUrl, outsider.token).download(info)).rejects.toThrow(/status 404/);
    const unknown = await rollout(next.id, 0, ['no-such-workspace']);
    expect(unknown.status).toBe(400);
  });

  it('pause stops new downloads; those who have it are not sent back', async () => {
    const client = updateClient(feedUrl, pilot.token);
    const before = await client.latest();
    const paused = await central.admin<UpdateRelease>('POST', `/api/admin/releases/${next.id}/pause`);
    expect(paused.body.state).toBe('paused');
    const during = await client.latest();
    expect(during.version).toBe('1.3.0');
    expect(during.rollbackFrom).toBeUndefined();
    // A PC that read the channel file before the pause cannot fetch the installer any more.
    await expect(client.download(before)).rejects.toThrow(/status 404/);
    // A PC already on 1.4.0 stays there.
    expect(downloadDecision({ currentVersion: '1.4.0', offered: during, storeSchema: SCHEMA })).toMatchObject(
      {
        download: false,
      },
    );
    await central.admin('POST', `/api/admin/releases/${next.id}/resume`);
    expect(await offered(pilot)).toBe('1.4.0');
  });

  it('rollback serves the older version, which PCs on the rolled-back one may install', async () => {
    await central.admin('POST', `/api/admin/releases/${next.id}/rollback`);
    const client = updateClient(feedUrl, pilot.token);
    const info = await client.latest();
    expect(info).toMatchObject({ version: '1.3.0', rollbackFrom: ['1.4.0'], storeSchema: SCHEMA });
    expect(downloadDecision({ currentVersion: '1.4.0', offered: info, storeSchema: SCHEMA })).toMatchObject({
      download: true,
      kind: 'rollback',
    });
    // A PC whose 1.4.0 migrated its database further must not go back.
    expect(
      downloadDecision({ currentVersion: '1.4.0', offered: info, storeSchema: '0014-later' }),
    ).toMatchObject({
      download: false,
    });
    expect(downloadDecision({ currentVersion: '1.3.0', offered: info, storeSchema: SCHEMA })).toMatchObject({
      download: false,
    });
    expect(await client.download(info)).toEqual(files['1.3.0']);
    await central.admin('POST', `/api/admin/releases/${next.id}/resume`);
    const bad = await central.admin('POST', `/api/admin/releases/${next.id}/delete`);
    expect(bad.status).toBe(404);
  });

  it('refuses path traversal in file names', async () => {
    for (const path of [
      '/updates/v1/..%2F..%2Fcentral.db',
      '/updates/v1/..%2Fupdates%2F' + old.id + '%2F' + old.fileName,
      '/updates/v1/.upload',
      '/updates/v1/a%5C..%5Cb',
    ]) {
      const reply = await rawGet(central.url, path, pilot.token);
      expect(reply.status, path).toBe(400);
      expect(JSON.parse(reply.body).error.message).toMatch(/not an installer file name/);
    }
    // Dot segments (plain or percent-encoded) are resolved by the URL parser before routing: they land
    // outside the feed, where nothing is served.
    for (const path of ['/updates/v1/../../central.db', '/updates/v1/%2E%2E/%2E%2E/central.db'])
      expect((await rawGet(central.url, path, pilot.token)).status, path).toBe(404);
  });

  it('a tampered installer is caught by its sha512', async () => {
    const client = updateClient(feedUrl, pilot.token);
    const info = await client.latest();
    expect(info.version).toBe('1.4.0');
    const stored = join(central.updatesDir, next.id, next.fileName);
    const bytes = readFileSync(stored);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    writeFileSync(stored, bytes);
    await expect(client.download(info)).rejects.toMatchObject({ code: 'ERR_CHECKSUM_MISMATCH' });
  });
});
