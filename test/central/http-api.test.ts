// The sync protocol over real HTTP, on SQLite and PostgreSQL: enrollment, ingest, limits, isolation,
// rate limits and the admin API.
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventsPage, InstallationSummary, WorkspaceSummary } from '../../src/central/admin-types';
import { TEST_DIALECTS } from '../../src/central/testing/databases';
import { makeBatch, makeEvent, makeEvents, makeInstallation } from '../../src/central/testing/fixtures';
import { SYNC_LIMITS, type IngestResponse, type SyncErrorBody } from '../../src/shared/sync-protocol';
import { startTestServer, type TestServer } from './harness';

const HOUR = 3_600_000;

/** A POST with Transfer-Encoding: chunked (no Content-Length), written in 64 KiB pieces. */
function chunkedPost(url: string, token: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
    req.end();
  });
}

describe.each(TEST_DIALECTS)('central HTTP API (%s)', (kind) => {
  let central: TestServer;
  beforeAll(async () => {
    central = await startTestServer(kind);
  });
  afterAll(() => central?.close());

  it('answers health without a token', async () => {
    const reply = await central.request('GET', '/api/v1/health');
    expect(reply).toMatchObject({ status: 200, body: { ok: true, protocol: 1, database: kind } });
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
  });

  describe('enroll', () => {
    it('refuses a wrong, expired or used code with 4xx, and creates nothing', async () => {
      const installation = makeInstallation();
      const wrong = await central.enroll('ZZZZ-ZZZZ-ZZZZ-ZZZZ', installation);
      expect(wrong.status).toBe(401);
      expect((wrong.body as SyncErrorBody).error).toMatchObject({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('not valid'),
      });

      const { code } = await central.createCode('Expiring Shop', 1);
      central.clock.advance(HOUR + 1);
      const expired = await central.enroll(code, installation);
      expect(expired.status).toBe(401);
      expect((expired.body as SyncErrorBody).error.message).toContain('expired');

      const fresh = await central.createCode('Used Shop');
      expect((await central.enroll(fresh.code)).status).toBe(200);
      const used = await central.enroll(fresh.code, installation);
      expect(used.status).toBe(409);
      expect((used.body as SyncErrorBody).error.code).toBe('CONFLICT');

      const malformed = await central.request('POST', '/api/v1/enroll', {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: 'x' }),
      });
      expect(malformed.status).toBe(400);
      expect((malformed.body as SyncErrorBody).error.message).toMatch(/code: .*installation: /);

      const installations = await central.admin<{ installations: InstallationSummary[] }>(
        'GET',
        '/api/admin/installations',
      );
      expect(installations.body.installations.map((i) => i.id)).not.toContain(installation.id);
    });

    it('lets exactly one of two concurrent uses of a code win', async () => {
      const { code, workspaceId } = await central.createCode('Raced Shop');
      const [a, b] = await Promise.all([central.enroll(code), central.enroll(code)]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const summary = await central.admin<WorkspaceSummary>('GET', `/api/admin/workspaces/${workspaceId}`);
      expect(summary.body.installations).toHaveLength(1);
    });
  });

  describe('ingest', () => {
    it('stores a batch once when it is sent twice, plain or gzip', async () => {
      const ws = await central.enrolled('Twice Shop');
      const batch = makeBatch(ws.installation.id, makeEvents(1, 100), { backlog: 7 });
      const first = await central.push<IngestResponse>(ws.token, batch);
      expect(first).toMatchObject({ status: 200, body: { ackedSeq: 100, stored: 100, duplicates: 0 } });
      const second = await central.push<IngestResponse>(ws.token, batch, { gzip: true });
      expect(second).toMatchObject({ status: 200, body: { ackedSeq: 100, stored: 0, duplicates: 100 } });
      expect(await central.count(ws.workspaceId)).toBe(100);
      const summary = await central.admin<WorkspaceSummary>('GET', `/api/admin/workspaces/${ws.workspaceId}`);
      expect(summary.body).toMatchObject({ backlog: 7, lastSeenAt: central.clock.now() });
    });

    it('writes only the token’s workspace, whatever the body says', async () => {
      const shared = makeInstallation();
      const a = await central.enrolled('Workspace A', shared);
      const b = await central.enrolled('Workspace B', shared);
      // The same installation pushes both; A's token cannot be pointed at B by the body.
      const sneaky = { ...makeBatch(shared.id, makeEvents(1, 5)), workspaceId: b.workspaceId };
      expect((await central.push(a.token, sneaky)).status).toBe(200);
      expect(await central.count(a.workspaceId)).toBe(5);
      expect(await central.count(b.workspaceId)).toBe(0);

      // Another installation's token naming this installation is refused, and nothing is stored.
      const other = await central.enrolled('Workspace C');
      const forged = await central.push(other.token, makeBatch(shared.id, makeEvents(10, 5)));
      expect(forged.status).toBe(403);
      expect(await central.count(other.workspaceId)).toBe(0);
      expect(await central.count(b.workspaceId)).toBe(0);

      for (const token of [undefined, 'sbw_' + 'x'.repeat(43), central.adminToken]) {
        const reply = await central.request('POST', '/api/v1/ingest', {
          headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
          body: JSON.stringify(makeBatch(shared.id, makeEvents(20, 1))),
        });
        expect(reply.status).toBe(401);
        expect(reply.headers.get('www-authenticate')).toBe('Bearer');
      }
      expect(await central.count(a.workspaceId)).toBe(5);
    });

    it('refuses malformed JSON, a wrong schema, oversized bodies and gzip bombs with a clear 4xx, storing nothing', async () => {
      const ws = await central.enrolled('Hostile Input');
      const id = ws.installation.id;
      const error = (reply: { body: unknown }) => (reply.body as SyncErrorBody).error;

      const notJson = await central.push(ws.token, '{"protocol": 1, "events": [');
      expect(notJson.status).toBe(400);
      expect(error(notJson)).toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining('not valid JSON'),
      });

      const wrongLevel = makeBatch(id, [makeEvent(1), { ...makeEvent(2), level: 'loud' as 'info' }]);
      const schema = await central.push(ws.token, wrongLevel);
      expect(schema.status).toBe(400);
      expect(error(schema).message).toContain('events[1].level');

      const missing = await central.push(ws.token, { protocol: 1, installationId: id });
      expect(error(missing).message).toContain('events');

      const future = await central.push(ws.token, { ...makeBatch(id, []), protocol: 2 });
      expect(future.status).toBe(400);
      expect(error(future).message).toContain('sync protocol 1');

      const tooMany = await central.push(
        ws.token,
        makeBatch(id, makeEvents(1, SYNC_LIMITS.maxEventsPerBatch + 1)),
      );
      expect(tooMany.status).toBe(400);
      expect(error(tooMany).message).toContain('events');

      // Over the wire limit, plain.
      const big = makeBatch(id, makeEvents(1, 600, { message: 'x'.repeat(2_000), meta: null }));
      const bigText = JSON.stringify(big);
      expect(Buffer.byteLength(bigText)).toBeGreaterThan(SYNC_LIMITS.maxRequestBytes);
      const oversized = await central.push(ws.token, bigText);
      expect(oversized.status).toBe(413);
      expect(error(oversized)).toMatchObject({
        code: 'TOO_LARGE',
        message: expect.stringContaining(`${SYNC_LIMITS.maxRequestBytes}`),
      });
      // The same without a Content-Length (chunked): caught while reading.
      const streamed = await chunkedPost(`${central.url}/api/v1/ingest`, ws.token, Buffer.from(bigText));
      expect(streamed.status).toBe(413);
      expect(JSON.parse(streamed.text)).toMatchObject({ error: { code: 'TOO_LARGE' } });

      // Small on the wire, enormous inflated: 64 MiB of spaces after a valid start.
      const bomb = gzipSync(
        Buffer.concat([Buffer.from('{"protocol":1,"events":['), Buffer.alloc(64 * 1024 * 1024, 0x20)]),
      );
      expect(bomb.length).toBeLessThan(SYNC_LIMITS.maxRequestBytes);
      const bombed = await central.push(ws.token, bomb, { headers: { 'Content-Encoding': 'gzip' } });
      expect(bombed.status).toBe(413);
      expect(error(bombed).message).toContain('inflates to more than');

      const notGzip = await central.push(ws.token, 'plain text', { headers: { 'Content-Encoding': 'gzip' } });
      expect(notGzip.status).toBe(400);
      expect(error(notGzip).message).toContain('gzip');
      const brotli = await central.push(ws.token, JSON.stringify(makeBatch(id, [])), {
        headers: { 'Content-Encoding': 'br' },
      });
      expect(brotli.status).toBe(415);

      expect(await central.count(ws.workspaceId)).toBe(0);
      // The connection still serves the next request after all of that.
      expect((await central.push(ws.token, makeBatch(id, makeEvents(1, 3)))).status).toBe(200);
      expect(await central.count(ws.workspaceId)).toBe(3);
    });
  });

  describe('admin API', () => {
    it('needs the admin token', async () => {
      const ws = await central.enrolled('Admin Only');
      for (const path of [
        '/api/admin/installations',
        '/api/admin/workspaces',
        `/api/admin/workspaces/${ws.workspaceId}/events`,
      ]) {
        expect((await central.request('GET', path)).status).toBe(401);
        expect(
          (await central.request('GET', path, { headers: { Authorization: `Bearer ${ws.token}` } })).status,
        ).toBe(401);
      }
      const create = await central.request('POST', '/api/admin/enrollments', {
        headers: { Authorization: 'Bearer nope', 'Content-Type': 'application/json' },
        body: JSON.stringify({ workspaceName: 'x' }),
      });
      expect(create.status).toBe(401);
      const invalid = await central.admin('POST', '/api/admin/enrollments', { workspaceName: '' });
      expect(invalid.status).toBe(400);
    });

    it('lists installations and workspaces with last seen, numbers, messages per day and errors', async () => {
      const installation = makeInstallation({ name: 'Front desk PC' });
      const ws = await central.enrolled('Listed Shop', installation);
      const now = central.clock.now();
      await central.push(
        ws.token,
        makeBatch(
          installation.id,
          [
            makeEvent(1, { type: 'message.received', ts: now - 1000 }),
            makeEvent(2, { type: 'message.sent', ts: now - 900 }),
            makeEvent(3, { type: 'pipeline.crashed', level: 'error', ts: now - 800 }),
          ],
          {
            numbers: [
              { number: '+2348031234567', provider: 'baileys', status: 'connected', updatedAt: now - 5000 },
            ],
          },
        ),
      );

      const { body: list } = await central.admin<{ installations: InstallationSummary[] }>(
        'GET',
        '/api/admin/installations',
      );
      const inst = list.installations.find((i) => i.id === installation.id)!;
      expect(inst).toMatchObject({
        name: 'Front desk PC',
        lastSeenAt: now,
        workspaces: [{ id: ws.workspaceId, name: 'Listed Shop' }],
      });

      const { body: all } = await central.admin<{ workspaces: WorkspaceSummary[] }>(
        'GET',
        '/api/admin/workspaces',
      );
      const summary = all.workspaces.find((w) => w.id === ws.workspaceId)!;
      expect(summary).toMatchObject({
        lastSeenAt: now,
        errorsLast24h: 1,
        numbers: [{ number: '+2348031234567', status: 'connected', reportedAt: now }],
      });
      expect(summary.messagesPerDay).toHaveLength(14);
      expect(summary.messagesPerDay.reduce((s, d) => s + d.in + d.out, 0)).toBe(2);
      expect((await central.admin('GET', '/api/admin/workspaces/no-such-id')).status).toBe(404);
    });

    it('pages a workspace’s events by seq with level and type filters', async () => {
      const ws = await central.enrolled('Drill Down');
      await central.push(ws.token, makeBatch(ws.installation.id, makeEvents(1, 230)));
      const base = `/api/admin/workspaces/${ws.workspaceId}/events`;
      const seen: number[] = [];
      let before: number | null = null;
      do {
        const query: string = before === null ? '?limit=100' : `?limit=100&before=${before}`;
        const { status, body }: { status: number; body: EventsPage } = await central.admin<EventsPage>(
          'GET',
          base + query,
        );
        expect(status).toBe(200);
        seen.push(...body.events.map((e) => e.seq));
        before = body.nextBefore;
      } while (before !== null);
      expect(seen).toEqual(Array.from({ length: 230 }, (_, i) => 230 - i));

      const errors = await central.admin<EventsPage>('GET', `${base}?level=error`);
      expect(errors.body.events.map((e) => e.seq)).toEqual([200, 150, 100, 50]);
      const typed = await central.admin<EventsPage>(
        'GET',
        `${base}?type=${encodeURIComponent('message.*')}&level=warn&limit=500`,
      );
      expect(typed.body.events.length).toBeGreaterThan(0);
      expect(typed.body.events.every((e) => e.level === 'warn' && e.type.startsWith('message.'))).toBe(true);
      expect((await central.admin('GET', `${base}?limit=0`)).status).toBe(400);
      expect((await central.admin('GET', `${base}?level=loud`)).status).toBe(400);
      expect((await central.admin('GET', '/api/admin/workspaces/nope/events')).status).toBe(404);
    });
  });

  it('stores text with NUL faithfully (one rule for every text column): ingest, admin inputs, path ids, filters', async () => {
    // PostgreSQL refuses U+0000 in text: it was a 500 for ever, and the push client resent the batch.
    const name = 'Nul\u0000Shop \uE000e';
    const ws = await central.enrolled(name, makeInstallation({ name: 'PC\u0000 1' }));
    const texts = ['Hi\u0000 there', '\u0000', 'private \uE000 use \uE0000', 'plain'];
    const events = texts.map((message, i) =>
      makeEvent(i + 1, { message, text: `${message}!`, contactId: `c\u0000${i}`, type: 'message.received' }),
    );
    const reply = await central.push(ws.token, makeBatch(ws.installation.id, events));
    expect(reply).toMatchObject({ status: 200, body: { ackedSeq: 4, stored: 4 } });
    const base = `/api/admin/workspaces/${ws.workspaceId}`;
    const page = await central.admin<EventsPage>('GET', `${base}/events?limit=10`);
    expect(page.body.events.map((e) => [e.message, e.text, e.contactId]).reverse()).toEqual(
      texts.map((t, i) => [t, `${t}!`, `c\u0000${i}`]),
    );
    expect((await central.admin<WorkspaceSummary>('GET', base)).body.name).toBe(name);
    // Path ids and filters with NUL: not found or nothing matches, never a 500.
    expect((await central.admin('GET', '/api/admin/workspaces/a%00b')).status).toBe(404);
    expect((await central.admin('GET', '/api/admin/workspaces/a%00b/events')).status).toBe(404);
    const filtered = await central.admin<EventsPage>(
      'GET',
      `${base}/events?type=message.%00*&installation=x%00`,
    );
    expect(filtered).toMatchObject({ status: 200, body: { events: [] } });
    const code = await central.admin('POST', '/api/admin/enrollments', {
      workspaceName: '\u0000',
      validForHours: 1,
    });
    expect(code.status).toBe(201);
  });

  it('answers unknown paths with 404 and wrong methods with 405, as JSON', async () => {
    const missing = await central.request('GET', '/api/v1/nothing');
    expect(missing.status).toBe(404);
    expect((missing.body as SyncErrorBody).error.code).toBe('NOT_FOUND');
    const wrong = await central.request('GET', '/api/v1/ingest');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});

