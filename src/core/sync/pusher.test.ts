import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestRequest } from '../../shared/sync-protocol';
import type { WorkspaceId } from '../../shared/types';
import { createLogger } from '../log/logger';
import { createFileKeySecretBox } from '../secrets/file-key-secret-box';
import type { SecretBox } from '../secrets/secret-box';
import type { Store } from '../store/open-database';
import { createEventLogRepository, type NewEvent } from '../store/repositories/event-log';
import { createSyncStateRepository } from '../store/repositories/sync-state';
import { createFakeTimers, type FakeTimers } from '../testing/fake-timers';
import { insertTestWorkspace } from '../testing/fixtures';
import { createMemorySink } from '../testing/memory-sink';
import { ackAll, createScriptedTransport, json, type RecordedRequest } from '../testing/scripted-transport';
import { openTempStore } from '../testing/temp-files';
import { createBacklogCounter } from './backlog-counter';
import { createPusher, type Pusher, type PusherOptions } from './pusher';

const WS = 'ws-shop' as WorkspaceId;
const OTHER = 'ws-other' as WorkspaceId;
const TOKEN = 'sbw_0123456789abcdef0123456789abcdef0123456789a';

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
let timers: FakeTimers;
let secrets: SecretBox;
let sink: ReturnType<typeof createMemorySink>;
let pusher: Pusher | undefined;

const syncState = () => createSyncStateRepository(store.db);
const eventLog = () => createEventLogRepository(store);

beforeEach(async () => {
  ({ store, dir, cleanup } = await openTempStore({ durability: 'normal' }));
  timers = createFakeTimers();
  secrets = createFileKeySecretBox({ dataDir: dir });
  sink = createMemorySink();
  await insertTestWorkspace(store.db, WS);
  await insertTestWorkspace(store.db, OTHER);
  await syncState().save(
    WS,
    {
      serverUrl: 'http://central.test',
      centralWorkspaceId: 'cw-1',
      centralWorkspaceName: 'Shop HQ',
      tokenSealed: secrets.seal(TOKEN),
      lastAckedSeq: 0,
    },
    timers.now(),
  );
});

afterEach(async () => {
  await pusher?.stop();
  pusher = undefined;
  await cleanup();
});

async function append(count: number, extra: (i: number) => Partial<NewEvent> = () => ({})): Promise<void> {
  await eventLog().appendBatch(
    Array.from({ length: count }, (_, i) => ({
      ts: timers.now(),
      level: 'info' as const,
      type: 'message.received',
      workspaceId: WS,
      contactId: null,
      message: `event ${i}`,
      meta: null,
      ...extra(i),
    })),
  );
}

function startPusher(transport: PusherOptions['transport'], overrides: Partial<PusherOptions> = {}): Pusher {
  const repo = syncState();
  pusher = createPusher({
    workspaceId: WS,
    repo,
    lastSeq: () => eventLog().lastSeq(),
    numbers: () =>
      Promise.resolve([{ number: '+2348031234567', provider: 'baileys', status: 'connected', updatedAt: 5 }]),
    secrets,
    transport,
    installationId: 'install-0001',
    counter: createBacklogCounter((after, through) => repo.countEvents(WS, after, through)),
    logger: createLogger({ sinks: [sink], now: () => timers.now() }),
    timers,
    random: () => 1,
    idlePollMs: 5_000,
    batchGapMs: 0,
    onChange: () => undefined,
    ...overrides,
  });
  pusher.start();
  return pusher;
}

/** Fires the next timer and waits for the step it started; returns the timer's delay. */
async function tick(): Promise<number | null> {
  const delay = await timers.next();
  await pusher!.settled();
  return delay;
}

/** Fires timers until the pusher rests (idle poll) or `max` requests went out; the delays it waited. */
async function tickUntilIdle(requests: readonly RecordedRequest[], max: number): Promise<(number | null)[]> {
  const delays: (number | null)[] = [];
  while (requests.length < max) {
    const delay = await tick();
    if (delay === null || (delay === 5_000 && pusher!.state().phase === 'idle')) break;
    delays.push(delay);
  }
  return delays;
}

const seqsOf = (request: RecordedRequest): number[] =>
  (request.body.events as { seq: number }[]).map((e) => e.seq);
const acked = async () => (await syncState().get(WS))!.lastAckedSeq;

