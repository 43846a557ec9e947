import { beforeEach, describe, expect, it } from 'vitest';
import type { E164, NumberStatus } from '../../shared/types';
import { createLogger } from '../log/logger';
import { createFakeTimers, type FakeTimers } from '../testing/fake-timers';
import { createMemorySink } from '../testing/memory-sink';
import type { CloseInfo } from '../whatsapp/provider';
import { backoffDelay, decideReconnect } from './reconnect-policy';
import { createReconnectSupervisor, type SupervisorAlert } from './reconnect-supervisor';

const NUMBER = '+2348031234567' as E164;
const close = (code: number | null, extra: Partial<CloseInfo> = {}): CloseInfo => ({
  code,
  message: `code ${code}`,
  paired: true,
  qrExhausted: false,
  ...extra,
});

let timers: FakeTimers;
let sink: ReturnType<typeof createMemorySink>;
let connects: number;
let disconnects: string[];
let wipes: number;
let alerts: SupervisorAlert[];

function makeSupervisor(random = () => 0.5, policy = {}) {
  return createReconnectSupervisor({
    number: NUMBER,
    connect: () => {
      connects++;
      return Promise.resolve();
    },
    disconnect: (reason) => {
      disconnects.push(reason);
      return Promise.resolve();
    },
    wipeAuth: () => {
      wipes++;
      return Promise.resolve();
    },
    timers,
    random,
    logger: createLogger({ sinks: [sink], now: () => timers.now() }),
    policy,
    onAlert: (a) => alerts.push(a),
  });
}

beforeEach(() => {
  timers = createFakeTimers();
  sink = createMemorySink();
  connects = 0;
  disconnects = [];
  wipes = 0;
  alerts = [];
});

describe('reconnect policy table', () => {
  const table: [string, CloseInfo, string, NumberStatus | null][] = [
    ['515 restart required', close(515), 'reconnect-now', null],
    ['408 connection lost', close(408), 'backoff', null],
    ['428 connection closed', close(428), 'backoff', null],
    ['500 bad session', close(500), 'backoff', null],
    ['503 unavailable', close(503), 'backoff', null],
    ['network error (no code)', close(null), 'backoff', null],
    ['unknown code', close(999), 'backoff', null],
    ['401 logged out', close(401), 'wipe-and-pair', 'logged-out'],
    ['440 replaced', close(440), 'stop', 'replaced'],
    ['403 banned', close(403), 'stop', 'banned'],
    ['405 update required', close(405), 'stop', 'update-required'],
    ['411 multidevice mismatch', close(411), 'stop', 'needs-attention'],
    ['1401 credentials refused (Cloud API token)', close(1401), 'stop', 'needs-attention'],
    ['1403 account restricted (Cloud API)', close(1403), 'stop', 'needs-attention'],
    [
      '1409 linked to another number (QR scanned with the wrong phone)',
      close(1409),
      'wipe-and-pair',
      'wrong-phone',
    ],
    [
      'QR refs exhausted while unpaired',
      close(408, { paired: false, qrExhausted: true }),
      'wait-for-user',
      'unpaired',
    ],
  ];
  for (const [label, info, kind, status] of table) {
    it(`${label} -> ${kind}`, () => {
      const action = decideReconnect(info);
      expect(action.kind).toBe(kind);
      if (status !== null) expect((action as { status: NumberStatus }).status).toBe(status);
    });
  }

  it('1409 names both numbers: the one that scanned and the one to scan with', () => {
    const action = decideReconnect(
      close(1409, { paired: false, linkedNumber: '+2348109876543' as E164 }),
      '+2348031234567' as E164,
    );
    expect(action).toEqual({
      kind: 'wipe-and-pair',
      status: 'wrong-phone',
      message:
        'This QR was scanned with the WhatsApp of +234 810 987 6543, not +234 803 123 4567. Scan again with the phone that has +234 803 123 4567.',
    });
  });

  it('backoff grows exponentially from 1 s, capped at 60 s, with full jitter', () => {
    const opts = { baseDelayMs: 1000, maxDelayMs: 60_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((a) => backoffDelay(a, () => 0.999999, opts))).toEqual([
      1000, 1999, 3999, 7999, 15999, 31999, 59999, 59999, 59999,
    ]);
    expect(backoffDelay(5, () => 0, opts)).toBe(1000); // never below the 1 s floor
  });
});

