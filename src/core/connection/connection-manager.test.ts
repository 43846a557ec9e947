import { beforeEach, describe, expect, it } from 'vitest';
import type { PhoneNumber } from '../../shared/dto';
import type { E164, NumberStatus, WorkspaceId } from '../../shared/types';
import { isSwitchboardError } from '../errors';
import { createLogger } from '../log/logger';
import { createFakeProvider, type FakeProvider } from '../testing/fake-provider';
import { createFakeTimers, type FakeTimers } from '../testing/fake-timers';
import { createMemorySink } from '../testing/memory-sink';
import { createConnectionManager, type ConnectionEvent } from './connection-manager';

const WA = 'ws-a' as WorkspaceId;
const WB = 'ws-b' as WorkspaceId;
const number = (
  id: string,
  workspaceId: WorkspaceId,
  e164: string,
  status: NumberStatus = 'connected',
): PhoneNumber => ({
  id,
  workspaceId,
  e164: e164 as E164,
  provider: 'baileys',
  status,
  label: null,
  createdAt: 1,
  updatedAt: 1,
});
const NUMBERS = [
  number('n1', WA, '+2348090000001'),
  number('n2', WA, '+2348090000002'),
  number('n3', WB, '+2348090000003'),
  number('n4', WB, '+2348090000004', 'disabled'),
];

let timers: FakeTimers;
let providers: Map<string, FakeProvider>;
let events: ConnectionEvent[];
let saved: [string, NumberStatus][];
let wiped: string[];
let sink: ReturnType<typeof createMemorySink>;

function makeManager(livenessIntervalMs = 0) {
  return createConnectionManager({
    listNumbers: () => Promise.resolve(NUMBERS),
    createProvider: (n) => {
      const p = createFakeProvider(n.e164);
      providers.set(n.e164, p);
      return p;
    },
    wipeAuth: (n) => {
      wiped.push(n.e164);
      return Promise.resolve();
    },
    saveStatus: (n, status) => {
      saved.push([n.e164, status]);
      return Promise.resolve();
    },
    onEvent: (e) => events.push(e),
    logger: createLogger({ sinks: [sink] }),
    timers,
    random: () => 0.5,
    livenessIntervalMs,
  });
}

beforeEach(() => {
  timers = createFakeTimers();
  providers = new Map();
  events = [];
  saved = [];
  wiped = [];
  sink = createMemorySink();
});

const open = (e164: string) => providers.get(e164)!.emit('status', { state: 'open', isNewLogin: false });

