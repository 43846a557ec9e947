// The headless host taking Cloud API webhooks itself (issue #9): the local Graph API server, behaving as
// Meta does (signed POSTs, retries until a 200, repeats, several messages per POST), points its callback
// at a real headless host (real HTTP on 127.0.0.1, real SQLite files) holding a Cloud number connected
// with its app secret and verify token. No access token goes with the webhooks: Meta has none.
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../src/core/testing/temp-files';
import { newAccessToken } from '../../src/server/access-token';
import { startHeadlessHost, type HeadlessHost } from '../../src/server/host';
import { WEBHOOK_PATH } from '../../src/server/webhook-route';
import type { E164, WorkspaceId } from '../../src/shared/types';
import {
  signBody,
  startGraphApiServer,
  type GraphApiServer,
  type SimNumber,
} from '../../src/simulator/graph-api/index';
import { messagesNotification, metaJson } from '../../src/simulator/graph-api/notifications';

const SHOP = '+2348090000001' as E164;
/** A number Meta sends to this host's address that no workspace here connected. */
const STRANGER = '+2348090000099';
const VERIFY_TOKEN = 'chidi-verify-token-7f3a';
const FAQS = [
  ['What are your opening hours?', 'We are open 8am to 6pm, Monday to Saturday.'],
  ['Do you deliver to Yaba?', 'Yes, we deliver to Yaba for 1,500 naira.'],
  ['How much is paracetamol?', 'Paracetamol is 800 naira a pack.'],
] as const;

