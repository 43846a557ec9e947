// End-to-end tests of the local WhatsApp simulator against the real, unmodified Baileys rc14 client.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { normalizeMessageContent, proto, type UserFacingSocketConfig } from '@whiskeysockets/baileys';
import { startWhatsAppServer, trustSimulator, type WhatsAppServer } from '../../src/simulator/index';
import { MemoryAuth, rawNoiseClient, TestClient } from './baileys-client';

let server: WhatsAppServer;
const clients: TestClient[] = [];
const serverLog: string[] = [];

// libsignal (used by the client and by the simulated contacts) narrates every session change on the
// console; keep the test output readable without hiding anything else.
const LIBSIGNAL_CHATTER =
  /^(Closing session|Opening session|Closing open session|Removing old closed session|Decrypted message with closed session|Session already|Failed to decrypt message with any known session|Session error)/;

beforeAll(async () => {
  for (const method of ['info', 'warn', 'error', 'log'] as const) {
    // eslint-disable-next-line no-console -- wraps the real console to filter libsignal's chatter only
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      if (typeof args[0] === 'string' && LIBSIGNAL_CHATTER.test(args[0])) return;
      original(...args);
    });
  }
  server = await startWhatsAppServer({ log: (line) => serverLog.push(line) });
  trustSimulator(server);
});

afterEach(async () => {
  server.setMode('normal');
  await Promise.all(clients.splice(0).map((c) => c.end()));
});

afterAll(async () => {
  await server?.stop();
  vi.restoreAllMocks();
  // SIM_LOG_FILE=/tmp/sim.log keeps the simulator's log of the run for debugging.
  if (process.env.SIM_LOG_FILE) writeFileSync(process.env.SIM_LOG_FILE, serverLog.join('\n'));
});

function client(auth: MemoryAuth, config: Partial<UserFacingSocketConfig> = {}): TestClient {
  const c = new TestClient(server.url, auth, config);
  clients.push(c);
  return c;
}

async function pair(
  phone: string,
  config: Partial<UserFacingSocketConfig> = {},
): Promise<{ auth: MemoryAuth; client: TestClient }> {
  const auth = new MemoryAuth();
  const first = client(auth, config);
  await server.scanQr(await first.waitForQr(), phone);
  expect(await first.waitForClose()).toBe(515);
  const second = client(auth, config);
  await second.waitForOpen();
  return { auth, client: second };
}

/**
 * A delivery receipt surfaces as messages.update, or, when it lands while the client still buffers its
 * own 'append' upsert of the message, folded into that upsert's status.
 */