describe('connection manager', () => {
  it('starts every enabled number on the machine, one connection each', async () => {
    const manager = makeManager();
    await manager.startAll();
    await timers.advance(0);
    expect([...providers.keys()].sort()).toEqual(['+2348090000001', '+2348090000002', '+2348090000003']);
    for (const p of providers.values()) expect(p.live).toBe(1);
    await manager.stopAll();
    for (const p of providers.values()) expect(p.live).toBe(0);
    expect(timers.pending()).toBe(0);
  });

  it('racing restarts of one number never make a second provider or a second socket', async () => {
    const manager = makeManager();
    const n1 = NUMBERS[0]!;
    for (let i = 0; i < 20; i++) manager.start(n1, `race ${i}`);
    await timers.advance(0);
    providers.get(n1.e164)!.emit('status', {
      state: 'closed',
      close: { code: 515, message: 'restart', paired: true, qrExhausted: false },
    });
    manager.start(n1, 'owner pressed reconnect');
    await timers.advance(0);
    expect(providers.size).toBe(1);
    expect(providers.get(n1.e164)!.maxLive).toBe(1);
  });

  it('reports state changes, persists statuses, and forwards messages with their workspace', async () => {
    const manager = makeManager();
    await manager.startAll();
    open('+2348090000003');
    providers.get('+2348090000003')!.emit('message', {
      businessNumber: '+2348090000003' as E164,
      providerMessageId: 'M1',
      chatId: 'c@s.whatsapp.net',
      chatKind: 'direct',
      sender: { phone: null, waId: 'c@s.whatsapp.net', name: null },
      kind: 'text',
      text: 'hi',
      timestamp: 1,
      offline: false,
      quotedId: null,
    });
    await timers.advance(0);
    expect(events.find((e) => e.type === 'message')).toMatchObject({ workspaceId: WB });
    expect(saved).toContainEqual(['+2348090000003', 'connected']);
    expect(manager.list(WB)).toEqual([
      { number: '+2348090000003', state: expect.objectContaining({ status: 'connected' }) as unknown },
    ]);
  });

  it('sends only through the workspace’s own numbers', async () => {
    const manager = makeManager();
    await manager.startAll();
    open('+2348090000001');
    open('+2348090000003');
    const sent = await manager.sendMessage(WA, 'c@s.whatsapp.net', 'hello', { messageId: 'OUT1' });
    expect(sent).toEqual({ providerMessageId: 'OUT1', from: '+2348090000001' });
    const error = await manager
      .sendMessage(WA, 'c', 'x', { messageId: 'OUT2', from: '+2348090000003' as E164 })
      .catch((e: unknown) => e);
    expect(isSwitchboardError(error, 'NOT_FOUND')).toBe(true);
    expect(providers.get('+2348090000003')!.sent).toEqual([]);
  });

  it('refuses to send when no number of the workspace is connected, so the outbox keeps the message', async () => {
    const manager = makeManager();
    await manager.startAll();
    const error = await manager.sendMessage(WA, 'c', 'x', { messageId: 'OUT' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/No number of this workspace is connected/);
  });

  it('ends a connected-but-dead socket found by the liveness ping and reconnects', async () => {
    const manager = makeManager(30_000);
    await manager.startAll();
    open('+2348090000001');
    const p = providers.get('+2348090000001')!;
    p.failPings(true);
    await timers.advance(30_000);
    expect(manager.state('+2348090000001' as E164)?.status).toBe('reconnecting');
    await timers.advance(5_000);
    expect(p.connects).toBe(2);
  });

  it('a QR scanned with the wrong phone: logged, then the number shows wrong-phone, is wiped and alerts', async () => {
    const manager = makeManager();
    await manager.startAll();
    const p = providers.get('+2348090000001')!;
    // pair-success with another account: logged at once; the provider goes on to log that link out.
    p.emit('paired', { ownNumber: '+2347000000000' as E164 });
    await timers.advance(0);
    expect(sink.ofType('connection.wrong_phone')).toMatchObject([
      { level: 'error', workspaceId: WA, meta: { number: '+2348090000001', linkedNumber: '+2347000000000' } },
    ]);
    expect(wiped).toEqual([]);
    p.emit('status', {
      state: 'closed',
      close: {
        code: 1409,
        message: 'linked to another number',
        paired: false,
        qrExhausted: false,
        linkedNumber: '+2347000000000' as E164,
      },
    });
    await timers.advance(0);
    const message =
      'This QR was scanned with the WhatsApp of +234 700 000 0000, not +234 809 000 0001. Scan again with the phone that has +234 809 000 0001.';
    expect(manager.state('+2348090000001' as E164)).toMatchObject({ status: 'wrong-phone', message });
    expect(saved).toContainEqual(['+2348090000001', 'wrong-phone']);
    expect(wiped).toEqual(['+2348090000001']);
    expect(events.find((e) => e.type === 'alert')).toMatchObject({
      workspaceId: WA,
      alert: { number: '+2348090000001', status: 'wrong-phone', message },
    });
    // It waits for the owner: no reconnect with a session that answers for someone else.
    await timers.advance(120_000);
    expect(p.connects).toBe(1);
  });

  it('forwards QR codes and alerts with their workspace', async () => {
    const manager = makeManager();
    await manager.startAll();
    providers.get('+2348090000002')!.emit('qr', { qr: 'QR-DATA', expiresAt: 5 });
    providers.get('+2348090000002')!.emit('status', {
      state: 'closed',
      close: { code: 440, message: 'replaced', paired: true, qrExhausted: false },
    });
    expect(events.filter((e) => e.type === 'qr')).toEqual([
      { type: 'qr', workspaceId: WA, number: '+2348090000002', qr: 'QR-DATA', expiresAt: 5 },
    ]);
    expect(events.find((e) => e.type === 'alert')).toMatchObject({
      workspaceId: WA,
      alert: { status: 'replaced' },
    });
  });
});
