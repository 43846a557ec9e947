import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { E164, WorkspaceId } from '../../../shared/types';
import { startGraphApiServer, type GraphApiServer, type SimNumber } from '../../../simulator/graph-api/index';
import { decideReconnect } from '../../connection/reconnect-policy';
import { classifySendError } from '../../pipeline/send-errors';
import { createLogger } from '../../log/logger';
import { createMemorySink } from '../../testing/memory-sink';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver';
import type { DeliveryAck, InboundMessage, ProviderStatus } from '../provider';
import { createCloudApiProvider, type CloudApiProvider } from './cloud-api-provider';

/** The Cloud API provider over real HTTP against the local Graph API server, webhooks included. */
const SHOP = '+2348090000001' as E164;
const WS = 'ws-cloud' as WorkspaceId;
const ADA = '+2348031234567';

let sim: GraphApiServer;
let number: SimNumber;
let receiver: WebhookReceiver;
let sink: ReturnType<typeof createMemorySink>;
let provider: CloudApiProvider;
let statuses: ProviderStatus[];
let messages: InboundMessage[];
let acks: DeliveryAck[];
const providers: CloudApiProvider[] = [];

function makeProvider(overrides: { accessToken?: string; healthIntervalMs?: number } = {}): CloudApiProvider {
  const p = createCloudApiProvider({
    businessNumber: SHOP,
    workspaceId: WS,
    phoneNumberId: number.phoneNumberId,
    wabaId: number.wabaId,
    accessToken: overrides.accessToken ?? number.accessToken,
    baseUrl: sim.url,
    graphApiVersion: 'v26.0',
    logger: createLogger({ sinks: [sink] }),
    healthIntervalMs: overrides.healthIntervalMs ?? 0,
    requestTimeoutMs: 2_000,
  });
  providers.push(p);
  p.on('status', (s) => statuses.push(s));
  p.on('message', (m) => messages.push(m));
  p.on('ack', (a) => acks.push(a));
  return p;
}

async function until(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The error a call rejected with (fails the test if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<Error & { details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { details?: Record<string, unknown> };
  }
  throw new Error('expected a rejection');
}

beforeEach(async () => {
  sim = await startGraphApiServer({ statuses: { delayMs: 5 } });
  number = sim.addNumber({ phone: SHOP, verifiedName: 'Mama Put Kitchen', qualityRating: 'GREEN' });
  sink = createMemorySink();
  statuses = [];
  messages = [];
  acks = [];
  provider = makeProvider();
  receiver = await startWebhookReceiver({
    appSecret: sim.appSecret,
    deliver: (notification) => {
      provider.handleWebhook(notification);
      return true;
    },
  });
  sim.setWebhookUrl(receiver.url);
});

afterEach(async () => {
  for (const p of providers.splice(0)) await p.disconnect('test over');
  await sim.stop();
  await receiver.close();
});

/** A customer wrote (opening the 24-hour window) and the provider saw it. */
async function customerWrites(text = 'Una dey open today?', phone = ADA): Promise<InboundMessage> {
  const id = await sim.customer(phone, { name: 'Ada' }).send(SHOP, text);
  await until(() => messages.some((m) => m.providerMessageId === id), `message ${id}`);
  return messages.find((m) => m.providerMessageId === id)!;
}

/** Connected, a customer has written, and Graph refuses the next send with `fault`: that send's error. */
async function refusedSend(
  fault: Parameters<GraphApiServer['failNext']>[0],
  text: string,
  messageId: string,
) {
  await provider.connect();
  const inbound = await customerWrites();
  sim.failNext(fault);
  return { inbound, error: await rejection(provider.sendText(inbound.chatId, text, { messageId })) };
}

describe('connect', () => {
  it('checks the token with GET /{phone_number_id}, then is open; no QR, no pairing code', async () => {
    const paired: E164[] = [];
    provider.on('paired', ({ ownNumber }) => paired.push(ownNumber));
    await provider.connect();
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'open']);
    expect(paired).toEqual([SHOP]); // "+234 809 000 0001" as the API formats it, normalised
    expect(provider.profile()).toMatchObject({ verifiedName: 'Mama Put Kitchen', qualityRating: 'GREEN' });
    expect(provider.ownNumber()).toBe(SHOP);
    expect(sim.requests[0]).toMatchObject({
      method: 'GET',
      kind: 'profile',
      path: `/v26.0/${number.phoneNumberId}`,
    });
    await expect(provider.requestPairingCode()).rejects.toThrow(
      /not linked with a QR code or a pairing code/,
    );
    await provider.ping(1_000);
  });

  it('a refused token closes with a code the supervisor turns into "needs attention"', async () => {
    const bad = makeProvider({ accessToken: 'EAAG-not-the-token' });
    const seen: ProviderStatus[] = [];
    bad.on('status', (s) => seen.push(s));
    await bad.connect();
    const closed = seen.at(-1)!;
    expect(closed.state).toBe('closed');
    if (closed.state !== 'closed') return;
    expect(closed.close.code).toBe(1401);
    expect(decideReconnect(closed.close)).toMatchObject({ kind: 'stop', status: 'needs-attention' });
  });

  it('an unreachable API is a network close: the supervisor backs off and retries', async () => {
    const down = createCloudApiProvider({
      businessNumber: SHOP,
      workspaceId: WS,
      phoneNumberId: number.phoneNumberId,
      wabaId: number.wabaId,
      accessToken: number.accessToken,
      baseUrl: 'http://127.0.0.1:9', // nothing listens on the discard port
      logger: createLogger({ sinks: [sink] }),
      healthIntervalMs: 0,
    });
    const seen: ProviderStatus[] = [];
    down.on('status', (s) => seen.push(s));
    await down.connect();
    const closed = seen.at(-1)!;
    expect(closed.state === 'closed' && closed.close.code).toBe(null);
    if (closed.state === 'closed') expect(decideReconnect(closed.close).kind).toBe('backoff');
  });

  it('the health check notices an expired token within its interval, and a quality change is logged', async () => {
    const watched = makeProvider({ healthIntervalMs: 40 });
    const seen: ProviderStatus[] = [];
    watched.on('status', (s) => seen.push(s));
    await watched.connect();
    number.qualityRating = 'YELLOW';
    await until(() => sink.ofType('cloud.quality').length > 0, 'a quality change');
    expect(sink.ofType('cloud.quality')[0]!.message).toMatch(/GREEN -> YELLOW/);
    expect(watched.profile()?.qualityRating).toBe('YELLOW');
    sim.expireToken(number.phoneNumberId);
    await until(() => seen.at(-1)?.state === 'closed', 'the close');
    const closed = seen.at(-1)!;
    expect(closed.state === 'closed' && closed.close.code).toBe(1401);
    expect(closed.state === 'closed' && closed.close.message).toMatch(/expired/);
    await expect(watched.sendText('2348031234567', 'hi', { messageId: 'X' })).rejects.toMatchObject({
      details: { sendClass: 'not-connected' },
    });
  });
});

