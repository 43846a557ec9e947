// The webhook relay's central side over real HTTP, on SQLite and PostgreSQL: the GET handshake, signed
// POSTs committed before 200 and stored once, refusals that store nothing, unroutable changes, and the
// long poll + ack, each workspace token seeing only its own workspace's notifications; routing by the
// numbers a POST names under the secret that signed it, and registrations taking effect at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../src/central/testing/databases';
import { registerCloudNumber } from '../../src/central/cloud-numbers';
import { signBody } from '../../src/simulator/graph-api/index';
import { messagesNotification, metaJson } from '../../src/simulator/graph-api/notifications';
import type { RelayPollResponse } from '../../src/shared/relay-protocol';
import { startTestServer, type EnrolledWorkspace, type TestServer } from './harness';

const APP_SECRET = 'app-secret-of-the-meta-app';
const OTHER_SECRET = 'app-secret-of-another-meta-app';

/** Meta's envelope, typed far enough for the tests that put several changes in one POST. */
type Envelope = { object: string; entry: { id: string; changes: unknown[] }[] };

function notification(
  phoneNumberId: string,
  messageId: string,
  text = 'Ẹ káàárọ̀ 👋 do you open Sunday?',
): Envelope {
  return messagesNotification({ phoneNumberId, wabaId: '102290129340398', digits: '15550783881' }, [
    {
      contact: { profile: { name: 'Sheena' }, wa_id: '2348031234567' },
      message: {
        from: '2348031234567',
        id: messageId,
        timestamp: '1749416383',
        type: 'text',
        text: { body: text },
      },
    },
  ]) as unknown as Envelope;
}

