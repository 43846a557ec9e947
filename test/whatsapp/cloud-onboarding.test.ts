// Connecting an official number (issue #9) through the contract's handlers, against the local Graph API
// server: the live check before saving (and the errors that say what to fix), the token sealed and
// never logged, a Cloud number that survives a restart with no config from outside, the 24-hour window
// (an owner's reply refused after it, an approved template sent instead), and the pricing of statuses.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSwitchboard, type Switchboard } from '../../src/core/app';
import { createCoreRuntime, type CoreRuntime } from '../../src/core/handlers/index';
import { SERVICE_WINDOW_MS } from '../../src/core/pipeline/service-window';
import { makeTempDir } from '../../src/core/testing/temp-files';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/core/testing/webhook-receiver';
import type { CloudApiProvider } from '../../src/core/whatsapp/cloud-api/cloud-api-provider';
import type { CoreHandlers } from '../../src/shared/contract';
import { commands } from '../../src/shared/contract';
import type { E164, WorkspaceId } from '../../src/shared/types';
import {
  startGraphApiServer,
  type GraphApiServer,
  type SimNumber,
} from '../../src/simulator/graph-api/index';
import {
  NEW_STOCK_TEMPLATE,
  ORDER_SHIPPED_TEMPLATE,
  STORE_LOCATION_TEMPLATE,
} from '../../src/simulator/graph-api/sample-templates';

const SHOP = '+2348090000001' as E164;
const CUSTOMER = '+2348031234567';

let sim: GraphApiServer;
let simNumber: SimNumber;
let receiver: WebhookReceiver;
let dir: string;
let cleanupDir: () => void;
/** Our clock follows the simulator's, so moving one moves both. */
const clock = { now: () => sim.clock.now() };
let core: { app: Switchboard; runtime: CoreRuntime } | null = null;
let workspaceId: WorkspaceId;

async function startCore(): Promise<{ app: Switchboard; runtime: CoreRuntime }> {
  const app = await createSwitchboard({
    dataDir: join(dir, 'data'),
    durability: 'normal',
    clock,
    // No numberConfig: what cloud.connect stored is all the core has.
    whatsapp: { livenessIntervalMs: 0, cloudApi: { healthIntervalMs: 0 } },
  });
  const runtime = createCoreRuntime(app, { clock });
  await app.start();
  core = { app, runtime };
  return core;
}

async function stopCore(): Promise<void> {
  if (core === null) return;
  core.runtime.close();
  await core.app.close();
  core = null;
}

/** A command as a shell calls it: the contract's schema first, then the handler. */
async function call<K extends keyof CoreHandlers>(
  name: K,
  input: Parameters<CoreHandlers[K]>[0] | Record<string, unknown>,
): Promise<Awaited<ReturnType<CoreHandlers[K]>>> {
  const parsed = commands[name].input.parse(input) as Parameters<CoreHandlers[K]>[0];
  const handler = core!.runtime.handlers[name] as (
    input: unknown,
  ) => Promise<Awaited<ReturnType<CoreHandlers[K]>>>;
  return handler(parsed);
}

