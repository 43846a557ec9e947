import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../shared/types';
import { createSwitchboard, type Switchboard } from '../app';
import { createFakeTimers, type FakeTimers } from '../testing/fake-timers';
import { ackAll, createScriptedTransport, json, type RecordedRequest } from '../testing/scripted-transport';
import { makeTempDir } from '../testing/temp-files';

const SERVER = 'https://central.test:8080';
const CODE = '7KQ2-M9XD-4TNB-H3WE';
const TOKEN = 'sbw_0123456789abcdef0123456789abcdef0123456789a';

let app: Switchboard;
let timers: FakeTimers;
let script: ReturnType<typeof createScriptedTransport>;
let dataDir: string;
let cleanup: () => void;
let workspaceId: WorkspaceId;

const enrolled = json(200, {
  workspaceId: 'cw-1',
  workspaceName: 'Chidi Pharmacy (HQ)',
  workspaceToken: TOKEN,
});
const ingest = (r: RecordedRequest) => r.path === '/api/v1/ingest';

beforeEach(async () => {
  ({ dir: dataDir, cleanup } = makeTempDir('switchboard-sync-'));
  timers = createFakeTimers();
  script = createScriptedTransport(ackAll);
  app = await createSwitchboard({
    dataDir: join(dataDir, 'data'),
    durability: 'normal',
    whatsapp: { livenessIntervalMs: 0, createProvider: () => ({}) as never },
    sync: {
      transport: script.transport,
      timers,
      random: () => 1,
      appVersion: '1.2.3',
      installationName: 'Shop PC',
      pusher: { idlePollMs: 5_000, batchGapMs: 0 },
    },
  });
  workspaceId = (await app.workspaces.create({ name: 'Chidi Pharmacy' })).id;
  await app.sync.start();
});

afterEach(async () => {
  await app.close();
  cleanup();
});

/** Fires the next sync timer and waits for the pusher's step. */
async function tick(): Promise<number | null> {
  const delay = await timers.next();
  await app.sync.settled();
  return delay;
}

