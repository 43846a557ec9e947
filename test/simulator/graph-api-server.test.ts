// The local Graph API server on its own, spoken to with plain fetch and a bare HTTP callback: the
// shapes and habits of cloud-api-notes.md that the Cloud API provider is tested against.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startGraphApiServer,
  type GraphApiServer,
  type SimNumber,
} from '../../src/simulator/graph-api/index';
import { NEW_STOCK_TEMPLATE } from '../../src/simulator/graph-api/sample-templates';

const SHOP = '+2348090000001';

let sim: GraphApiServer;
let number: SimNumber;
let callback: Server;
/** What the callback received: raw body, signature, and the status it answered. */
let posts: { body: Buffer; signature: string; json: Record<string, unknown>; answered: number }[];
/** Status codes the callback answers, in turn (then 200). */
let answers: number[];

beforeEach(async () => {
  posts = [];
  answers = [];
  callback = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET') {
        const url = new URL(req.url ?? '/', 'http://x');
        const ok = url.searchParams.get('hub.verify_token') === 'my-verify-token';
        res.writeHead(ok ? 200 : 403).end(ok ? url.searchParams.get('hub.challenge') : '');
        return;
      }
      const body = Buffer.concat(chunks);
      const answered = answers.shift() ?? 200;
      posts.push({
        body,
        signature: String(req.headers['x-hub-signature-256']),
        json: JSON.parse(body.toString()) as Record<string, unknown>,
        answered,
      });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
  sim = await startGraphApiServer({
    appSecret: 'shh',
    webhookUrl: `http://127.0.0.1:${(callback.address() as AddressInfo).port}/hook`,
    webhooks: { retryBaseMs: 20 },
    statuses: { delayMs: 5 },
  });
  number = sim.addNumber({ phone: SHOP, verifiedName: 'Mama Put Kitchen' });
});

afterEach(async () => {
  await sim.stop();
  callback.closeAllConnections();
  await new Promise<void>((r) => callback.close(() => r()));
});

function graph(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
  const token = init.token === undefined ? number.accessToken : init.token;
  return fetch(`${sim.url}/v25.0${path}`, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      ...(token !== null && { authorization: `Bearer ${token}` }),
    },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
}

const textTo = (to: string, body: string, extra: Record<string, unknown> = {}) => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  type: 'text',
  text: { body, preview_url: false },
  ...extra,
});

describe('webhooks', () => {
  it('are signed with HMAC-SHA256 of the raw bytes, non-ASCII escaped as Meta writes it', async () => {
    await sim.customer('+2348031234567', { name: 'Adaèze' }).send(SHOP, 'Jollof 🍛 dey?');
    await sim.idle();
    const [post] = posts;
    expect(post!.signature).toBe(`sha256=${createHmac('sha256', 'shh').update(post!.body).digest('hex')}`);
    expect(post!.body.toString()).toContain('\\ud83c\\udf5b');
    expect(post!.json).toMatchObject({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: number.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { display_phone_number: '2348090000001', phone_number_id: number.phoneNumberId },
                contacts: [{ profile: { name: 'Adaèze' }, wa_id: '2348031234567' }],
                messages: [{ from: '2348031234567', type: 'text', text: { body: 'Jollof 🍛 dey?' } }],
              },
            },
          ],
        },
      ],
    });
  });

  it('are retried with growing delays until the callback answers 200', async () => {
    answers = [500, 503, 404];
    const started = Date.now();
    await sim.customer('+2348031234567').send(SHOP, 'hello');
    await sim.idle();
    expect(posts.map((p) => p.answered)).toEqual([500, 503, 404, 200]);
    expect(new Set(posts.map((p) => p.body.toString())).size).toBe(1); // the same bytes every time
    expect(Date.now() - started).toBeGreaterThanOrEqual(20 + 40 + 80);
    expect(sim.deliveries[0]!.state).toBe('delivered');
  });

  it('can arrive twice (duplicateRate), and a replay is the same bytes', async () => {
    await sim.stop();
    sim = await startGraphApiServer({
      appSecret: 'shh',
      webhookUrl: `http://127.0.0.1:${(callback.address() as AddressInfo).port}/hook`,
      webhooks: { duplicateRate: 1 },
    });
    sim.addNumber({ phone: SHOP });
    await sim.customer('+2348031234567').send(SHOP, 'hello');
    await sim.idle();
    sim.replay();
    await sim.idle();
    expect(posts).toHaveLength(3);
    expect(new Set(posts.map((p) => p.body.toString())).size).toBe(1);
  });

  it('a username customer has an empty wa_id and from, and a user_id', async () => {
    const customer = sim.customer('+2348039999999', { username: 'ada.styles' });
    await customer.send(SHOP, 'hi');
    await sim.idle();
    const value = (posts[0]!.json.entry as { changes: { value: Record<string, unknown[]> }[] }[])[0]!
      .changes[0]!.value;
    expect(value.contacts![0]).toEqual({
      profile: { name: 'ada.styles' },
      wa_id: '',
      user_id: customer.userId,
    });
    expect(value.messages![0]).toMatchObject({ from: '' });
  });

  it('several messages in one POST', async () => {
    const a = sim.customer('+2348031234567');
    const b = sim.customer('+2347061234567');
    sim.sendBatch(SHOP, [
      { customer: a, text: 'one' },
      { customer: b, text: 'two' },
      { customer: a, text: 'three' },
    ]);
    await sim.idle();
    expect(posts).toHaveLength(1);
    const value = (posts[0]!.json.entry as { changes: { value: Record<string, unknown[]> }[] }[])[0]!
      .changes[0]!.value;
    expect(value.messages).toHaveLength(3);
    expect(value.contacts).toHaveLength(3);
  });

  it('the GET verification handshake', async () => {
    expect(await sim.verifyCallback('my-verify-token')).toEqual({ status: 200, ok: true });
    expect(await sim.verifyCallback('wrong')).toEqual({ status: 403, ok: false });
  });
});

