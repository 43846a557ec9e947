import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendsInClear } from '../../shared/sync-contract';
import type { Switchboard } from '../app';
import { startCoreHarness, type CoreHarness } from '../testing/core-harness';
import { createScriptedTransport, json } from '../testing/scripted-transport';
import type { Dispatch } from './dispatch';

let core: CoreHarness;
let app: Switchboard;
let dispatch: Dispatch;
let script: ReturnType<typeof createScriptedTransport>;
let seen: CoreHarness['seen'];

beforeEach(async () => {
  script = createScriptedTransport(json(200, { ackedSeq: 0, stored: 0, duplicates: 0 }));
  core = await startCoreHarness({
    tempPrefix: 'switchboard-sync-handlers-',
    switchboard: { whatsapp: { livenessIntervalMs: 0 }, sync: { transport: script.transport } },
  });
  ({ app, dispatch, seen } = core);
});

afterEach(() => core.close());

async function workspace(): Promise<string> {
  const result = await dispatch('workspace.create', { name: 'Chidi Pharmacy' });
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as { workspace: { id: string } }).workspace.id;
}

/** The central server's answer to a good enrollment code. */
const enrolled = () =>
  json(200, { workspaceId: 'cw-1', workspaceName: 'Chidi HQ', workspaceToken: `sbw_${'t'.repeat(43)}` });

describe('sync handlers', () => {
  it('refuse a server address that is not http(s) and a code that cannot be one, before calling anything', async () => {
    const workspaceId = await workspace();
    for (const [serverUrl, code, message] of [
      [
        'ftp://central.example.ng',
        '7KQ2-M9XD-4TNB-H3WE',
        'serverUrl: Server address must be a web address starting with http:// or https://',
      ],
      ['central.example.ng', '7KQ2-M9XD-4TNB-H3WE', 'serverUrl: Server address must be a web address'],
      [
        'https://admin:pw@central.example.ng',
        '7KQ2-M9XD-4TNB-H3WE',
        'must not contain a user name, password, ? or #',
      ],
      [
        'https://central.example.ng',
        '7KQ2;DROP',
        'code: An enrollment code has only letters, digits and dashes',
      ],
      ['https://central.example.ng', 'AB-C', 'code: That enrollment code is too short'],
      ['https://central.example.ng', '', 'code: Enrollment code is required'],
    ]) {
      const result = await dispatch('sync.enroll', { workspaceId, serverUrl, code });
      expect(result.ok, serverUrl).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('VALIDATION');
        expect(result.error.message).toContain(message);
      }
    }
    expect(script.requests).toHaveLength(0);
  });

  it('enroll, update and leave: each returns the status and announces sync.changed', async () => {
    const workspaceId = await workspace();
    expect(await dispatch('sync.status', { workspaceId })).toMatchObject({
      ok: true,
      value: { enrolled: false, phase: 'off', backlog: 0 },
    });
    script.reply(enrolled());
    const result = await dispatch('sync.enroll', {
      workspaceId,
      serverUrl: ' https://central.example.ng/switchboard/ ',
      code: ' 7kq2 m9xd 4tnb h3we ',
    });
    expect(result).toMatchObject({
      ok: true,
      value: {
        enrolled: true,
        serverUrl: 'https://central.example.ng/switchboard',
        centralWorkspaceName: 'Chidi HQ',
      },
    });
    expect(script.requests[0]).toMatchObject({
      url: 'https://central.example.ng/switchboard/api/v1/enroll',
      body: { code: '7kq2 m9xd 4tnb h3we' },
    });
    expect(await dispatch('sync.update', { workspaceId, shareMessageText: true })).toMatchObject({
      ok: true,
      value: { shareMessageText: true },
    });
    expect(await dispatch('sync.leave', { workspaceId })).toMatchObject({
      ok: true,
      value: { enrolled: false },
    });
    const changes = seen.filter((e) => e.event === 'sync.changed');
    expect(changes.length).toBeGreaterThanOrEqual(3);
    expect(changes.every((e) => (e.payload as { workspaceId: string }).workspaceId === workspaceId)).toBe(
      true,
    );
  });

  it('refuses plain http to another computer unless the owner ticks "insecure", which is logged', async () => {
    const workspaceId = await workspace();
    const inClear = { workspaceId, serverUrl: 'http://central.example.ng', code: '7KQ2-M9XD-4TNB-H3WE' };
    const refused = await dispatch('sync.enroll', inClear);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('unencrypted') },
    });
    expect(script.requests).toHaveLength(0);
    script.reply(enrolled());
    expect(await dispatch('sync.enroll', { ...inClear, allowInsecure: true })).toMatchObject({
      ok: true,
      value: { enrolled: true },
    });
    expect(script.requests).toHaveLength(1);
    await app.logger.flush();
    const logged = await app.store.db
      .selectFrom('events')
      .select(['level', 'meta'])
      .where('type', '=', 'sync.insecure_enroll')
      .execute();
    expect(logged).toMatchObject([{ level: 'warn' }]);
    // Loopback is this computer: no choice needed.
    for (const serverUrl of ['http://127.0.0.1:8787', 'http://localhost:8787', 'http://[::1]:8787'])
      expect(sendsInClear(serverUrl), serverUrl).toBe(false);
    expect(sendsInClear('http://192.168.1.20:8787')).toBe(true);
    expect(sendsInClear('https://central.example.ng')).toBe(false);
  });

  it('tell the owner what to do next when it fails', async () => {
    const workspaceId = await workspace();
    script.reply(
      json(401, {
        error: {
          code: 'UNAUTHORIZED',
          message:
            'This enrollment code is not valid. Check it for typos, or ask the central team for a new one.',
        },
      }),
    );
    expect(
      await dispatch('sync.enroll', {
        workspaceId,
        serverUrl: 'https://central.example.ng',
        code: '7KQ2-M9XD-4TNB-H3WE',
      }),
    ).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message:
          'The central server refused the code: This enrollment code is not valid. Check it for typos, or ask the central team for a new one.',
        details: { serverUrl: 'https://central.example.ng' },
      },
    });
    expect(await dispatch('sync.update', { workspaceId, shareMessageText: true })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('Enroll it first') },
    });
    expect(await dispatch('sync.status', { workspaceId: 'missing' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