describe('enrollment', () => {
  it('sends the installation and the workspace name, stores the token sealed, and starts pushing', async () => {
    script.reply(enrolled);
    const status = await app.sync.enroll(workspaceId, SERVER, CODE);
    expect(status).toMatchObject({
      enrolled: true,
      serverUrl: SERVER,
      centralWorkspaceId: 'cw-1',
      centralWorkspaceName: 'Chidi Pharmacy (HQ)',
      shareMessageText: false,
      lastAckedSeq: 0,
      lastError: null,
    });
    const [request] = script.requests;
    expect(request).toMatchObject({
      url: `${SERVER}/api/v1/enroll`,
      body: {
        code: CODE,
        localWorkspaceName: 'Chidi Pharmacy',
        installation: { name: 'Shop PC', appVersion: '1.2.3', id: await app.sync.installationId() },
      },
    });
    expect(request!.body.installation.id).toMatch(/^[0-9a-f]{32}$/);
    const row = await app.store.db.selectFrom('sync_state').selectAll().executeTakeFirstOrThrow();
    expect(row.token_sealed).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain(TOKEN);

    await app.logger.flush();
    await tick();
    const pushed = script.requests.filter(ingest);
    expect(pushed).toHaveLength(1);
    expect(pushed[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    // The workspace's history goes too: its creation and the enrollment itself.
    expect(pushed[0]!.body.events.map((e: { type: string }) => e.type)).toEqual([
      'workspace.created',
      'sync.enrolled',
    ]);
    expect(JSON.stringify(pushed[0]!.body)).not.toContain(TOKEN);
    expect(await app.sync.status(workspaceId)).toMatchObject({
      phase: 'idle',
      backlog: 0,
      lastSuccessAt: timers.now(),
    });
  });

  it('explains a refused code, an unreachable server and something that is not a central server', async () => {
    const cases: [Parameters<typeof script.reply>[0], RegExp][] = [
      [
        json(401, {
          error: {
            code: 'UNAUTHORIZED',
            message:
              'This enrollment code expired on 2025-11-20T10:00:00.000Z. Ask the central team for a new one.',
          },
        }),
        /^VALIDATION: The central server refused the code: This enrollment code expired on .* Ask the central team for a new one\.$/,
      ],
      [
        json(409, { error: { code: 'CONFLICT', message: 'This enrollment code has already been used.' } }),
        /^VALIDATION: The central server refused the code: This enrollment code has already been used\.$/,
      ],
      [
        { networkError: 'the connection was refused: the server is not running or the address is wrong' },
        /^UNAVAILABLE: Could not reach the central server at https:\/\/central\.test:8080: the connection was refused.*Check the address/,
      ],
      [
        { status: 200, retryAfter: null, text: '<html><body>Welcome to nginx!</body></html>' },
        /^UNAVAILABLE: The server at .* answered \(HTTP 200\), but not like a Switchboard central server/,
      ],
      [
        json(500, { error: { code: 'INTERNAL', message: 'database unreachable' } }),
        /^UNAVAILABLE: The central server had a problem \(HTTP 500: database unreachable\)\. Try again in a few minutes/,
      ],
      [
        json(429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }),
        /^UNAVAILABLE: The central server is receiving too many attempts right now/,
      ],
    ];
    for (const [reply, expected] of cases) {
      script.reply(reply);
      const error = await app.sync.enroll(workspaceId, SERVER, CODE).then(
        () => null,
        (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
      );
      expect(error).toMatch(expected);
    }
    expect(await app.sync.status(workspaceId)).toMatchObject({ enrolled: false, phase: 'off' });
    await app.logger.flush();
    const failures = await app.events.query({ workspaceId, types: ['sync.enroll_failed'] });
    expect(failures.events).toHaveLength(cases.length);
    expect(JSON.stringify(failures)).not.toContain(CODE);
  });

  it('enrolling again with the same central workspace resumes where the server is; leaving forgets it', async () => {
    script.reply(enrolled);
    await app.sync.enroll(workspaceId, SERVER, CODE);
    await app.logger.flush();
    await tick();
    const acked = (await app.sync.status(workspaceId)).lastAckedSeq;
    expect(acked).toBeGreaterThan(0);

    script.reply(enrolled);
    expect((await app.sync.enroll(workspaceId, SERVER, 'ABCD-EFGH-JKMN-PQRS')).lastAckedSeq).toBe(acked);
    script.reply(json(200, { workspaceId: 'cw-2', workspaceName: 'Elsewhere', workspaceToken: TOKEN }));
    expect((await app.sync.enroll(workspaceId, SERVER, 'ABCD-EFGH-JKMN-PQRS')).lastAckedSeq).toBe(0);

    expect(await app.sync.leave(workspaceId)).toMatchObject({
      enrolled: false,
      phase: 'off',
      serverUrl: null,
    });
    expect(await app.store.db.selectFrom('sync_state').selectAll().execute()).toEqual([]);
    await expect(app.sync.setShareMessageText(workspaceId, true)).rejects.toThrow(/not enrolled/);
  });

  it('enrolling another workspace with the same server shows a token this installation holds there', async () => {
    expect(await app.sync.updateFeed()).toBeUndefined();
    script.reply(enrolled);
    await app.sync.enroll(workspaceId, SERVER, CODE);
    // The update feed is asked with the same token.
    expect(await app.sync.updateFeed()).toEqual({ serverUrl: SERVER, token: TOKEN });
    expect(script.requests[0]!.headers.authorization).toBeUndefined();
    const second = (await app.workspaces.create({ name: 'Chidi Pharmacy Ikeja' })).id;
    script.reply(json(200, { workspaceId: 'cw-2', workspaceName: 'Ikeja', workspaceToken: `${TOKEN}2` }));
    await app.sync.enroll(second, SERVER, 'ABCD-EFGH-JKMN-PQRS');
    const enrolls = script.requests.filter((r) => r.path === '/api/v1/enroll');
    expect(enrolls[1]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    // Another server never sees it.
    const other = (await app.workspaces.create({ name: 'Third' })).id;
    script.reply(json(200, { workspaceId: 'cw-3', workspaceName: 'Third', workspaceToken: `${TOKEN}3` }));
    await app.sync.enroll(other, 'https://other-central.test:8080', 'ABCD-EFGH-JKMN-PQRT');
    expect(
      script.requests.filter((r) => r.path === '/api/v1/enroll')[2]!.headers.authorization,
    ).toBeUndefined();
  });

  it('share message text: off by default, switched per workspace and logged', async () => {
    script.reply(enrolled);
    await app.sync.enroll(workspaceId, SERVER, CODE);
    expect((await app.sync.setShareMessageText(workspaceId, true)).shareMessageText).toBe(true);
    await app.logger.flush();
    expect((await app.events.query({ workspaceId, types: ['sync.settings'] })).events[0]!.meta).toEqual({
      shareMessageText: true,
    });
  });

  it('an unknown workspace is NOT_FOUND', async () => {
    await expect(app.sync.status('nope' as WorkspaceId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the pusher inside the app', () => {
  it('comes to rest: pushing its own log never creates more to push', async () => {
    const changed: string[] = [];
    app.sync.onChanged((id) => changed.push(id));
    script.reply(enrolled);
    await app.sync.enroll(workspaceId, SERVER, CODE);
    // Some workspace activity, written through the real logger into the real events table.
    for (let i = 0; i < 5; i++) await app.workspaces.update(workspaceId, { name: `Chidi Pharmacy ${i}` });
    await app.logger.flush();
    await tick();
    // A first failure and the recovery are state changes: logged in the workspace, pushed once.
    script.reply(json(500, { error: { code: 'INTERNAL', message: 'restarting' } }));
    await app.workspaces.update(workspaceId, { name: 'Chidi Pharmacy' });
    await app.logger.flush();
    for (let i = 0; i < 4; i++) {
      await tick();
      await app.logger.flush();
    }
    const before = script.requests.filter(ingest).length;
    for (let i = 0; i < 20; i++) {
      await app.logger.flush();
      expect(await tick()).toBe(5_000);
    }
    expect(script.requests.filter(ingest).length).toBe(before);
    const types = script.requests
      .filter(ingest)
      .flatMap((r) => r.body.events.map((e: { type: string }) => e.type));
    expect(types).toContain('sync.failed');
    expect(types).toContain('sync.recovered');
    expect(types).not.toContain('sync.pushed');
    expect(await app.sync.status(workspaceId)).toMatchObject({ phase: 'idle', backlog: 0, lastError: null });
    expect(changed.length).toBeGreaterThan(0);
  });

  it('after a restart, pushers resume for active enrollments only', async () => {
    script.reply(enrolled);
    await app.sync.enroll(workspaceId, SERVER, CODE);
    await app.logger.flush();
    script.reply(json(403, { error: { code: 'FORBIDDEN', message: 'revoked' } }));
    await tick();
    const status = await app.sync.status(workspaceId);
    expect(status).toMatchObject({
      phase: 'needs-attention',
      lastError: { message: expect.stringMatching(/Enroll again/) },
    });
    expect(status.backlog).toBeGreaterThan(0);
    await app.sync.stop();
    const requests = script.requests.length;
    await app.sync.start(); // a stopped service stays stopped
    expect(timers.pending()).toBe(0);
    expect(script.requests.length).toBe(requests);
  });
});