describe('receiving', () => {
  it('turns a signed webhook into one message, however often Meta delivers it', async () => {
    await provider.connect();
    const inbound = await customerWrites('How much be jollof rice? 🍛');
    sim.replay();
    sim.replay();
    await sim.idle();
    expect(messages.filter((m) => m.providerMessageId === inbound.providerMessageId)).toHaveLength(1);
    expect(inbound).toMatchObject({
      businessNumber: SHOP,
      chatId: '2348031234567',
      sender: { phone: ADA, waId: '2348031234567', name: 'Ada' },
      text: 'How much be jollof rice? 🍛',
      kind: 'text',
    });
    expect(receiver.taken).toBe(3);
  });

  it('several messages in one POST, a username customer among them', async () => {
    await provider.connect();
    const ada = sim.customer(ADA, { name: 'Ada' });
    const styles = sim.customer('+2348039999999', { username: 'ada.styles' });
    const ids = sim.sendBatch(SHOP, [
      { customer: ada, text: 'first' },
      { customer: styles, text: 'second' },
    ]);
    await until(() => messages.length === 2, 'two messages');
    expect(sim.deliveries).toHaveLength(1);
    expect(messages.map((m) => [m.providerMessageId, m.chatId, m.sender.phone, m.text])).toEqual([
      [ids[0], '2348031234567', ADA, 'first'],
      [ids[1], styles.userId, null, 'second'],
    ]);
  });

  it('downloads a customer’s image by its media id, checking its sha256', async () => {
    await provider.connect();
    const bytes = Buffer.from('not really a jpeg, but bytes all the same');
    const id = await sim.customer(ADA).sendImage(SHOP, { bytes, caption: 'this one' });
    await until(() => messages.some((m) => m.providerMessageId === id), 'the image');
    expect(messages.at(-1)).toMatchObject({
      kind: 'text',
      text: 'this one',
      media: { kind: 'image', caption: 'this one' },
    });
    const body = JSON.parse(sim.deliveries.at(-1)!.body.toString()) as {
      entry: { changes: { value: { messages: { image: { id: string } }[] } }[] }[];
    };
    const mediaId = body.entry[0]!.changes[0]!.value.messages[0]!.image.id;
    const media = await provider.downloadMedia(mediaId);
    expect(media.bytes.equals(bytes)).toBe(true);
    expect(media.mimeType).toBe('image/jpeg');
  });
});