describe('pusher', () => {
  it('pushes in ascending order within the batch limit and resumes from the seq the server acknowledged', async () => {
    await append(600);
    // Another workspace's events in between never travel with this workspace's.
    await eventLog().appendBatch([
      {
        ts: 1,
        level: 'info',
        type: 'x.y',
        workspaceId: OTHER,
        contactId: null,
        message: 'not mine',
        meta: null,
      },
    ]);
    await append(100);
    const script = createScriptedTransport(ackAll);
    // The server commits only part of the first batch (or says so): the rest is sent again.
    script.reply(json(200, { ackedSeq: 300, stored: 300, duplicates: 0 }));
    startPusher(script.transport, { limits: { maxEvents: 250 } });

    expect(await tick()).toBe(0);
    expect(seqsOf(script.requests[0]!)).toEqual(range(1, 250));
    // The server acked 300 (beyond the 250 sent: it already had them): trust it, not what was sent.
    expect(await acked()).toBe(300);
    while (script.requests.length < 10 && (await tick()) === 0);
    const sent = script.requests.flatMap(seqsOf);
    expect(sent).toEqual([...range(1, 250), ...range(301, 600), ...range(602, 701)]);
    expect(await acked()).toBe(701);
    expect(pusher!.state()).toMatchObject({ phase: 'idle', backlog: 0 });

    for (const request of script.requests) {
      expect(request.path).toBe('/api/v1/ingest');
      expect(request.headers).toMatchObject({
        authorization: `Bearer ${TOKEN}`,
        'content-encoding': 'gzip',
        'content-type': 'application/json',
      });
      const body = ingestRequest.parse(request.body);
      expect(body).toMatchObject({
        protocol: 1,
        installationId: 'install-0001',
        numbers: [{ number: '+2348031234567' }],
      });
      expect(request.body.events.length).toBeLessThanOrEqual(250);
    }
    // Each request says what is still waiting after it.
    expect(script.requests.map((r) => r.body.backlog)).toEqual([450, 150, 0]);
  });

  it('bounds a batch by bytes and by the compressed size on the wire', async () => {
    const random = (i: number) =>
      Array.from({ length: 1_900 }, (_, k) =>
        String.fromCharCode(0x4e00 + ((i * 7919 + k * 104729) % 20_000)),
      ).join('');
    await append(300, (i) => ({ message: random(i) }));
    const script = createScriptedTransport(ackAll);
    startPusher(script.transport, { limits: { maxBytes: 200_000, maxRequestBytes: 60_000 } });
    while ((await tick()) === 0 && script.requests.length < 100);
    expect(script.requests.flatMap(seqsOf)).toEqual(range(1, 300));
    for (const request of script.requests) {
      expect(Buffer.byteLength(JSON.stringify(request.body))).toBeLessThanOrEqual(200_000);
      expect(request.wireBytes).toBeLessThanOrEqual(60_000);
    }
  });

  it('backs off with full jitter, honours Retry-After, and keeps the events until the server takes them', async () => {
    await append(10);
    const script = createScriptedTransport(ackAll);
    script.reply(
      json(500, { error: { code: 'INTERNAL', message: 'database is down' } }),
      json(500, { error: { code: 'INTERNAL', message: 'database is down' } }),
      { networkError: 'the connection was refused: the server is not running or the address is wrong' },
      json(503, { error: { code: 'UNAVAILABLE', message: 'maintenance' } }, '120'),
      json(429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }),
    );
    startPusher(script.transport);
    const delays: (number | null)[] = [await tick()];
    for (let i = 0; i < 5; i++) delays.push(await tick());
    // random() = 1: each delay is the ceiling. 2 s, 4 s, 8 s, then the server's 120 s, then 32 s.
    expect(delays).toEqual([0, 2_000, 4_000, 8_000, 120_000, 32_000]);
    expect(script.requests).toHaveLength(6);
    expect(await acked()).toBe(10);
    const state = await syncState().get(WS);
    expect(state).toMatchObject({ lastError: null, lastSuccessAt: timers.now() });

    const failures = sink.ofType('sync.failed');
    // The same failure twice is in the workspace's log once; the repeat goes to the machine's, at debug.
    expect(failures.map((e) => [e.level, e.workspaceId])).toEqual([
      ['warn', WS],
      ['debug', null],
      ['warn', WS],
      ['warn', WS],
      ['warn', WS],
    ]);
    expect(failures[0]!.message).toContain('HTTP 500: database is down');
    expect(failures[3]!.meta).toMatchObject({ retryAfterMs: 120_000, retryInMs: 120_000 });
    expect(sink.ofType('sync.recovered')).toHaveLength(1);
    expect(sink.ofType('sync.retry_after')).toHaveLength(1);
  });

  it('waits at least the floor even when the random source says zero, up to the 5 min cap', async () => {
    await append(1);
    const script = createScriptedTransport({ networkError: 'the connection was cut' });
    startPusher(script.transport, { random: () => 0 });
    await tick();
    for (let i = 0; i < 3; i++) expect(await tick()).toBe(500);
    pusher!.state();
    expect(pusher!.state().phase).toBe('retrying');
    expect(pusher!.state().nextAttemptAt).toBe(timers.now() + 500);
    expect((await syncState().get(WS))!.lastError).toMatch(
      /Could not reach the central server: the connection was cut/,
    );

    await pusher!.stop();
    const capped = createScriptedTransport({ networkError: 'the connection was cut' });
    startPusher(capped.transport, { random: () => 1 });
    let delay: number | null = 0;
    for (let i = 0; i < 14; i++) delay = await tick();
    expect(delay).toBe(300_000);
  });

  it('stops on 401 and says to enroll again; nothing more is sent', async () => {
    await append(5);
    const script = createScriptedTransport(
      json(401, { error: { code: 'UNAUTHORIZED', message: 'This workspace token is not valid.' } }),
    );
    const changes: boolean[] = [];
    startPusher(script.transport, { onChange: (important) => changes.push(important) });
    await tick();
    expect(pusher!.state().phase).toBe('needs-attention');
    expect(timers.pending()).toBe(0);
    pusher!.nudge();
    expect(timers.pending()).toBe(0);
    expect(script.requests).toHaveLength(1);
    const state = (await syncState().get(WS))!;
    expect(state.state).toBe('needs-attention');
    expect(state.lastError).toBe(
      "The central server no longer accepts this computer's key (HTTP 401): This workspace token is not valid. " +
        'Enroll again with a new code from your administrator.',
    );
    expect(sink.ofType('sync.needs_attention')).toMatchObject([{ level: 'warn', workspaceId: WS }]);
    expect(changes).toContain(true);
  });

  it('a token that cannot be unsealed (another key) also needs attention, without a request', async () => {
    await append(1);
    const script = createScriptedTransport(ackAll);
    startPusher(script.transport, { secrets: createFileKeySecretBox({ keyPath: `${dir}/other.key` }) });
    await tick();
    expect(script.requests).toHaveLength(0);
    expect((await syncState().get(WS))!.lastError).toMatch(/could not read its stored key .* Enroll again/);
  });

  it('halves a refused batch down to the one bad event, sends a placeholder for it, and never loops hot', async () => {
    await append(8);
    const BAD = 6;
    const script = createScriptedTransport((request) =>
      (request.body.events as { seq: number; message: string }[]).some(
        (e) => e.seq === BAD && !e.message.startsWith('[withheld'),
      )
        ? json(413, { error: { code: 'TOO_LARGE', message: 'event 6 is too large' } })
        : ackAll(request),
    );
    startPusher(script.transport, { random: () => 0.5 });
    const delays = await tickUntilIdle(script.requests, 20);
    expect(script.requests.map((r) => seqsOf(r))).toEqual([
      range(1, 8), // refused
      range(1, 4), // halved: fine
      range(5, 8), // refused
      [5, 6], // refused
      [5], // fine (the next batch may be twice as large again)
      [6, 7], // refused
      [6], // refused on its own
      [6], // the placeholder: taken
      [7, 8],
    ]);
    expect(script.requests[7]!.body.events[0].message).toBe(
      '[withheld: the central server refused this event: event 6 is too large]',
    );
    expect(await acked()).toBe(8);
    // Every retry after a refusal waited (no hot loop); none escalated to a long backoff.
    expect(delays.filter((d) => d !== 0).every((d) => d! >= 500 && d! <= 2_000)).toBe(true);
    expect(sink.ofType('sync.batch_shrunk').length).toBe(4);
    expect(sink.ofType('sync.event_withheld')).toHaveLength(1);
  });

  it('a batch that keeps failing with a server error is a poison batch: halved down to the event, which goes as a placeholder', async () => {
    await append(8, (i) => (i === 5 ? { message: 'Hi\u0000 there' } : {}));
    // A PostgreSQL central before it escaped NUL: 500 for any batch carrying one, for ever.
    const script = createScriptedTransport((request) =>
      (request.body.events as { message: string }[]).some((e) => e.message.includes('\u0000'))
        ? json(500, { error: { code: 'INTERNAL', message: 'Something went wrong' } })
        : ackAll(request),
    );
    startPusher(script.transport, { random: () => 1 });
    const delays = await tickUntilIdle(script.requests, 40);
    expect(await acked()).toBe(8);
    const placeholder = script.requests.at(-2)!.body.events[0];
    expect(placeholder).toMatchObject({ seq: 6 });
    expect(placeholder.message).toBe(
      '[withheld: the central server refused this event: the same upload failed 3 times in a row: Something went wrong]',
    );
    // Three tries of each batch that fails, never a long backoff, halved down to event 6.
    const three = (seqs: number[]) => [seqs, seqs, seqs];
    expect(script.requests.map((r) => seqsOf(r))).toEqual([
      ...three(range(1, 8)),
      range(1, 4),
      ...three(range(5, 8)),
      ...three([5, 6]),
      [5],
      ...three([6, 7]),
      ...three([6]),
      [6], // the placeholder
      [7, 8],
    ]);
    expect(Math.max(...delays.map((d) => d ?? 0))).toBeLessThanOrEqual(4_000);
    expect(sink.ofType('sync.event_withheld')).toMatchObject([
      { level: 'warn', workspaceId: WS, meta: { seq: 6, status: 500 } },
    ]);
    expect(sink.ofType('sync.event_withheld')[0]!.message).toContain('keeps failing on event 6');
  });

  it('a server that fails every request costs one event at most: its placeholder fails too, then it backs off', async () => {
    await append(2);
    const script = createScriptedTransport(json(500, { error: { code: 'INTERNAL', message: 'down' } }));
    startPusher(script.transport, { random: () => 1 });
    const delays: (number | null)[] = [];
    for (let i = 0; i < 20; i++) delays.push(await tick());
    expect(sink.ofType('sync.event_withheld')).toHaveLength(1);
    // After the placeholder fails, the streak's backoff grows to its cap.
    expect(delays.at(-1)).toBe(300_000);
    expect(await acked()).toBe(0);

    // A proxy's 502 while the server is down behind it is not a poison batch: no event is withheld.
    await pusher!.stop();
    const withheldBefore = sink.ofType('sync.event_withheld').length;
    const proxied = createScriptedTransport({ status: 502, retryAfter: null, text: '<h1>Bad Gateway</h1>' });
    startPusher(proxied.transport, { random: () => 1 });
    for (let i = 0; i < 8; i++) await tick();
    expect(proxied.requests.every((r) => seqsOf(r).length === 2)).toBe(true);
    expect(sink.ofType('sync.event_withheld')).toHaveLength(withheldBefore);
  });

  it('an acknowledgement below what was sent is not a success: it pauses, then resends', async () => {
    await append(3);
    const script = createScriptedTransport(ackAll);
    script.reply(json(200, { ackedSeq: 0, stored: 0, duplicates: 0 }));
    startPusher(script.transport);
    await tick();
    expect(pusher!.state().phase).toBe('retrying');
    expect(sink.ofType('sync.ack_anomaly')).toHaveLength(1);
    expect(await tick()).toBe(2_000);
    expect(script.requests.map(seqsOf)).toEqual([range(1, 3), range(1, 3)]);
    expect(await acked()).toBe(3);
  });

  it('reports catching up with progress while a large backlog goes out', async () => {
    await append(1_000);
    const script = createScriptedTransport(ackAll);
    startPusher(script.transport, { limits: { maxEvents: 100 } });
    await tick();
    await tick();
    expect(pusher!.state()).toMatchObject({ phase: 'catching-up', catchingUp: { done: 200, total: 1_000 } });
    while ((await tick()) === 0);
    expect(pusher!.state()).toMatchObject({ phase: 'idle', catchingUp: null, backlog: 0 });
    expect(sink.ofType('sync.caught_up')).toMatchObject([{ workspaceId: WS, meta: { events: 1_000 } }]);
  });

  it('an idle pusher only looks for new events; it never writes to the log it pushes', async () => {
    await append(2);
    const script = createScriptedTransport(ackAll);
    startPusher(script.transport);
    await tick();
    expect(script.requests).toHaveLength(1);
    for (let i = 0; i < 10; i++) expect(await tick()).toBe(5_000);
    expect(script.requests).toHaveLength(1);
    // What the pusher logged about its successes is the machine's, never the workspace's.
    expect(sink.entries.filter((e) => e.workspaceId === WS)).toEqual([]);
    expect(sink.ofType('sync.pushed')).toMatchObject([
      { level: 'debug', workspaceId: null, meta: { workspaceId: WS } },
    ]);
    await append(1);
    await tick();
    expect(script.requests.map(seqsOf)).toEqual([[1, 2], [3]]);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