describe.each(TEST_DIALECTS)('webhook relay on the central server (%s)', (kind) => {
  let central: TestServer;
  let shopA: EnrolledWorkspace;
  let shopB: EnrolledWorkspace;
  beforeAll(async () => {
    central = await startTestServer(kind);
    shopA = await central.enrolled('Shop A');
    shopB = await central.enrolled('Shop B');
    for (const [phoneNumberId, shop, appSecret] of [
      ['1001', shopA, APP_SECRET],
      ['2002', shopB, APP_SECRET],
      ['3003', shopB, OTHER_SECRET],
    ] as const) {
      const reply = await central.admin('POST', '/api/admin/cloud-numbers', {
        phoneNumberId,
        workspaceId: shop.workspaceId,
        appSecret,
        verifyToken: `verify-${phoneNumberId}-token`,
      });
      expect(reply.status).toBe(201);
    }
  });
  afterAll(() => central?.close());

  const post = (body: Buffer, signature?: string) =>
    central.request<{ stored?: number; duplicates?: number }>('POST', '/webhooks/whatsapp', {
      headers: {
        'Content-Type': 'application/json',
        ...(signature !== undefined && { 'X-Hub-Signature-256': signature }),
      },
      body,
    });
  const poll = (token: string, query = 'wait=0') =>
    central.request<RelayPollResponse>('GET', `/api/v1/relay?${query}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
  const rows = async (table: 'relay_notifications' | 'relay_unroutable') =>
    Number(
      (
        await central.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers the verification handshake only for a registered verify token', async () => {
    const ok = await central.request(
      'GET',
      '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-1001-token&hub.challenge=1158201444',
    );
    expect(ok).toMatchObject({ status: 200, body: '1158201444' });
    const wrong = await central.request(
      'GET',
      '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1',
    );
    expect(wrong.status).toBe(403);
    const mode = await central.request(
      'GET',
      '/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=verify-1001-token&hub.challenge=1',
    );
    expect(mode.status).toBe(403);
  });

  it('refuses a missing or wrong signature, and a body naming no registered number, storing nothing', async () => {
    const body = metaJson(notification('1001', 'wamid.refused'));
    expect((await post(body)).status).toBe(401);
    expect((await post(body, signBody(body, 'not-the-secret'))).status).toBe(401);
    expect((await post(body, 'sha256=zz')).status).toBe(401);
    // Signed over other bytes (the same JSON re-serialised without Meta's escaping).
    const reserialised = Buffer.from(JSON.stringify(notification('1001', 'wamid.refused')));
    expect((await post(body, signBody(reserialised, APP_SECRET))).status).toBe(401);
    // Malformed JSON, or not a notification: no number to verify against, so 401 whoever signed it.
    const broken = Buffer.from('{"object":"whatsapp_business_account","entry":[');
    expect((await post(broken, signBody(broken, APP_SECRET))).status).toBe(401);
    const other = Buffer.from('{"object":"page","entry":[]}');
    expect((await post(other, signBody(other, APP_SECRET))).status).toBe(401);
    // Signed, naming a registered number, but not a notification: 400.
    const named = Buffer.from('{"object":"page","metadata":{"phone_number_id":"1001"}}');
    expect((await post(named, signBody(named, APP_SECRET))).status).toBe(400);
    expect(await rows('relay_notifications')).toBe(0);
    expect(await rows('relay_unroutable')).toBe(0);
  });

  it('refuses a phone_number_id that is not digits with 400 before any query, and logs nothing', async () => {
    // "1\u0000" was a 500 with a 2 KB stack trace per POST on PostgreSQL (500 POSTs: 1.1 MB of log).
    const logged = central.logs.length;
    for (const id of ['1\u0000', '1001 or 1=1', 'x'.repeat(5000)]) {
      const body = metaJson(notification(id, 'wamid.forged'));
      for (const signature of [signBody(body, 'forged'), signBody(body, APP_SECRET)]) {
        const reply = await post(body, signature);
        expect(reply.status).toBe(400);
        expect(JSON.stringify(reply.body).length).toBeLessThan(300);
      }
    }
    expect(central.logs.slice(logged)).toEqual([]);
    expect(await rows('relay_notifications')).toBe(0);
    expect(await rows('relay_unroutable')).toBe(0);
  });

  it('commits a signed notification before 200, stores a replay once, refuses an unknown number', async () => {
    const body = metaJson(notification('1001', 'wamid.first'));
    const first = await post(body, signBody(body, APP_SECRET));
    expect(first).toMatchObject({ status: 200, body: { stored: 1, duplicates: 0 } });
    const replay = await post(body, signBody(body, APP_SECRET));
    expect(replay).toMatchObject({ status: 200, body: { stored: 0, duplicates: 1 } });

    // No secret is tried for a number nobody registered: 401, and Meta retries until it is registered.
    const unknown = metaJson(notification('9999', 'wamid.nobody'));
    expect((await post(unknown, signBody(unknown, APP_SECRET))).status).toBe(401);
    // 3003 belongs to another Meta app: a POST signed with this app's secret cannot speak for it.
    const spoof = metaJson(notification('3003', 'wamid.spoof'));
    expect((await post(spoof, signBody(spoof, APP_SECRET))).status).toBe(401);
    expect(await rows('relay_unroutable')).toBe(0);

    const pollA = await poll(shopA.token);
    expect(pollA.status).toBe(200);
    expect(pollA.body.notifications.map((n) => n.phoneNumberId)).toEqual(['1001']);
    const stored = pollA.body.notifications[0]!;
    expect(JSON.stringify(stored.notification)).toContain('Ẹ káàárọ̀ 👋');
    // B's token sees nothing of A's, and none of the unroutable ones.
    expect((await poll(shopB.token)).body.notifications).toEqual([]);
  });

  it('splits a POST per change and workspace, keeps order, delivers only to its own workspace, acks by seq', async () => {
    const multi = notification('1001', 'wamid.a1');
    const second = notification('2002', 'wamid.b1').entry[0]!.changes[0]!;
    const third = notification('1001', 'wamid.a2').entry[0]!.changes[0]!;
    multi.entry[0]!.changes.push(second, third);
    const body = metaJson(multi);
    expect(await post(body, signBody(body, APP_SECRET))).toMatchObject({
      status: 200,
      body: { stored: 3 },
    });

    const a = await poll(shopA.token);
    const idsOf = (r: RelayPollResponse) =>
      r.notifications.map((n) => JSON.stringify(n.notification).match(/wamid\.\w+/)![0]);
    expect(idsOf(a.body)).toEqual(['wamid.first', 'wamid.a1', 'wamid.a2']);
    const seqs = a.body.notifications.map((n) => n.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const b = await poll(shopB.token);
    expect(idsOf(b.body)).toEqual(['wamid.b1']);

    // Acknowledged by POST: gone from the next poll; unacked ones stay.
    const ack = await central.request<{ ackedSeq: number }>('POST', '/api/v1/relay/ack', {
      headers: { Authorization: `Bearer ${shopA.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ seq: seqs[1] }),
    });
    expect(ack).toMatchObject({ status: 200, body: { ackedSeq: seqs[1] } });
    expect(idsOf((await poll(shopA.token)).body)).toEqual(['wamid.a2']);
    // Acknowledged by `after`; an ack past the last seq given out is clamped.
    expect((await poll(shopA.token, `after=${seqs[2]! + 50}&wait=0`)).body).toEqual({
      notifications: [],
      ackedSeq: seqs[2],
    });
    // Another workspace's token cannot acknowledge A's notifications.
    await central.request('POST', '/api/v1/relay/ack', {
      headers: { Authorization: `Bearer ${shopB.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ seq: 1_000 }),
    });
    expect(idsOf((await poll(shopB.token)).body)).toEqual([]);
  });

  it('a long poll waits for the next notification and answers as soon as it is committed', async () => {
    const started = Date.now();
    const waiting = poll(shopA.token, 'wait=10');
    await new Promise((r) => setTimeout(r, 150));
    const body = metaJson(notification('1001', 'wamid.later'));
    expect((await post(body, signBody(body, APP_SECRET))).status).toBe(200);
    const answer = await waiting;
    expect(answer.body.notifications).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    // Without a token, or with a wrong one: 401.
    expect((await central.request('GET', '/api/v1/relay')).status).toBe(401);
    expect((await poll('sbw_' + 'x'.repeat(43))).status).toBe(401);
  });

  it('the admin API refuses a registration without the admin token or for an unknown workspace', async () => {
    const anonymous = await central.request('POST', '/api/admin/cloud-numbers', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        phoneNumberId: '4004',
        workspaceId: shopA.workspaceId,
        appSecret: 'x'.repeat(10),
        verifyToken: 'y'.repeat(10),
      }),
    });
    expect(anonymous.status).toBe(401);
    const unknown = await central.admin('POST', '/api/admin/cloud-numbers', {
      phoneNumberId: '4004',
      workspaceId: 'nope',
      appSecret: 'x'.repeat(10),
      verifyToken: 'y'.repeat(10),
    });
    expect(unknown.status).toBe(404);
    const listed = await central.admin<{ cloudNumbers: { phoneNumberId: string }[] }>(
      'GET',
      '/api/admin/cloud-numbers',
    );
    expect(listed.body.cloudNumbers.map((n) => n.phoneNumberId)).toEqual(['1001', '2002', '3003']);
    expect(JSON.stringify(listed.body)).not.toContain(APP_SECRET);
    const sealed = await central.database.db
      .selectFrom('cloud_numbers')
      .select('app_secret_sealed')
      .execute();
    expect(JSON.stringify(sealed)).not.toContain(APP_SECRET);
  });

  it('routes a POST by the numbers it names, yet only under the secret that signed it', async () => {
    // 1001 (this app) and 3003 (another app) in one POST signed by this app: 3003's change is unroutable.
    const mixed = notification('1001', 'wamid.mixed1');
    mixed.entry[0]!.changes.push(notification('3003', 'wamid.mixed3').entry[0]!.changes[0]);
    const body = metaJson(mixed);
    const before = await rows('relay_unroutable');
    expect(await post(body, signBody(body, APP_SECRET))).toMatchObject({
      status: 200,
      body: { stored: 1 },
    });
    expect(await rows('relay_unroutable')).toBe(before + 1);
    // Naming 1001 but signed by the other app: only 1001's secret is tried, so 401.
    const other = metaJson(notification('1001', 'wamid.other-app'));
    expect((await post(other, signBody(other, OTHER_SECRET))).status).toBe(401);
    expect(await rows('relay_unroutable')).toBe(before + 1);
    // Broken JSON with a well-formed but wrong signature is a 401, not a 400: nothing was verified.
    const broken = Buffer.from('{"object":"whatsapp_business_account","entry":[');
    expect((await post(broken, signBody(broken, 'not-the-secret'))).status).toBe(401);
    const bare = Buffer.from('{"object":"page","entry":[]}');
    expect((await post(bare, signBody(bare, OTHER_SECRET))).status).toBe(401);
  });

  it('a number registered again, or removed, takes effect on the next POST', async () => {
    const register = (appSecret: string) =>
      central.admin('POST', '/api/admin/cloud-numbers', {
        phoneNumberId: '5005',
        workspaceId: shopA.workspaceId,
        appSecret,
        verifyToken: 'verify-5005-token',
      });
    const send = (id: string, appSecret: string) => {
      const body = metaJson(notification('5005', id));
      return post(body, signBody(body, appSecret));
    };
    expect((await register('first-secret-5005')).status).toBe(201);
    expect((await send('wamid.5005a', 'first-secret-5005')).body).toMatchObject({ stored: 1 });
    expect((await register('second-secret-5005')).status).toBe(201);
    expect((await send('wamid.5005b', 'first-secret-5005')).status).toBe(401);
    expect((await send('wamid.5005c', 'second-secret-5005')).body).toMatchObject({ stored: 1 });

    // Registered again through another server sharing this database: this one follows at once.
    await registerCloudNumber(
      central.database,
      central.secretKey,
      {
        phoneNumberId: '5005',
        workspaceId: shopB.workspaceId,
        appSecret: 'third-secret-5005',
        verifyToken: 'verify-5005-token',
      },
      central.clock.now(),
    );
    expect((await send('wamid.5005d', 'second-secret-5005')).status).toBe(401);
    expect((await send('wamid.5005e', 'third-secret-5005')).body).toMatchObject({ stored: 1 });
    expect(
      (await poll(shopB.token)).body.notifications.filter((n) => n.phoneNumberId === '5005'),
    ).toHaveLength(1);

    const removed = await central.request('DELETE', '/api/admin/cloud-numbers/5005', {
      headers: { Authorization: `Bearer ${central.adminToken}` },
    });
    expect(removed.status).toBe(204);
    expect((await send('wamid.5005f', 'third-secret-5005')).status).toBe(401);
    expect((await central.admin('DELETE', '/api/admin/cloud-numbers/5005')).status).toBe(404);
    expect((await central.request('DELETE', '/api/admin/cloud-numbers/1001')).status).toBe(401);
  });

  it('refused POSTs are rate-limited per address: past the budget, refused before the body is verified', async () => {
    const limited = await startTestServer(kind, {
      rateLimits: { webhookRefusals: { ratePerSecond: 1, burst: 3 } },
    });
    try {
      const forged = metaJson(notification('1001', 'wamid.forged'));
      const send = (body: Buffer, signature: string) =>
        limited.request('POST', '/webhooks/whatsapp', {
          headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signature },
          body,
        });
      for (let i = 0; i < 3; i++) expect((await send(forged, signBody(forged, 'guess'))).status).toBe(401);
      const refused = await send(forged, signBody(forged, 'guess'));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      limited.clock.advance(1_000);
      expect((await send(forged, signBody(forged, 'guess'))).status).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