describe('sending', () => {
  it('sends a quoted reply with the outbox id as callback data; the wamid is the provider id; statuses follow', async () => {
    await provider.connect();
    const inbound = await customerWrites();
    const { providerMessageId } = await provider.sendText(inbound.chatId, 'Yes, 8am to 6pm', {
      messageId: '3EB0OUTBOX1',
      quotedId: inbound.providerMessageId,
    });
    expect(providerMessageId).toMatch(/^wamid\./);
    const [reply] = await sim.customer(ADA).waitForReplies(1);
    expect(reply).toMatchObject({
      id: providerMessageId,
      text: 'Yes, 8am to 6pm',
      quotedId: inbound.providerMessageId,
      callbackData: '3EB0OUTBOX1',
    });
    await until(
      () => acks.filter((a) => a.providerMessageId === providerMessageId).length === 3,
      'three statuses',
    );
    expect(acks.map((a) => a.status)).toEqual(['sent', 'delivered', 'read']);
    expect(acks[0]).toMatchObject({
      chatId: '2348031234567',
      clientMessageId: '3EB0OUTBOX1',
      pricing: { billable: false, category: 'service', type: 'free_customer_service' },
    });
  });

  it('marks read, and shows typing on the newest message of the chat', async () => {
    await provider.connect();
    const inbound = await customerWrites();
    await provider.markRead(inbound.chatId, ['wamid.older-unknown-one', inbound.providerMessageId]);
    await provider.sendTyping(inbound.chatId, 'composing');
    await provider.sendTyping(inbound.chatId, 'paused'); // nothing to send: typing ends with the reply
    const ada = sim.customer(ADA);
    expect(ada.readReceipts).toEqual([inbound.providerMessageId, inbound.providerMessageId]);
    expect(ada.typing).toEqual([inbound.providerMessageId]);
    expect(sim.requests.filter((r) => r.kind === 'read')).toHaveLength(2);
  });

  it('sends to a username customer by user_id', async () => {
    await provider.connect();
    const styles = sim.customer('+2348039999999', { username: 'ada.styles' });
    await styles.send(SHOP, 'hello');
    await until(() => messages.length === 1, 'the message');
    await provider.sendText(messages[0]!.chatId, 'Hello!', { messageId: 'OUT-U' });
    expect((await styles.waitForReplies(1))[0]!.text).toBe('Hello!');
  });

  const transient = [
    ['130429 (throughput)', { code: 130429 }],
    ['131056 (pair rate limit)', { code: 131056 }],
    ['131000 (something went wrong)', { code: 131000 }],
    ['131016 (service unavailable)', { code: 131016 }],
    ['a bare 503', { httpStatus: 503 }],
    ['a reset connection', { network: 'reset' as const }],
  ] as const;
  for (const [label, fault] of transient) {
    it(`${label} is transient: the sender retries it`, async () => {
      const { inbound, error } = await refusedSend(fault, 'Yes', 'OUT-T');
      expect(classifySendError(error)).toBe('transient');
      expect(sink.ofType('cloud.request_failed').at(-1)?.meta).toMatchObject({
        verdict: 'transient',
        outboxId: 'OUT-T',
      });
      // The retry goes through.
      await provider.sendText(inbound.chatId, 'Yes', { messageId: 'OUT-T' });
      expect(statuses.at(-1)?.state).toBe('open');
    });
  }

  it('131047 after the 24-hour window (moved on the fake clock) is permanent', async () => {
    await provider.connect();
    const inbound = await customerWrites();
    await provider.sendText(inbound.chatId, 'inside the window', { messageId: 'OUT-1' });
    sim.clock.advance(24 * 60 * 60 * 1000 + 1_000);
    const error = await rejection(provider.sendText(inbound.chatId, 'a day later', { messageId: 'OUT-2' }));
    expect(classifySendError(error)).toBe('permanent');
    expect(error.message).toMatch(/24 hours/);
    expect(error.details).toMatchObject({ graphCode: 131047 });
  });

  it('a bad request and an over-long text are permanent', async () => {
    const { inbound, error } = await refusedSend({ code: 131009 }, 'x', 'A');
    expect(classifySendError(error)).toBe('permanent');
    const long = await rejection(provider.sendText(inbound.chatId, 'x'.repeat(4097), { messageId: 'B' }));
    expect(classifySendError(long)).toBe('permanent');
  });

  it('131026 arrives later as a failed status with its error', async () => {
    await provider.connect();
    const ghost = sim.customer('+2348030000000', { onWhatsApp: false });
    await ghost.send(SHOP, 'hi');
    await until(() => messages.length === 1, 'the message');
    const { providerMessageId } = await provider.sendText(messages[0]!.chatId, 'Hello', {
      messageId: 'OUT-G',
    });
    await until(() => acks.some((a) => a.status === 'failed'), 'the failed status');
    expect(acks.find((a) => a.status === 'failed')).toMatchObject({
      providerMessageId,
      clientMessageId: 'OUT-G',
      error: { code: '131026' },
    });
    expect(ghost.replies).toHaveLength(0);
  });

  it('190 on a send: the row waits (not-connected) and the number closes once as needing attention', async () => {
    await provider.connect();
    const inbound = await customerWrites();
    sim.expireToken(number.phoneNumberId);
    const error = await rejection(provider.sendText(inbound.chatId, 'Yes', { messageId: 'OUT-E' }));
    expect(classifySendError(error)).toBe('not-connected');
    const closes = statuses.filter((s) => s.state === 'closed');
    expect(closes).toHaveLength(1);
    expect(closes[0]!.state === 'closed' && decideReconnect(closes[0]!.close)).toMatchObject({
      status: 'needs-attention',
    });
    // After the owner pastes a new token and reconnects, sending works again.
    sim.setAccessToken(number.phoneNumberId, 'EAAG-new-token');
    const renewed = makeProvider({ accessToken: 'EAAG-new-token' });
    await renewed.connect();
    await renewed.sendText(inbound.chatId, 'Yes', { messageId: 'OUT-E' });
  });

  it('restricted accounts (368) close the number too', async () => {
    const { error } = await refusedSend({ code: 368 }, 'x', 'R');
    expect(classifySendError(error)).toBe('not-connected');
    const closed = statuses.at(-1)!;
    expect(closed.state === 'closed' && closed.close.code).toBe(1403);
  });
});