describe.each(TEST_DIALECTS)('central rate limits (%s)', (kind) => {
  let central: TestServer;
  beforeAll(async () => {
    central = await startTestServer(kind, {
      rateLimits: { ingest: { ratePerSecond: 20, burst: 40 }, anonymous: { ratePerSecond: 2, burst: 3 } },
    });
  });
  afterAll(() => central?.close());

  it('answers 429 with Retry-After once a token’s bucket is empty, per token', async () => {
    const a = await central.enrolled('Busy Shop');
    const b = await central.enrolled('Quiet Shop');
    const batch = makeBatch(a.installation.id, []);
    // The clock stands still: the burst (40) is all there is.
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++) statuses.push((await central.push(a.token, batch)).status);
    expect(statuses.slice(0, 40)).toEqual(Array(40).fill(200));
    const refused = await central.push(a.token, batch);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((refused.body as SyncErrorBody).error.code).toBe('RATE_LIMITED');
    expect((await central.push(b.token, makeBatch(b.installation.id, []))).status).toBe(200);
    central.clock.advance(1000);
    expect((await central.push(a.token, batch)).status).toBe(200);
  });

  it('limits enrollment attempts per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await central.enroll('ZZZZ-ZZZZ-ZZZZ-ZZZZ')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('bad enrollment codes never lock the admin out of signing in (separate buckets)', async () => {
    // Behind an HTTPS proxy every client has the proxy's address: shops' typos share one bucket.
    for (let i = 0; i < 10; i++) await central.enroll('ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    expect((await central.enroll('ZZZZ-ZZZZ-ZZZZ-ZZZZ')).status).toBe(429);
    const signIn = await central.request('POST', '/login', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: central.adminToken }).toString(),
    });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('set-cookie')).toContain('central_session=');
    // And the other way round: guessing the admin token does not stop enrollment.
    central.clock.advance(60_000);
    const guess = () =>
      central.request('POST', '/login', {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'token=guess',
      });
    for (let i = 0; i < 10; i++) await guess();
    expect((await guess()).status).toBe(429);
    expect((await central.enroll('ZZZZ-ZZZZ-ZZZZ-ZZZZ')).status).toBe(401);
  });
});