describe('sending', () => {
  it('accepts a text inside the window, delivers it, and posts statuses with pricing and the callback data', async () => {
    const ada = sim.customer('+2348031234567');
    const inbound = await ada.send(SHOP, 'hello');
    const response = await graph(`/${number.phoneNumberId}/messages`, {
      method: 'POST',
      body: textTo('2348031234567', 'Hi Ada', {
        biz_opaque_callback_data: 'OUTBOX-1',
        context: { message_id: inbound },
      }),
    });
    expect(response.status).toBe(200);
    const json = (await response.json()) as { messages: { id: string }[]; contacts: unknown[] };
    expect(json.messages[0]!.id).toMatch(/^wamid\./);
    expect(json.contacts).toEqual([{ input: '2348031234567', wa_id: '2348031234567' }]);
    expect(ada.replies[0]).toMatchObject({ text: 'Hi Ada', quotedId: inbound, callbackData: 'OUTBOX-1' });
    await sim.idle();
    const statuses = posts.slice(1).map((p) => {
      const value = (p.json.entry as { changes: { value: { statuses: Record<string, unknown>[] } }[] }[])[0]!
        .changes[0]!.value;
      return value.statuses[0]!;
    });
    expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    expect(statuses[0]).toMatchObject({
      id: json.messages[0]!.id,
      recipient_id: '2348031234567',
      biz_opaque_callback_data: 'OUTBOX-1',
      pricing: { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' },
    });
  });

  it('statuses out of order and with delivered skipped, as Meta sends them sometimes', async () => {
    await sim.stop();
    sim = await startGraphApiServer({
      webhookUrl: `http://127.0.0.1:${(callback.address() as AddressInfo).port}/hook`,
      statuses: { delayMs: 5, skipDelivered: 1, outOfOrder: 1 },
    });
    const n = sim.addNumber({ phone: SHOP });
    await sim.customer('+2348031234567').send(SHOP, 'hello');
    await fetch(`${sim.url}/v25.0/${n.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${n.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(textTo('2348031234567', 'Hi')),
    });
    await sim.idle();
    const statuses = posts.slice(1).map((p) => JSON.stringify(p.json).match(/"status":"(\w+)"/)![1]);
    expect(statuses).toEqual(['read', 'sent']);
  });

  it('131047 once the customer has not written for 24 hours of the fake clock; templates still go', async () => {
    await sim.customer('+2348031234567').send(SHOP, 'hello');
    sim.clock.advance(25 * 60 * 60 * 1000);
    const refused = await graph(`/${number.phoneNumberId}/messages`, {
      method: 'POST',
      body: textTo('2348031234567', 'a day later'),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 131047, type: 'OAuthException' } });
    const template = await graph(`/${number.phoneNumberId}/messages`, {
      method: 'POST',
      body: {
        messaging_product: 'whatsapp',
        to: '2348031234567',
        type: 'template',
        template: {
          name: 'order_ready',
          language: { code: 'en' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'ORD-9' }] }],
        },
      },
    });
    expect(template.status).toBe(200);
    // Meta counts a template's values: one per placeholder of its body.
    const unfilled = await graph(`/${number.phoneNumberId}/messages`, {
      method: 'POST',
      body: {
        messaging_product: 'whatsapp',
        to: '2348031234567',
        type: 'template',
        template: { name: 'order_ready', language: { code: 'en' } },
      },
    });
    expect(unfilled.status).toBe(400);
    expect(await unfilled.json()).toMatchObject({ error: { code: 132000 } });
    // A customer who never wrote is outside the window too.
    const stranger = await graph(`/${number.phoneNumberId}/messages`, {
      method: 'POST',
      body: textTo('2347000000000', 'hi'),
    });
    expect(((await stranger.json()) as { error: { code: number } }).error.code).toBe(131047);
  });

  it("checks a template's header and button values against the stored template, as Meta does", async () => {
    sim.setTemplates(number.wabaId, [
      NEW_STOCK_TEMPLATE,
      // No body value here: the header alone is what is checked.
      {
        name: 'order_shipped',
        language: 'en',
        status: 'APPROVED',
        category: 'UTILITY',
        components: [
          { type: 'HEADER', format: 'TEXT', text: 'Order {{order_id}}' },
          { type: 'BODY', text: 'It is on its way.' },
        ],
      },
    ]);
    const customer = sim.customer('+2348031234567');
    const header = {
      type: 'header',
      parameters: [{ type: 'image', image: { link: 'https://cdn.shop.ng/a.jpg' } }],
    };
    const bodyPart = { type: 'body', parameters: [{ type: 'text', text: 'Ankara' }] };
    const button = {
      type: 'button',
      sub_type: 'url',
      index: '1',
      parameters: [{ type: 'text', text: 'ankara' }],
    };
    const send = async (name: string, components: unknown[]) => {
      const response = await graph(`/${number.phoneNumberId}/messages`, {
        method: 'POST',
        body: {
          messaging_product: 'whatsapp',
          to: '2348031234567',
          type: 'template',
          template: { name, language: { code: 'en' }, components },
        },
      });
      const json = (await response.json()) as { error?: { code: number; error_data: { details: string } } };
      return json.error === undefined
        ? response.status
        : `${json.error.code} ${json.error.error_data.details}`;
    };

    expect(await send('new_stock', [header, bodyPart, button])).toBe(200);
    expect(sim.sent.at(-1)).toMatchObject({ template: 'new_stock', components: [header, bodyPart, button] });
    await customer.waitForReplies(1);
    expect(customer.replies.at(-1)!.text).toBe(
      '[image] New stock of Ankara just came in!\n[See it: https://shop.ng/p/ankara]',
    );

    // Missing or extra header and button values: 132000, nothing sent.
    const sentBefore = sim.sent.length;
    expect(await send('new_stock', [bodyPart, button])).toBe('132000 header: expected 1, got 0');
    expect(await send('new_stock', [header, bodyPart])).toBe('132000 button 1: expected 1, got 0');
    expect(
      await send('new_stock', [
        header,
        bodyPart,
        { ...button, parameters: [...button.parameters, { type: 'text', text: 'x' }] },
      ]),
    ).toBe('132000 button 1: expected 1, got 2');
    expect(await send('new_stock', [header, bodyPart, button, { ...button, index: '3' }])).toBe(
      '132000 button: no button at index 3 to fill in',
    );
    expect(await send('new_stock', [header, bodyPart, button, { ...button, index: '0' }])).toMatch(
      /^132000 /,
    );
    // A quick reply may carry a payload.
    expect(
      await send('new_stock', [
        header,
        bodyPart,
        button,
        {
          type: 'button',
          sub_type: 'quick_reply',
          index: '0',
          parameters: [{ type: 'payload', payload: 'STOP' }],
        },
      ]),
    ).toBe(200);
    // A media header needs a link or an id (131008), of the header's own kind (132012).
    expect(
      await send('new_stock', [
        { type: 'header', parameters: [{ type: 'image', image: {} }] },
        bodyPart,
        button,
      ]),
    ).toBe('131008 header: image needs a link or an id');
    expect(
      await send('new_stock', [
        { type: 'header', parameters: [{ type: 'image', image: { id: '1234567890' } }] },
        bodyPart,
        button,
      ]),
    ).toBe(200);
    expect(
      await send('new_stock', [
        { type: 'header', parameters: [{ type: 'video', video: { link: 'https://cdn.shop.ng/a.mp4' } }] },
        bodyPart,
        button,
      ]),
    ).toBe('132012 header: expected image, got video');

    // A text header's placeholder: one text value, named ones by parameter_name.
    const named = {
      type: 'header',
      parameters: [{ type: 'text', parameter_name: 'order_id', text: 'ORD-7' }],
    };
    expect(await send('order_shipped', [])).toBe('132000 header: expected 1, got 0');
    expect(
      await send('order_shipped', [{ type: 'header', parameters: [{ type: 'text', text: 'ORD-7' }] }]),
    ).toMatch(/^132000 header: unknown parameter/);
    expect(await send('order_shipped', [named])).toBe(200);
    expect(sim.sent.length).toBe(sentBefore + 3);
    await customer.waitForReplies(4);
    expect(customer.replies.at(-1)!.text).toBe('Order ORD-7\nIt is on its way.');
    // A header for a template that has none is a parameter too many.
    sim.setTemplates(number.wabaId, [
      {
        name: 'hello_world',
        language: 'en',
        status: 'APPROVED',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Hello' }],
      },
    ]);
    expect(await send('hello_world', [header])).toBe('132000 header: expected 0, got 1');
  });

  it('190 on a missing, wrong or expired token', async () => {
    const path = `/${number.phoneNumberId}`;
    expect(
      ((await (await graph(path, { token: null })).json()) as { error: { code: number } }).error.code,
    ).toBe(190);
    const wrong = await graph(path, { token: 'EAAG-wrong' });
    expect(wrong.status).toBe(401);
    sim.expireToken(number.phoneNumberId);
    expect(await (await graph(path)).json()).toMatchObject({ error: { code: 190, error_subcode: 463 } });
  });

  it('faults on demand: per recipient, per kind, and counted', async () => {
    await sim.customer('+2348031234567').send(SHOP, 'hello');
    await sim.customer('+2347061234567').send(SHOP, 'hello');
    sim.failNext({ code: 131056 }, { to: '+2348031234567', count: 2 });
    const send = (to: string) =>
      graph(`/${number.phoneNumberId}/messages`, { method: 'POST', body: textTo(to, 'x') }).then(
        async (r) => ((await r.json()) as { error?: { code: number } }).error?.code ?? r.status,
      );
    expect(await send('2347061234567')).toBe(200); // other chats go on
    expect(await send('2348031234567')).toBe(131056);
    expect(await send('2348031234567')).toBe(131056);
    expect(await send('2348031234567')).toBe(200);
    sim.failNext({ code: 130429 }, { kind: 'any' });
    expect((await (await graph(`/${number.phoneNumberId}`)).json()) as object).toMatchObject({
      error: { code: 130429 },
    });
  });

  it('profile, templates and errors for unknown objects', async () => {
    const profile = await (
      await graph(`/${number.phoneNumberId}?fields=display_phone_number,quality_rating`)
    ).json();
    expect(profile).toEqual({
      id: number.phoneNumberId,
      display_phone_number: '+234 809 000 0001',
      quality_rating: 'GREEN',
    });
    const templates = (await (await graph(`/${number.wabaId}/message_templates`)).json()) as {
      data: unknown[];
    };
    expect(templates.data.length).toBeGreaterThan(0);
    expect(await (await graph('/123456/messages', { method: 'POST', body: {} })).json()).toMatchObject({
      error: { code: 100, error_subcode: 33 },
    });
  });
});