describe('templates', () => {
  it('lists every template of the WABA, page by page through cursors', async () => {
    sim.setTemplates(
      number.wabaId,
      Array.from({ length: 130 }, (_, i) => ({
        name: `t_${i}`,
        language: 'en',
        status: i % 2 === 0 ? ('APPROVED' as const) : ('PENDING' as const),
        category: 'UTILITY' as const,
        components: [],
      })),
    );
    await provider.connect();
    const templates = await provider.listTemplates();
    expect(templates).toHaveLength(130);
    expect(templates[1]).toMatchObject({
      name: 't_1',
      language: 'en',
      status: 'PENDING',
      category: 'UTILITY',
    });
    expect(sim.requests.filter((r) => r.kind === 'templates')).toHaveLength(2);
  });
});

describe('the access token', () => {
  it('never appears in a log entry or an error message, even when the server echoes it', async () => {
    const token = number.accessToken;
    const errors: unknown[] = [];
    const keep = (p: Promise<unknown>) => p.catch((error: unknown) => void errors.push(error));
    await provider.connect();
    const inbound = await customerWrites();
    sim.failNext({ code: 100, message: `(#100) Invalid parameter: access_token=${token}` });
    await keep(provider.sendText(inbound.chatId, 'a', { messageId: 'S1' }));
    sim.failNext({ code: 131000, message: `Something went wrong with ${token}` }, { kind: 'read' });
    await keep(provider.markRead(inbound.chatId, [inbound.providerMessageId]));
    sim.failNext({ network: 'reset' });
    await keep(provider.sendText(inbound.chatId, 'b', { messageId: 'S2' }));
    sim.failNext({ httpStatus: 502 });
    await keep(provider.sendText(inbound.chatId, 'c', { messageId: 'S3' }));
    sim.failNext({ code: 190, subcode: 463, message: `Error validating access token ${token}` });
    await keep(provider.sendText(inbound.chatId, 'd', { messageId: 'S4' }));
    await keep(provider.sendText(inbound.chatId, 'e', { messageId: 'S5' })); // closed now
    const reconnecting = makeProvider({ healthIntervalMs: 20 });
    await reconnecting.connect();
    sim.expireToken(number.phoneNumberId);
    await until(() => statuses.filter((s) => s.state === 'closed').length >= 2, 'the second close');
    await keep(provider.connect());
    expect(errors.length).toBeGreaterThanOrEqual(5);
    const texts = [
      ...sink.entries.map((e) => JSON.stringify(e)),
      ...errors.map((e) => `${(e as Error).message} ${JSON.stringify((e as { details?: unknown }).details)}`),
      ...statuses.map((s) => JSON.stringify(s)),
    ];
    expect(texts.filter((t) => t.includes(token))).toEqual([]);
    // The scrubbing is what kept it out: the server did send it.
    expect(sink.entries.some((e) => e.message.includes('[redacted]'))).toBe(true);
  });
});
