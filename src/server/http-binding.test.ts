import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../core/testing/temp-files';
import { createFakeProvider } from '../core/testing/fake-provider';
import { newAccessToken } from './access-token';
import { EVENTS_PATH, EVENTS_PROTOCOL, httpStatusFor } from './http-binding';
import { startHeadlessHost, type HeadlessHost } from './host';
import { WebSocketClient, type WebSocketLike } from './ws';
import { ERROR_CODES } from '../shared/errors';

let host: HeadlessHost;
let cleanup: () => void;
const token = newAccessToken();

beforeAll(async () => {
  const temp = makeTempDir('switchboard-http-');
  cleanup = temp.cleanup;
  const staticDir = join(temp.dir, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Switchboard</title>');
  writeFileSync(join(staticDir, 'assets', 'app-123.js'), 'console.log(1)');
  writeFileSync(join(temp.dir, 'secret.txt'), 'do not serve');
  host = await startHeadlessHost({
    dataDir: join(temp.dir, 'data'),
    token,
    staticDir,
    fileLog: false,
    durability: 'normal',
    whatsapp: { livenessIntervalMs: 0, createProvider: (number) => createFakeProvider(number.e164) },
  });
});

afterAll(async () => {
  await host.close();
  cleanup();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

function send(
  method: string,
  path: string,
  options: { body?: string | Buffer; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const url = new URL(path, host.url);
  const auth = options.token === null ? {} : { Authorization: `Bearer ${options.token ?? token}` };
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, headers: { 'Content-Type': 'application/json', ...auth, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as never,
          });
        });
      },
    );
    // A server that answers 413 early may reset the upload; the answer has still arrived by then.
    req.on('error', reject);
    req.end(options.body);
  });
}

const command = (name: string, input?: unknown, token?: string | null) =>
  send('POST', `/api/commands/${name}`, {
    ...(input !== undefined && { body: JSON.stringify(input) }),
    ...(token !== undefined && { token }),
  });

function openEvents(protocols: string[], headers: Record<string, string> = {}): Promise<WebSocketLike> {
  const url = `${host.url.replace('http', 'ws')}${EVENTS_PATH}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocketClient(url, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req: unknown, res: { statusCode: number }) =>
      reject(new Error(`HTTP ${res.statusCode}`)),
    );
    ws.once('error', reject);
  });
}

describe('HTTP binding: commands', () => {
  it('refuses a missing or wrong token with 401 before anything else', async () => {
    const missing = await command('workspace.list', {}, null);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(missing.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await command('workspace.list', {}, newAccessToken())).status).toBe(401);
    // Even an unknown command: the command list is not shown to strangers.
    const unknown = await command('nope.nothing', {}, 'wrong');
    expect(unknown.status).toBe(401);
    expect(unknown.text).not.toContain('faq.list');
  });

  it('answers an unknown command with 404 and a clear error', async () => {
    const reply = await command('faq.explode', {});
    expect(reply.status).toBe(404);
    expect(reply.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    expect(reply.json().error?.message).toMatch(
      /^Unknown command "faq.explode". Known commands: .*workspace.create/,
    );
  });

  it("answers invalid input with 400 and zod's message", async () => {
    const reply = await command('workspace.create', { name: '', defaultCountry: 'Nigeria' });
    expect(reply.status).toBe(400);
    const { error } = reply.json();
    expect(error?.code).toBe('VALIDATION');
    expect(error?.message).toContain('name: Business name cannot be empty');
    expect(error?.message).toContain('defaultCountry: country must be a two-letter code such as NG');
    const notJson = await send('POST', '/api/commands/workspace.list', { body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(notJson.json().error?.message).toBe('The request body is not valid JSON.');
  });

  it('answers an oversized body with 413', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    const reply = await send('POST', '/api/commands/workspace.create', { body: big });
    expect(reply.status).toBe(413);
    expect(reply.json()).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await host.app.workspaces.list()).toEqual([]);
  });

  it('runs a valid command and returns its result', async () => {
    const reply = await command('workspace.create', { name: 'Bukola Fabrics', number: '0803 555 0101' });
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.json()).toMatchObject({
      ok: true,
      value: { workspace: { name: 'Bukola Fabrics' }, number: { e164: '+2348035550101' } },
    });
    const list = await send('POST', '/api/commands/workspace.list'); // no body: the input defaults to {}
    expect(list.json()).toMatchObject({ ok: true, value: [{ name: 'Bukola Fabrics' }] });
  });

  it('maps domain errors to HTTP statuses and only accepts POST', async () => {
    const missing = await command('faq.list', { workspaceId: 'no-such-workspace' });
    expect(missing.status).toBe(404);
    expect(missing.json().error?.code).toBe('NOT_FOUND');
    expect((await command('app.setStartAtLogin', { enabled: true })).status).toBe(503);
    const get = await send('GET', '/api/commands/workspace.list');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    for (const code of ERROR_CODES) expect(httpStatusFor(code)).toBeGreaterThanOrEqual(400);
  });
});

describe('HTTP binding: events over WebSocket', () => {
  it('refuses a WebSocket without the right token', async () => {
    await expect(openEvents([EVENTS_PROTOCOL])).rejects.toThrow('HTTP 401');
    await expect(openEvents([EVENTS_PROTOCOL, `bearer.${newAccessToken()}`])).rejects.toThrow('HTTP 401');
  });

  it('delivers contract events to a client that has the token (subprotocol or header)', async () => {
    const ws = await openEvents([EVENTS_PROTOCOL, `bearer.${token}`]);
    expect(ws.protocol).toBe(EVENTS_PROTOCOL);
    const viaHeader = await openEvents([], { Authorization: `Bearer ${token}` });
    const received: { event: string; payload: { workspaceId?: string } }[] = [];
    ws.on('message', (data: Buffer) => received.push(JSON.parse(data.toString()) as never));

    const created = (await command('workspace.create', { name: 'Events Shop' })).json().value as {
      workspace: { id: string };
    };
    const workspaceId = created.workspace.id;
    await command('faq.create', { workspaceId, question: 'Open?', answer: 'Yes' });
    await expect
      .poll(() => received.map((m) => m.event))
      .toEqual(expect.arrayContaining(['workspace.changed', 'faq.changed', 'log.appended']));
    expect(received.find((m) => m.event === 'faq.changed')?.payload.workspaceId).toBe(workspaceId);
    expect(host.binding.eventClients).toBe(2);
    ws.close();
    viaHeader.close();
    await expect.poll(() => host.binding.eventClients).toBe(0);
  });
});

describe('HTTP binding: the UI build', () => {
  it('serves the renderer build, falls back to index.html for screens, and never leaves the folder', async () => {
    const index = await send('GET', '/', { token: null });
    expect(index.status).toBe(200);
    expect(index.text).toContain('<title>Switchboard</title>');
    expect(index.headers['x-frame-options']).toBe('DENY');
    expect((await send('GET', '/faqs', { token: null })).text).toContain('<title>Switchboard</title>');
    const asset = await send('GET', '/assets/app-123.js', { token: null });
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect((await send('GET', '/assets/missing.js', { token: null })).status).toBe(404);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const reply = await send('GET', path, { token: null });
      expect(reply.text, path).not.toContain('do not serve');
    }
    expect((await send('GET', '/api/nothing')).status).toBe(404);
  });
});