async function waitFor(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const connectInput = (over: Record<string, unknown> = {}) => ({
  workspaceId,
  phoneNumberId: simNumber.phoneNumberId,
  wabaId: simNumber.wabaId,
  accessToken: simNumber.accessToken,
  appSecret: '',
  verifyToken: '',
  graphBaseUrl: sim.url,
  graphVersion: '',
  ...over,
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('connecting an official number', () => {
  beforeAll(async () => {
    sim = await startGraphApiServer({
      statuses: { delayMs: 10 },
      webhooks: { retryBaseMs: 50, retryMaxMs: 500 },
    });
    simNumber = sim.addNumber({ phone: SHOP, verifiedName: 'Mama Nkechi Pharmacy', qualityRating: 'GREEN' });
    ({ dir, cleanup: cleanupDir } = makeTempDir('switchboard-cloud-onboarding-'));
    // The relay is another slice: here a receiver hands verified webhooks to the live provider.
    receiver = await startWebhookReceiver({
      appSecret: sim.appSecret,
      deliver: (notification) => {
        if (core === null) return false;
        try {
          (core.app.connections.provider(workspaceId, SHOP) as CloudApiProvider).handleWebhook(notification);
          return true;
        } catch {
          return false;
        }
      },
    });
    sim.setWebhookUrl(receiver.url);
    await startCore();
    workspaceId = (await call('workspace.create', { name: 'Mama Nkechi Pharmacy' })).workspace.id;
  }, 30_000);

  afterAll(async () => {
    await stopCore();
    await receiver?.close();
    await sim?.stop();
    cleanupDir?.();
  });

  it('refuses a bad token, an unknown phone number ID, an unknown WABA and an unreachable server, saving nothing', async () => {
    await expect(
      call('cloud.connect', connectInput({ accessToken: 'EAAGwrongwrongwrongwrongwrong' })),
    ).rejects.toThrow('The access token was refused: create a new system-user token');
    await expect(call('cloud.connect', connectInput({ phoneNumberId: '999999999999999' }))).rejects.toThrow(
      "check the phone number ID in Meta's WhatsApp Manager",
    );
    await expect(call('cloud.connect', connectInput({ wabaId: '888888888888888' }))).rejects.toThrow(
      'check the WhatsApp Business Account ID',
    );
    const port = await closedPort();
    await expect(
      call('cloud.connect', connectInput({ graphBaseUrl: `http://127.0.0.1:${port}` })),
    ).rejects.toThrow(`Could not reach the WhatsApp Cloud API at http://127.0.0.1:${port}`);
    // The schema catches a phone number typed where the ID goes.
    expect(() =>
      commands['cloud.connect'].input.parse(connectInput({ phoneNumberId: '+234 809 000 0001' })),
    ).toThrow(/digits only/);
    expect(await call('connection.list', { workspaceId })).toEqual([]);
    expect((await call('cloud.status', { workspaceId })).numbers).toEqual([]);
  });

  it('checks live, saves the token sealed, and the number connects showing its name and quality rating', async () => {
    const view = await call(
      'cloud.connect',
      connectInput({ appSecret: sim.appSecret, verifyToken: 'my-verify-token' }),
    );
    expect(view).toMatchObject({
      e164: SHOP,
      phoneNumberId: simNumber.phoneNumberId,
      wabaId: simNumber.wabaId,
      verifiedName: 'Mama Nkechi Pharmacy',
      qualityRating: 'GREEN',
      tokenHint: simNumber.accessToken.slice(-4),
      takesWebhooks: true,
    });
    expect(view.displayPhoneNumber).toMatch(/809/);
    await waitFor(
      async () => (await call('connection.list', { workspaceId }))[0]?.status === 'connected',
      'the Cloud number to connect',
    );
    const status = await call('cloud.status', { workspaceId });
    expect(status.numbers).toHaveLength(1);
    // Neither the token nor the app secret is anywhere in clear: not in a result, the database or the log.
    await core!.app.logger.flush();
    const text = JSON.stringify(status) + JSON.stringify(view);
    const file = readFileSync(join(dir, 'data', 'switchboard.db')).toString('latin1');
    for (const secret of [simNumber.accessToken, sim.appSecret, 'my-verify-token']) {
      expect(text).not.toContain(secret);
      expect(file).not.toContain(secret);
    }
  });

  it('a Cloud number survives a restart: the core builds its provider from what was stored', async () => {
    await stopCore();
    await startCore();
    await waitFor(
      async () => (await call('connection.list', { workspaceId }))[0]?.status === 'connected',
      'the Cloud number to connect after a restart',
    );
    expect((await call('cloud.status', { workspaceId })).numbers[0]?.verifiedName).toBe(
      'Mama Nkechi Pharmacy',
    );
  });

  it('takes a new token for a connected number, keeping its app secret and verify token when left empty', async () => {
    const fresh = `EAAG${'n'.repeat(40)}NEW1`;
    sim.setAccessToken(simNumber.phoneNumberId, fresh);
    const view = await call('cloud.connect', connectInput({ accessToken: fresh }));
    expect(view).toMatchObject({ e164: SHOP, tokenHint: 'NEW1', takesWebhooks: true });
    await waitFor(
      async () => (await call('connection.list', { workspaceId }))[0]?.status === 'connected',
      'the Cloud number to connect with its new token',
    );
    const status = await call('cloud.status', { workspaceId });
    expect(status.numbers).toHaveLength(1);
    expect(status.numbers[0]).toMatchObject({ tokenHint: 'NEW1', takesWebhooks: true });
  });

  it('refuses an owner reply after 24 hours and sends an approved template instead; statuses record pricing', async () => {
    const customer = sim.customer(CUSTOMER);
    await customer.send(SHOP, 'Good evening, do you have Panadol Extra?');
    let chatId = '';
    await waitFor(async () => {
      const chats = await call('conversation.list', { workspaceId, limit: 10 });
      chatId = chats[0]?.chatId ?? '';
      return chatId !== '';
    }, 'the message to be stored');

    const inside = await call('cloud.window', { workspaceId, chatId });
    expect(inside).toMatchObject({ cloud: true, open: true, businessNumber: SHOP });
    await call('conversation.reply', { workspaceId, chatId, text: 'Yes, we have it. N1,200 a pack.' });
    await customer.waitForReplies(1);

    sim.clock.advance(SERVICE_WINDOW_MS + 60_000);
    const after = await call('cloud.window', { workspaceId, chatId });
    expect(after).toMatchObject({ cloud: true, open: false });
    expect(after.closesAt).toBe(inside.closesAt);
    await expect(
      call('conversation.reply', { workspaceId, chatId, text: 'Are you still there?' }),
    ).rejects.toThrow('This customer last wrote more than 24 hours ago: WhatsApp only allows a template now');
    expect(sim.sent.filter((s) => s.text === 'Are you still there?')).toEqual([]);

    const templates = await call('cloud.templates', { workspaceId, e164: SHOP });
    expect(templates.length).toBeGreaterThan(0);
    const hello = templates.find((t) => t.name === 'hello_world')!;
    expect(hello).toMatchObject({ language: 'en_US', body: 'Hello World', sendable: true });
    const sent = await call('conversation.sendTemplate', {
      workspaceId,
      chatId,
      name: 'hello_world',
      language: 'en_US',
    });
    expect(sent).toMatchObject({ author: 'owner', text: 'Hello World', status: 'sent' });
    expect(sim.sent.at(-1)).toMatchObject({ template: 'hello_world', text: null });
    await customer.waitForReplies(2);
    const thread = await call('conversation.thread', { workspaceId, chatId, limit: 50 });
    expect(thread.messages.map((m) => m.text)).toContain('Hello World');

    // A template with a value: refused in words when the values are wrong (nothing sent, nothing
    // stored), then sent filled in, and the conversation keeps the text the customer reads.
    const orderReady = templates.find((t) => t.name === 'order_ready')!;
    expect(orderReady).toMatchObject({ parameters: ['1'], sendable: true, unsendableReason: null });
    const sentBefore = sim.sent.length;
    await expect(
      call('conversation.sendTemplate', { workspaceId, chatId, name: 'order_ready', language: 'en' }),
    ).rejects.toThrow('order_ready needs 1 value(s), one for each of {{1}}; 0 were given.');
    await expect(
      call('conversation.sendTemplate', {
        workspaceId,
        chatId,
        name: 'order_ready',
        language: 'en',
        parameters: ['ORD-1042\nsecond line'],
      }),
    ).rejects.toThrow('The value for {{1}} has a new line or a tab');
    expect(sim.sent.length).toBe(sentBefore);
    const filled = await call('conversation.sendTemplate', {
      workspaceId,
      chatId,
      name: 'order_ready',
      language: 'en',
      parameters: [' ORD-1042 '],
    });
    expect(filled).toMatchObject({ text: 'Your order ORD-1042 is ready for pick-up.', status: 'sent' });
    await customer.waitForReplies(3);
    expect(customer.replies.at(-1)).toMatchObject({
      template: 'order_ready',
      text: 'Your order ORD-1042 is ready for pick-up.',
    });

    // Statuses carry `pricing`: one row per message, seen beside the AI cost.
    await sim.idle();
    await waitFor(
      async () => (await call('cloud.status', { workspaceId })).spend.monthMessages >= 3,
      'pricing',
    );
    const { spend } = await call('cloud.status', { workspaceId });
    expect(spend.monthMessages).toBe(3);
  });

  it('sends a template with an image header and a link button; bad values are refused in words, nothing lost', async () => {
    sim.setTemplates(simNumber.wabaId, [NEW_STOCK_TEMPLATE, ORDER_SHIPPED_TEMPLATE, STORE_LOCATION_TEMPLATE]);
    const chatId = (await call('conversation.list', { workspaceId, limit: 10 }))[0]!.chatId;
    expect((await call('cloud.window', { workspaceId, chatId })).open).toBe(false);
    const templates = await call('cloud.templates', { workspaceId, e164: SHOP });
    expect(templates.find((t) => t.name === 'new_stock')).toMatchObject({
      sendable: true,
      parameters: ['1'],
      header: { format: 'image', text: null, parameter: null },
      buttons: [
        { index: 0, type: 'quick_reply', text: 'Stop promotions', url: null, parameter: null },
        { index: 1, type: 'url', text: 'See it', url: 'https://shop.ng/p/{{1}}', parameter: '1' },
      ],
    });
    expect(templates.find((t) => t.name === 'order_shipped')).toMatchObject({
      sendable: true,
      header: { format: 'text', parameter: 'order_id' },
    });
    expect(templates.find((t) => t.name === 'store_location')).toMatchObject({
      sendable: false,
      unsendableReason: 'its header is a location, which Switchboard cannot attach yet',
    });

    const before = {
      sent: sim.sent.length,
      thread: (await call('conversation.thread', { workspaceId, chatId, limit: 50 })).messages.length,
    };
    const input = {
      workspaceId,
      chatId,
      name: 'new_stock',
      language: 'en',
      parameters: ['Ankara fabric'],
      header: { link: 'https://cdn.shop.ng/ankara.jpg' },
      buttons: ['ankara-6yd'],
    };
    // Malformed input stops at the contract's schema, in words.
    expect(() =>
      commands['conversation.sendTemplate'].input.parse({
        ...input,
        header: { link: 'http://cdn.shop.ng/a.jpg' },
      }),
    ).toThrow('The header link must start with https://');
    expect(() =>
      commands['conversation.sendTemplate'].input.parse({
        ...input,
        header: { url: 'https://cdn.shop.ng/a.jpg' },
      }),
    ).toThrow();
    expect(() =>
      commands['conversation.sendTemplate'].input.parse({ ...input, buttons: 'ankara' }),
    ).toThrow();
    // Missing or wrong values are refused before anything is written or sent.
    const { header: _header, ...withoutHeader } = input;
    await expect(call('conversation.sendTemplate', withoutHeader)).rejects.toThrow(
      'new_stock starts with an image: give a public https link to the image (header link).',
    );
    await expect(call('conversation.sendTemplate', { ...input, buttons: [] })).rejects.toThrow(
      'new_stock needs 1 button value(s), one for the link of each of "See it"; 0 were given.',
    );
    await expect(call('conversation.sendTemplate', { ...input, buttons: ['ankara 6yd'] })).rejects.toThrow(
      'The value for the "See it" button has a space or a new line in it',
    );
    await expect(
      call('conversation.sendTemplate', {
        workspaceId,
        chatId,
        name: 'store_location',
        language: 'en',
      }),
    ).rejects.toThrow('store_location cannot be sent from Switchboard: its header is a location');
    expect(sim.sent.length).toBe(before.sent);
    expect((await call('conversation.thread', { workspaceId, chatId, limit: 50 })).messages).toHaveLength(
      before.thread,
    );

    const sent = await call('conversation.sendTemplate', input);
    expect(sent).toMatchObject({
      status: 'sent',
      text: '[image] New stock of Ankara fabric just came in!\n[See it: https://shop.ng/p/ankara-6yd]',
    });
    expect(sim.sent.at(-1)).toMatchObject({
      template: 'new_stock',
      components: [
        {
          type: 'header',
          parameters: [{ type: 'image', image: { link: 'https://cdn.shop.ng/ankara.jpg' } }],
        },
        { type: 'body', parameters: [{ type: 'text', text: 'Ankara fabric' }] },
        { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'ankara-6yd' }] },
      ],
    });
    const customer = sim.customer(CUSTOMER);
    await waitFor(() => customer.replies.some((r) => r.template === 'new_stock'), 'the template to arrive');
    expect(customer.replies.find((r) => r.template === 'new_stock')!.text).toBe(sent.text);

    const shipped = await call('conversation.sendTemplate', {
      workspaceId,
      chatId,
      name: 'order_shipped',
      language: 'en',
      parameters: ['Ada'],
      header: { text: 'ORD-1042' },
    });
    expect(shipped.text).toBe('Order ORD-1042\nHi Ada, it is on its way.');
    expect(sim.sent.at(-1)!.components).toEqual([
      { type: 'header', parameters: [{ type: 'text', parameter_name: 'order_id', text: 'ORD-1042' }] },
      { type: 'body', parameters: [{ type: 'text', parameter_name: 'name', text: 'Ada' }] },
    ]);
    const thread = await call('conversation.thread', { workspaceId, chatId, limit: 50 });
    expect(thread.messages.map((m) => m.text)).toEqual(expect.arrayContaining([sent.text, shipped.text]));
  });
});
