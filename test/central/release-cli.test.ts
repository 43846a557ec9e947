// `npm run central:release` against the real central server: upload from electron-builder's
// latest-linux.yml, list, rollout, pause, rollback; refusals carry the server's message.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReleaseArgs, runRelease } from '../../src/central/release-cli';
import { TEST_DIALECTS } from '../../src/central/testing/databases';
import type { UpdateRelease } from '../../src/central/update-releases';
import { startTestServer, type TestServer } from './harness';
import { updateClient } from './update-client';

describe.each(TEST_DIALECTS)('central:release (%s)', (kind) => {
  let central: TestServer;
  let dist: string;
  const bytes = randomBytes(64 * 1024);
  const run = (...argv: string[]) =>
    runRelease(parseReleaseArgs([...argv, '--server', central.url], {}), {
      CENTRAL_ADMIN_TOKEN: central.adminToken,
    });

  beforeAll(async () => {
    central = await startTestServer(kind);
    dist = mkdtempSync(join(tmpdir(), 'switchboard-dist-'));
    writeFileSync(join(dist, 'Switchboard-1.4.0.AppImage'), bytes);
    // As electron-builder writes it.
    writeFileSync(
      join(dist, 'latest-linux.yml'),
      [
        'version: 1.4.0',
        'files:',
        '  - url: Switchboard-1.4.0.AppImage',
        `    sha512: ${createHash('sha512').update(bytes).digest('base64')}`,
        `    size: ${bytes.length}`,
        'path: Switchboard-1.4.0.AppImage',
        `sha512: ${createHash('sha512').update(bytes).digest('base64')}`,
        "releaseDate: '2026-12-05T10:00:00.000Z'",
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    rmSync(dist, { recursive: true, force: true });
    await central?.close();
  });

  it('uploads what latest-linux.yml names, rolls it out to an allow-listed shop, pauses and rolls back', async () => {
    const shop = await central.enrolled('Chidi Pharmacy');
    const uploaded = await run('upload', join(dist, 'latest-linux.yml'), '--notes', 'Faster replies');
    expect(uploaded[0]).toBe(`Uploaded linux 1.4.0 (${bytes.length} bytes, sha512 checked).`);
    const { releases } = (await central.admin<{ releases: UpdateRelease[] }>('GET', '/api/admin/releases'))
      .body;
    const id = releases[0]!.id;
    expect(releases[0]).toMatchObject({ version: '1.4.0', notes: 'Faster replies', percent: 0 });
    expect(await run('list')).toEqual([
      expect.stringContaining(`${id}  linux       1.4.0      live          0%`),
    ]);
    expect(await run('rollout', id, '0', '--workspace', shop.workspaceId)).toEqual([
      expect.stringContaining(`+ workspaces ${shop.workspaceId}`),
    ]);
    const client = updateClient(`${central.url}/updates/v1`, shop.token);
    expect(await client.download(await client.latest())).toEqual(bytes);
    expect((await run('pause', id))[0]).toMatch(/paused/);
    expect((await run('rollback', id))[0]).toMatch(/rolled-back/);
  });

  it('says what was wrong', async () => {
    await expect(run('upload', join(dist, 'latest-linux.yml'))).rejects.toThrow(
      /409: Version 1.4.0 for linux is already uploaded/,
    );
    await expect(run('rollout', 'nope', '10')).rejects.toThrow(/404: No release with id nope/);
    await expect(
      runRelease(parseReleaseArgs(['list', '--server', central.url], {}), { CENTRAL_ADMIN_TOKEN: 'wrong' }),
    ).rejects.toThrow(/401: Missing or wrong admin token/);
    expect(() => parseReleaseArgs(['publish'])).toThrow(/Unknown command "publish"/);
    expect(() => parseReleaseArgs(['pause'])).toThrow(/pause takes 1 argument/);
    await expect(run('upload', join(dist, 'Switchboard-1.4.0.AppImage'))).rejects.toThrow(
      /platform must be one of/,
    );
  });
});