const token = newAccessToken();
let sim: GraphApiServer;
let shopNumber: SimNumber;
let strangerNumber: SimNumber;
let host: HeadlessHost;
let cleanupDir: () => void;
let workspaceId: WorkspaceId;

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function command<T>(name: string, input: unknown): Promise<T> {
  const response = await fetch(`${host.url}/api/commands/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!result.ok) throw new Error(`${name}: ${result.error?.message}`);
  return result.value as T;
}

/** A POST as anyone on the internet could send it: no access token, whatever signature. */
async function post(body: Buffer | string, signature?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${host.url}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(signature !== undefined && { 'X-Hub-Signature-256': signature }),
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** A POST whose Content-Length promises more than it sends: the answer must not wait for the rest. */
function postDeclaring(length: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${host.url}${WEBHOOK_PATH}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(length) },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    // The server closes the connection after its 413; that is not a failure of the test.
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.write('{"object":');
  });
}

/** A customer's text as Meta would carry it to the shop's number (not sent by the simulator). */
function customerText(id: string, text: string, number: SimNumber = shopNumber): Buffer {
  return metaJson(
    messagesNotification(number, [
      {
        contact: { profile: { name: 'Mallory' }, wa_id: '2348031119999' },
        message: {
          from: '2348031119999',
          id,
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'text',
          text: { body: text },
        },
      },
    ]),
  );
}

const count = async (table: 'messages' | 'unroutable_messages', direction?: 'in' | 'out') => {
  let query = host.app.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (direction !== undefined && table === 'messages') query = query.where('direction', '=', direction);
  return Number((await query.executeTakeFirstOrThrow()).n);
};

/** The event log, once the logger's batched sink has written it. */
async function eventsOf(type: string): Promise<{ message: string; meta: string | null }[]> {
  return host.app.store.db
    .selectFrom('events')
    .select(['message', 'meta'])
    .where('type', '=', type)
    .orderBy('seq')
    .execute();
}

async function waitForEvent(type: string, matches: (e: { message: string; meta: string | null }) => boolean) {
  let found: { message: string; meta: string | null } | undefined;
  await waitFor(async () => {
    found = (await eventsOf(type)).find(matches);
    return found !== undefined;
  }, `a ${type} event`);
  return found!;
}

const deliveryOf = (messageId: string) => {
  const delivery = sim.deliveries.find((d) => d.body.toString('utf8').includes(messageId));
  if (delivery === undefined) throw new Error(`no webhook carried ${messageId}`);
  return delivery;
};

describe('the headless host takes Cloud API webhooks itself', () => {
  beforeAll(async () => {
    sim = await startGraphApiServer({
      statuses: { delayMs: 10 },
      webhooks: { retryBaseMs: 50, retryMaxMs: 200, maxAttempts: 10_000 },
    });
    shopNumber = sim.addNumber({ phone: SHOP, verifiedName: 'Chidi Pharmacy', qualityRating: 'GREEN' });
    strangerNumber = sim.addNumber({ phone: STRANGER, verifiedName: 'Somebody Else' });
    const temp = makeTempDir('switchboard-direct-webhooks-');
    cleanupDir = temp.cleanup;
    host = await startHeadlessHost({
      dataDir: join(temp.dir, 'data'),
      token,
      fileLog: false,
      durability: 'normal',
      // No numberConfig: what cloud.connect stored (token, app secret, verify token) is all there is.
      whatsapp: { livenessIntervalMs: 0, cloudApi: { healthIntervalMs: 0 } },
    });
    const created = await command<{ workspace: { id: WorkspaceId } }>('workspace.create', {
      name: 'Chidi Pharmacy',
      defaultCountry: 'NG',
    });
    workspaceId = created.workspace.id;
    await command('workspace.updateSettings', {
      workspaceId,
      settings: {
        greeting: { enabled: false },
        floodGuard: { enabled: false },
        pacing: { enabled: false },
      },
    });
    for (const [question, answer] of FAQS) {
      await command('faq.create', { workspaceId, question, answer, phrasings: [question] });
    }
  }, 30_000);

  afterAll(async () => {
    await sim?.stop();
    await host?.close();
    cleanupDir?.();
  });

  it('is off (404) while no Cloud number has an app secret', async () => {
    const body = customerText('wamid.OFF1', 'hello');
    expect((await post(body, signBody(body, sim.appSecret))).status).toBe(404);
    sim.setWebhookUrl(`${host.url}${WEBHOOK_PATH}`);
    expect(await sim.verifyCallback(VERIFY_TOKEN)).toEqual({ status: 404, ok: false });
    sim.setWebhookUrl(null);
    await waitForEvent('cloud.webhook_refused', (e) => e.meta?.includes('"reason":"off"') === true);
    expect(await count('messages')).toBe(0);
  });

  it('answers the handshake with the stored verify token once the number is connected with its secret', async () => {
    await command('cloud.connect', {
      workspaceId,
      phoneNumberId: shopNumber.phoneNumberId,
      wabaId: shopNumber.wabaId,
      accessToken: shopNumber.accessToken,
      appSecret: sim.appSecret,
      verifyToken: VERIFY_TOKEN,
      graphBaseUrl: sim.url,
    });
    sim.setWebhookUrl(`${host.url}${WEBHOOK_PATH}`);
    expect(await sim.verifyCallback(VERIFY_TOKEN)).toEqual({ status: 200, ok: true });
    expect(await sim.verifyCallback('not-the-token')).toEqual({ status: 403, ok: false });
    const noMode = await fetch(`${host.url}${WEBHOOK_PATH}?hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`);
    expect(noMode.status).toBe(403);
    const refused = await waitForEvent(
      'cloud.webhook_verify_refused',
      (e) => e.meta?.includes('wrong-token') === true,
    );
    expect(JSON.stringify(refused)).not.toContain('not-the-token');
    // The route opened nothing else: the API still wants the access token.
    const api = await fetch(`${host.url}/api/commands/workspace.list`, { method: 'POST', body: '{}' });
    expect(api.status).toBe(401);
  });

  it('refuses a missing or wrong signature with 401 and stores nothing', async () => {
    const body = customerText('wamid.FORGED1', 'What are your opening hours?');
    expect((await post(body)).status).toBe(401);
    expect((await post(body, signBody(body, 'someone-elses-secret'))).status).toBe(401);
    expect((await post(body, 'sha256=not-hex')).status).toBe(401);
    // Signed over other bytes (the same JSON re-serialised): the signature covers the raw bytes.
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')), null, 1));
    expect((await post(reserialised, signBody(body, sim.appSecret))).status).toBe(401);
    const missing = await waitForEvent(
      'cloud.webhook_refused',
      (e) => e.meta?.includes('"reason":"missing-signature"') === true,
    );
    const bad = await waitForEvent(
      'cloud.webhook_refused',
      (e) => e.meta?.includes('"reason":"bad-signature"') === true,
    );
    for (const event of [missing, bad]) expect(JSON.stringify(event)).not.toContain(sim.appSecret);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await count('messages')).toBe(0);
    expect(await count('unroutable_messages')).toBe(0);
  });

  it('2,000 forged POSTs are a row or two in the log, not 2,000', async () => {
    const before = (await eventsOf('cloud.webhook_refused')).length;
    const body = customerText('wamid.FLOOD', 'What are your opening hours?');
    const signature = signBody(body, 'a-forgers-guess');
    for (let i = 0; i < 2_000; i += 20)
      await Promise.all(
        Array.from({ length: 20 }, async () => expect((await post(body, signature)).status).toBe(401)),
      );
    await host.app.logger.flush();
    expect((await eventsOf('cloud.webhook_refused')).length - before).toBeLessThanOrEqual(2);
  }, 60_000);

  it('refuses malformed JSON and non-notifications with 400, and bodies over the limit with 413', async () => {
    const broken = Buffer.from('{"object":"whatsapp_business_account","entry":[');
    const answer = await post(broken, signBody(broken, sim.appSecret));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: 'malformed-json' });
    const other = Buffer.from('{"object":"page","entry":[]}');
    expect((await post(other, signBody(other, sim.appSecret))).status).toBe(400);
    // Refused on the declared length, before a byte of the body is read.
    expect(await postDeclaring(host.app.cloudWebhooks.maxBodyBytes + 1)).toBe(413);
    await waitForEvent('cloud.webhook_refused', (e) => e.meta?.includes('"reason":"too-large"') === true);
    expect(await count('messages')).toBe(0);
  });

  it('keeps a message to an unknown phone_number_id as unroutable, answers 200 and never replies', async () => {
    const stranger = sim.customer('+2348031110009');
    const id = await stranger.send(STRANGER, 'Hello, anyone there?');
    await sim.idle();
    expect(deliveryOf(id).results).toEqual([200]);
    const kept = await host.app.store.db
      .selectFrom('unroutable_messages')
      .selectAll()
      .where('provider_message_id', '=', id)
      .execute();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ business_number: STRANGER, text: 'Hello, anyone there?' });
    const event = await waitForEvent(
      'cloud.webhook_unroutable',
      (e) => e.meta?.includes(strangerNumber.phoneNumberId) === true,
    );
    expect(event.meta).toContain('unknown-number');
    // Meta's retry of it is kept once.
    sim.replay(deliveryOf(id));
    await sim.idle();
    expect(await count('unroutable_messages')).toBe(1);
    expect(await count('messages')).toBe(0);
    expect(stranger.replies).toHaveLength(0);
  });

  it('answers a customer exactly once even when Meta repeats the POST, and statuses update the reply', async () => {
    const ada = sim.customer('+2348031110001', { name: 'Ada' });
    const id = await ada.send(SHOP, FAQS[0][0]);
    await ada.waitForReplies(1, 15_000);
    expect(ada.replies.map((r) => r.text)).toEqual([FAQS[0][1]]);
    // Meta sends it again (a duplicate, and a retry after a lost 200): both get 200, neither a reply.
    sim.replay(deliveryOf(id));
    sim.replay(deliveryOf(id));
    await sim.idle();
    expect(deliveryOf(id).results).toEqual([200, 200, 200]);

    // The reply's statuses (sent, delivered, read) arrive as webhooks too and move its row forward.
    const reply = ada.replies[0]!;
    await waitFor(async () => {
      const row = await host.app.store.db
        .selectFrom('messages')
        .select('status')
        .where('provider_message_id', '=', reply.id)
        .executeTakeFirst();
      return row?.status === 'read';
    }, 'the reply marked read');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ada.replies).toHaveLength(1);
    expect(await count('messages', 'in')).toBe(1);
  });

  it('takes several customers in one POST, each answered once', async () => {
    const bayo = sim.customer('+2348031110002', { name: 'Bayo' });
    const chioma = sim.customer('+2348031110003', { name: 'Chioma' });
    const ids = sim.sendBatch(SHOP, [
      { customer: bayo, text: FAQS[1][0] },
      { customer: chioma, text: FAQS[2][0] },
    ]);
    await bayo.waitForReplies(1, 15_000);
    await chioma.waitForReplies(1, 15_000);
    sim.replay(deliveryOf(ids[0]!));
    await sim.idle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bayo.replies.map((r) => r.text)).toEqual([FAQS[1][1]]);
    expect(chioma.replies.map((r) => r.text)).toEqual([FAQS[2][1]]);
    expect(await count('messages', 'in')).toBe(3);
  });

  it('answers 503 while the number is not running, so Meta retries and nothing is lost', async () => {
    await host.app.connections.remove(workspaceId, SHOP);
    const dayo = sim.customer('+2348031110004', { name: 'Dayo' });
    const id = await dayo.send(SHOP, FAQS[1][0]);
    await waitFor(() => deliveryOf(id).results.filter((r) => r === 503).length >= 2, 'Meta retrying');
    await waitForEvent('cloud.webhook_refused', (e) => e.meta?.includes('"reason":"not-started"') === true);
    expect(dayo.replies).toHaveLength(0);

    const number = (await host.app.workspaces.listNumbers(workspaceId)).find((n) => n.e164 === SHOP)!;
    host.app.connections.start(number, 'test: back');
    await dayo.waitForReplies(1, 15_000);
    await sim.idle();
    expect(deliveryOf(id).results.at(-1)).toBe(200);
    expect(dayo.replies.map((r) => r.text)).toEqual([FAQS[1][1]]);
    expect(await count('messages', 'in')).toBe(4);
  });

  it('hands a change only to a number whose own app secret signed it; others are kept, not answered', async () => {
    // Two more numbers of the shop: one connected without an app secret, one under another Meta app.
    const noSecret = sim.addNumber({ phone: '+2348090000002', verifiedName: 'Chidi Pharmacy Ikeja' });
    const otherApp = sim.addNumber({ phone: '+2348090000003', verifiedName: 'Chidi Pharmacy Lekki' });
    for (const [number, appSecret] of [
      [noSecret, ''],
      [otherApp, 'the-other-apps-secret'],
    ] as const) {
      await command('cloud.connect', {
        workspaceId,
        phoneNumberId: number.phoneNumberId,
        wabaId: number.wabaId,
        accessToken: number.accessToken,
        appSecret,
        graphBaseUrl: sim.url,
      });
    }
    // The simulator signs everything with the shop's app secret.
    const emeka = sim.customer('+2348031110005', { name: 'Emeka' });
    const first = await emeka.send('+2348090000002', FAQS[0][0]);
    const second = await emeka.send('+2348090000003', FAQS[0][0]);
    await sim.idle();
    expect(deliveryOf(first).results).toEqual([200]);
    expect(deliveryOf(second).results).toEqual([200]);
    await waitForEvent('cloud.webhook_unroutable', (e) => e.meta?.includes('"why":"no-app-secret"') === true);
    await waitForEvent('cloud.webhook_unroutable', (e) => e.meta?.includes('"why":"other-app"') === true);
    const kept = await host.app.store.db
      .selectFrom('unroutable_messages')
      .select('provider_message_id')
      .where('provider_message_id', 'in', [first, second])
      .execute();
    expect(kept).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(emeka.replies).toHaveLength(0);
  });
});