function deliveryStatus(c: TestClient, id: string | null | undefined): number | undefined {
  const fromUpdates = c.messageUpdates.filter((u) => u.key.id === id).map((u) => u.update.status ?? 0);
  const fromUpserts = c.upserts
    .flatMap((u) => u.messages)
    .filter((m) => m.key.id === id)
    .map((m) => m.status ?? 0);
  const all = [...fromUpdates, ...fromUpserts];
  return all.length ? Math.max(...all) : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function eventually(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('pairing and login', () => {
  it('links by QR: qr, pair-success, 515 restart, then open on a new socket with the same auth', async () => {
    const auth = new MemoryAuth();
    const first = client(auth);
    const qr = await first.waitForQr();
    expect(qr).toMatch(/^https:\/\/wa\.me\/settings\/linked_devices#/);
    await server.scanQr(qr, '+2348010000001');
    expect(await first.waitForClose()).toBe(515);
    expect(first.updates.some((u) => u.isNewLogin === true)).toBe(true);
    expect(auth.creds.me?.id).toBe('2348010000001:1@s.whatsapp.net');
    expect(auth.creds.me?.lid).toMatch(/^\d{15}:1@lid$/);
    expect(auth.creds.me?.name).toBeTruthy();

    const second = client(auth);
    const started = Date.now();
    await second.waitForOpen();
    expect(second.qrs).toEqual([]);
    expect(server.linkedDevices('+2348010000001')).toBe(1);
    // The first connection after pairing gets a history-sync push instead of a 20 s wait.
    await second.waitFor(() => auth.creds.accountSyncCounter > 0 || undefined, 'initial sync');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('logs in again from stored credentials after a restart, without a QR', async () => {
    const { auth, client: first } = await pair('+2348010000002');
    await first.end();
    auth.persist();
    const again = client(auth);
    await again.waitForOpen();
    expect(again.qrs).toEqual([]);
    expect(server.linkedDevices('+2348010000002')).toBe(1);
  });

  it('refuses a login whose device or noise key does not match the linked device (401)', async () => {
    const { client: first } = await pair('+2348010000003');
    await first.end();
    const impostor = new MemoryAuth();
    impostor.creds.me = { id: '2348010000003:1@s.whatsapp.net', name: 'Impostor' };
    const c = client(impostor);
    expect(await c.waitForClose()).toBe(401);
  });

  it('replaces the old socket when the same account logs in twice (440 on the old one)', async () => {
    const { auth, client: first } = await pair('+2348010000004');
    const second = client(auth);
    expect(await first.waitForClose()).toBe(440);
    await second.waitForOpen();
    expect(server.linkedDevices('+2348010000004')).toBe(1);
  });

  it('links with a pairing code typed on the phone', async () => {
    const auth = new MemoryAuth();
    const first = client(auth);
    await first.waitForQr();
    const code = await first.sock.requestPairingCode('2348010000005');
    expect(code).toHaveLength(8);
    await expect(server.enterPairingCode('+2348010000005', 'WRONG123')).rejects.toThrow(/wrong pairing code/);
    // A mistyped code can be typed again while the companion still shows it.
    await server.enterPairingCode('+2348010000005', code.toLowerCase());
    expect(await first.waitForClose()).toBe(515);
    expect(auth.creds.me?.id).toBe('2348010000005:1@s.whatsapp.net');
    const second = client(auth);
    await second.waitForOpen();
  });
});

describe('messages', () => {
  const BIZ = '+2348020000001';

  it('delivers a phone-number contact and a LID contact as notify, with the alternate JID', async () => {
    const { client: c } = await pair(BIZ);
    const alice = server.contact('+2348031110001', { name: 'Alice' });
    const bob = server.contact('+2348031110002', { lid: true, name: 'Bob' });
    expect(alice.jid).toBe('2348031110001@s.whatsapp.net');
    expect(bob.jid).toMatch(/^\d{15}@lid$/);

    const idA = await alice.send(BIZ, 'Hello, is the shop open?');
    const idB = await bob.send(BIZ, 'Do you deliver?');
    const messages = await c.waitForMessages(2, 'notify');
    const fromAlice = messages.find((m) => m.key.id === idA);
    const fromBob = messages.find((m) => m.key.id === idB);

    expect(fromAlice?.key).toMatchObject({
      remoteJid: alice.jid,
      remoteJidAlt: alice.lid,
      fromMe: false,
      addressingMode: 'pn',
    });
    expect(fromAlice?.message?.conversation).toBe('Hello, is the shop open?');
    expect(fromAlice?.pushName).toBe('Alice');

    expect(fromBob?.key).toMatchObject({
      remoteJid: bob.jid,
      remoteJidAlt: '2348031110002@s.whatsapp.net',
      fromMe: false,
      addressingMode: 'lid',
    });
    expect(fromBob?.message?.conversation).toBe('Do you deliver?');
  });

  it('lets contacts decrypt replies and see typing and read receipts', async () => {
    const { client: c } = await pair('+2348020000002');
    const biz = '+2348020000002';
    const alice = server.contact('+2348031110003');
    const bob = server.contact('+2348031110004', { lid: true });
    const idA = await alice.send(biz, 'price of rice?');
    const idB = await bob.send(biz, 'price of beans?');
    const [m1, m2] = await c.waitForMessages(2, 'notify');
    const keyA = [m1, m2].find((m) => m?.key.id === idA)!.key;
    const keyB = [m1, m2].find((m) => m?.key.id === idB)!.key;

    await c.sock.readMessages([keyA, keyB]);
    await c.sock.sendPresenceUpdate('composing', keyA.remoteJid!);
    await c.sock.sendPresenceUpdate('paused', keyA.remoteJid!);
    const sentA = await c.sock.sendMessage(keyA.remoteJid!, { text: 'Rice is 50,000 a bag' });
    const sentB = await c.sock.sendMessage(keyB.remoteJid!, { text: 'Beans are 40,000' });

    expect(await alice.waitForReplies(1)).toEqual([
      expect.objectContaining({ id: sentA?.key.id, text: 'Rice is 50,000 a bag', from: biz }),
    ]);
    expect(await bob.waitForReplies(1)).toEqual([
      expect.objectContaining({ id: sentB?.key.id, text: 'Beans are 40,000', from: biz }),
    ]);
    await eventually(
      () => alice.readReceipts.includes(idA) && bob.readReceipts.includes(idB),
      'read receipts',
    );
    // Each contact's phone confirms delivery of the business's reply.
    await c.waitFor(
      () =>
        [sentA?.key.id, sentB?.key.id].every(
          (id) => deliveryStatus(c, id) === proto.WebMessageInfo.Status.DELIVERY_ACK,
        ) || undefined,
      'delivery receipts',
    );
    expect(alice.presence).toEqual(['composing', 'paused']);

    // The conversation goes on over the established sessions, in both directions.
    const idA2 = await alice.send(biz, 'ok, I will come');
    await c.waitFor(() => c.received('notify').find((m) => m.key.id === idA2), 'second message');
    await c.sock.sendMessage(keyA.remoteJid!, { text: 'See you' });
    expect((await alice.waitForReplies(2)).map((r) => r.text)).toEqual(['Rice is 50,000 a bag', 'See you']);
  });

  it('delivers every message kind with its text, and an undecryptable one as a stub', async () => {
    const biz = '+2348020000003';
    const { client: c } = await pair(biz);
    const dan = server.contact('+2348031110005');
    const kinds = ['conversation', 'extended', 'caption', 'button', 'list'] as const;
    const ids: string[] = [];
    for (const kind of kinds) ids.push(await dan.send(biz, `text via ${kind}`, { kind }));
    const broken = await dan.send(biz, 'never readable', { kind: 'undecryptable', id: 'BROKEN-1' });
    expect(broken).toBe('BROKEN-1');

    const messages = await c.waitForMessages(kinds.length + 1, 'notify');
    const textOf = (id: string): string | undefined => {
      const content = normalizeMessageContent(messages.find((m) => m.key.id === id)?.message);
      return (
        content?.conversation ??
        content?.extendedTextMessage?.text ??
        content?.imageMessage?.caption ??
        content?.buttonsResponseMessage?.selectedDisplayText ??
        content?.listResponseMessage?.title ??
        undefined
      );
    };
    expect(ids.map(textOf)).toEqual(kinds.map((k) => `text via ${k}`));
    const stub = messages.find((m) => m.key.id === 'BROKEN-1');
    expect(stub?.message).toBeFalsy();
    expect(stub?.messageStubType).toBe(proto.WebMessageInfo.StubType.CIPHERTEXT);
  });

  it('queues messages while the business is offline and delivers them as append on reconnect', async () => {
    const biz = '+2348020000004';
    const { auth, client: first } = await pair(biz);
    await first.end();
    await eventually(() => server.linkedDevices(biz) === 0, 'socket gone');

    const carol = server.contact('+2348031110006');
    const eve = server.contact('+2348031110007', { lid: true });
    const id1 = await carol.send(biz, 'first while you were away');
    const id2 = await eve.send(biz, 'second while you were away');
    const id3 = await carol.send(biz, 'third while you were away', { kind: 'extended' });

    auth.persist();
    const again = client(auth);
    const appended = await again.waitForMessages(3, 'append');
    expect(appended.map((m) => m.key.id)).toEqual([id1, id2, id3]);
    expect(again.received('notify')).toHaveLength(0);
    await again.waitForOpen();

    const live = await carol.send(biz, 'and now live');
    await again.waitFor(() => again.received('notify').find((m) => m.key.id === live), 'live message');
  });

  it('holds messages for a number that was never linked and delivers them after pairing', async () => {
    const biz = '+2348020000005';
    const frank = server.contact('+2348031110008');
    const id = await frank.send(biz, 'are you on WhatsApp yet?');
    const auth = new MemoryAuth();
    const first = client(auth);
    await server.scanQr(await first.waitForQr(), biz);
    expect(await first.waitForClose()).toBe(515);
    const second = client(auth);
    const [message] = await second.waitForMessages(1, 'append');
    expect(message?.key.id).toBe(id);
    expect(message?.message?.conversation).toBe('are you on WhatsApp yet?');
    await second.waitForOpen();
    await second.sock.sendMessage(frank.jid, { text: 'yes we are' });
    expect((await frank.waitForReplies(1))[0]?.text).toBe('yes we are');
  });

  it('keeps three businesses apart: each receives only its own contacts', async () => {
    const numbers = ['+2348020000011', '+2348020000012', '+2348020000013'];
    const businesses = await Promise.all(numbers.map((n) => pair(n)));
    const ids = await Promise.all(
      numbers.map((n, i) => server.contact(`+23480311100${20 + i}`).send(n, `hello business ${i + 1}`)),
    );
    await Promise.all(businesses.map(({ client: c }) => c.waitForMessages(1, 'notify')));
    await sleep(200);
    businesses.forEach(({ client: c }, i) => {
      const received = c.received();
      expect(received.map((m) => m.key.id)).toEqual([ids[i]]);
      expect(received[0]?.message?.conversation).toBe(`hello business ${i + 1}`);
    });
    expect(numbers.map((n) => server.linkedDevices(n))).toEqual([1, 1, 1]);
  });
});

describe('disconnects and failure modes', () => {
  it('closes with the status code WhatsApp uses for each failure', async () => {
    const codes = [515, 440, 401, 403, 405, 428, 500, 503, 408];
    const phones = codes.map((_, i) => `+23480400000${10 + i}`);
    // 408 is a silent server: the client notices through its keep-alive (interval + 5 s).
    const linked = await Promise.all(
      phones.map((phone, i) => pair(phone, codes[i] === 408 ? { keepAliveIntervalMs: 300 } : {})),
    );
    codes.forEach((code, i) => server.closeWith(code, phones[i]));
    const closed = await Promise.all(linked.map(({ client: c }) => c.waitForClose(15_000)));
    expect(closed).toEqual(codes);

    // A removed device cannot log in again.
    const removed = linked[codes.indexOf(401)]!;
    const retry = client(removed.auth);
    expect(await retry.waitForClose()).toBe(401);
  });

  it('answers the websocket upgrade with HTTP 403: the client stays connecting', async () => {
    server.setMode('http403');
    const c = client(new MemoryAuth());
    await sleep(1_500);
    expect(c.isOpen).toBe(false);
    expect(c.closeCode).toBeUndefined();
    expect(c.qrs).toEqual([]);
  });

  it('refuses connections (408) and hangs them until the client times out (408)', async () => {
    const biz = '+2348040000031';
    const { client: live } = await pair(biz);
    server.setMode('refuse');
    const refused = client(new MemoryAuth());
    expect(await refused.waitForClose()).toBe(408);
    // Sockets that were already connected keep working.
    const id = await server.contact('+2348031110040').send(biz, 'still there?');
    await live.waitFor(
      () => live.received('notify').find((m) => m.key.id === id),
      'message over the old socket',
    );

    server.setMode('hang');
    const before = server.connectionAttempts;
    const hung = client(new MemoryAuth(), { connectTimeoutMs: 800 });
    expect(await hung.waitForClose()).toBe(408);
    expect(server.connectionAttempts).toBe(before + 1);

    server.setMode('normal');
    const fine = client(new MemoryAuth());
    await fine.waitForQr();
  });

  it('drops every TCP connection (428)', async () => {
    const { client: c } = await pair('+2348040000030');
    const unpaired = client(new MemoryAuth());
    await unpaired.waitForQr();
    server.dropConnections();
    expect(await c.waitForClose()).toBe(428);
    expect(await unpaired.waitForClose()).toBe(428);
  });

  it('closes only the socket that sends a malformed frame, and keeps serving', async () => {
    expect(await sendGarbage(server.url)).toBe(true);
    expect(serverLog.some((line) => line.includes('malformed noise frame'))).toBe(true);

    // Valid Noise, but the plaintext is not a binary node.
    const raw = await rawNoiseClient(server.url);
    raw.sendFrame(Buffer.from([0, 0xf8, 0xff, 0xff, 0x01]));
    await raw.closed;
    expect(serverLog.some((line) => line.includes('undecodable binary node'))).toBe(true);

    const after = client(new MemoryAuth());
    await after.waitForQr();
  });
});

interface RawWs extends EventEmitter {
  send(data: Uint8Array): void;
  terminate(): void;
}

/** Opens a raw websocket, sends bytes that are not a Noise intro, and reports whether the server closed it. */
function sendGarbage(url: string): Promise<boolean> {
  const { WebSocket } = createRequire(import.meta.url)('ws') as { WebSocket: new (url: string) => RawWs };
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      resolve(false);
    }, 3_000);
    ws.on('open', () => ws.send(Buffer.from('GARBAGE-NOT-NOISE')));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