describe('reconnect supervisor', () => {
  it('connects, and resets attempts after the connection stays open', async () => {
    const sup = makeSupervisor();
    sup.start();
    expect(connects).toBe(1);
    expect(sup.getState().status).toBe('connecting');
    sup.handleStatus({ state: 'closed', close: close(408) });
    expect(sup.getState()).toMatchObject({ status: 'reconnecting', attempt: 1 });
    await timers.next();
    expect(connects).toBe(2);
    sup.handleStatus({ state: 'open', isNewLogin: false });
    expect(sup.getState().status).toBe('connected');
    await timers.advance(60_000);
    expect(sup.getState().attempt).toBe(0);
  });

  it('515 reconnects immediately with no delay', () => {
    const sup = makeSupervisor();
    sup.start();
    sup.handleStatus({ state: 'closed', close: close(515) });
    expect(connects).toBe(2);
    expect(sup.getState().attempt).toBe(0);
  });

  it('backs off with growing delays, alerts once after 10 failures, and keeps trying at the cap', async () => {
    const sup = makeSupervisor(() => 0.999999);
    sup.start();
    const delays: number[] = [];
    for (let i = 0; i < 13; i++) {
      sup.handleStatus({ state: 'closed', close: close(428) });
      delays.push((await timers.next())!);
    }
    expect(delays.slice(0, 8)).toEqual([1000, 1999, 3999, 7999, 15999, 31999, 59999, 59999]);
    expect(Math.max(...delays)).toBe(59999);
    expect(connects).toBe(14);
    expect(sup.getState().status).toBe('needs-attention');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: 'needs-attention', number: NUMBER });
    // It recovers by itself when the network comes back.
    sup.handleStatus({ state: 'open', isNewLogin: false });
    expect(sup.getState().status).toBe('connected');
  });

  it('logs every transition with number, code, attempt and delay', async () => {
    const sup = makeSupervisor();
    sup.start();
    sup.handleStatus({ state: 'closed', close: close(503) });
    const entry = sink.ofType('connection.changed').at(-1)!;
    expect(entry.meta).toMatchObject({ number: NUMBER, code: 503, attempt: 1, to: 'reconnecting' });
    expect(entry.meta?.delayMs).toBeGreaterThanOrEqual(1000);
  });

  it('401 wipes the auth, asks for pairing and stops', async () => {
    const sup = makeSupervisor();
    sup.start();
    sup.handleStatus({ state: 'closed', close: close(401) });
    await timers.advance(0);
    expect(wipes).toBe(1);
    expect(sup.getState().status).toBe('logged-out');
    expect(alerts.map((a) => a.status)).toEqual(['logged-out']);
    await timers.advance(600_000);
    expect(connects).toBe(1);
  });

  for (const [code, status] of [
    [440, 'replaced'],
    [403, 'banned'],
    [405, 'update-required'],
  ] as const) {
    it(`${code} stops as ${status}, tells the owner, never reconnects on its own`, async () => {
      const sup = makeSupervisor();
      sup.start();
      sup.handleStatus({ state: 'closed', close: close(code) });
      await timers.advance(600_000);
      expect(connects).toBe(1);
      expect(sup.getState().status).toBe(status);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.message.length).toBeGreaterThan(20);
      sup.start('owner pressed reconnect');
      expect(connects).toBe(2);
    });
  }

  it('a QR that expires unscanned waits for the owner', async () => {
    const sup = makeSupervisor();
    sup.start();
    sup.handleQr();
    expect(sup.getState().status).toBe('pairing');
    sup.handleStatus({ state: 'closed', close: close(408, { paired: false, qrExhausted: true }) });
    await timers.advance(600_000);
    expect(connects).toBe(1);
    expect(sup.getState().status).toBe('unpaired');
    sup.start('new QR requested');
    expect(connects).toBe(2);
  });

  it('the watchdog ends a socket stuck in connecting and retries with backoff', async () => {
    const sup = makeSupervisor(() => 0.5, { connectTimeoutMs: 20_000 });
    sup.start();
    await timers.advance(20_000);
    expect(disconnects).toEqual(['connect watchdog']);
    expect(sup.getState()).toMatchObject({ status: 'reconnecting', attempt: 1 });
    expect(sink.ofType('connection.watchdog')).toHaveLength(1);
    await timers.next();
    expect(connects).toBe(2);
  });

  it('showing a QR stands the watchdog down', async () => {
    const sup = makeSupervisor(() => 0.5, { connectTimeoutMs: 20_000 });
    sup.start();
    sup.handleQr();
    await timers.advance(120_000);
    expect(disconnects).toEqual([]);
  });

  it('repeated bad-session closes ask the owner to pair again', async () => {
    const sup = makeSupervisor();
    sup.start();
    for (let i = 0; i < 3; i++) {
      sup.handleStatus({ state: 'closed', close: close(500) });
      await timers.next();
    }
    expect(sup.getState().status).toBe('needs-attention');
    expect(alerts).toHaveLength(1);
    expect(connects).toBe(3);
  });

  it('a two-minute outage costs a handful of attempts, not a storm', async () => {
    const sup = makeSupervisor(() => 0.5);
    sup.start();
    let elapsed = 0;
    while (elapsed < 120_000) {
      sup.handleStatus({ state: 'closed', close: close(null) });
      elapsed += (await timers.next())!;
    }
    sup.handleStatus({ state: 'open', isNewLogin: false });
    expect(connects).toBeLessThanOrEqual(10);
    expect(sup.getState().status).toBe('connected');
  });

  it('stop cancels pending retries and ignores later events', async () => {
    const sup = makeSupervisor();
    sup.start();
    sup.handleStatus({ state: 'closed', close: close(428) });
    await sup.stop();
    await timers.advance(600_000);
    sup.handleStatus({ state: 'closed', close: close(428) });
    expect(connects).toBe(1);
    expect(timers.pending()).toBe(0);
    expect(sup.getState().status).toBe('disabled');
  });
});
