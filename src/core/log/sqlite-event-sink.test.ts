import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Store } from '../store/open-database';
import {
  createEventLogRepository,
  type EventLogRepository,
  type NewEvent,
} from '../store/repositories/event-log';
import type { LogEntry, LogSink } from './log-types';
import { createLogger } from './logger';
import { createRetentionTask, createSqliteEventSink, type EventAppender } from './sqlite-event-sink';

const T0 = 1_700_000_000_000;

let dir: string;
let store: Store;
let repo: EventLogRepository;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-sink-'));
  store = await openDatabase({ path: join(dir, 'switchboard.db') });
  repo = createEventLogRepository(store);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real repository behind a switch: while `failing`, every write throws like a full disk. */
function flakyRepo(real: EventAppender) {
  const state = { failing: true, calls: 0, failures: 0 };
  const appender: EventAppender = {
    async appendBatch(rows: readonly NewEvent[]) {
      state.calls += 1;
      if (state.failing) {
        state.failures += 1;
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      }
      await real.appendBatch(rows);
    },
  };
  return { appender, state };
}

function entry(i: number, level: LogEntry['level'] = 'info'): LogEntry {
  return {
    ts: T0 + i,
    level,
    type: 'message.received',
    workspaceId: 'ws',
    contactId: null,
    message: `entry ${i}`,
    meta: { i },
  };
}

async function messages(workspaceId: string | null = 'ws'): Promise<string[]> {
  return (await repo.readAfter(workspaceId, 0, 1000)).map((e) => e.message);
}

/** A sink that holds at most 100 entries, in front of a disk that fails until the test says otherwise. */
function smallSinkOnFailingDisk(options: { now?: () => number } = {}) {
  const flaky = flakyRepo(repo);
  const sink = createSqliteEventSink({
    repo: flaky.appender,
    maxBatch: 10,
    maxBuffered: 100,
    flushIntervalMs: 60_000,
    ...options,
  });
  return { flaky, sink };
}

describe('sqlite event sink', () => {
  it('writes logger entries with every field', async () => {
    const sink = createSqliteEventSink({ store });
    const logger = createLogger({ sinks: [sink], now: () => T0 });
    logger
      .child({ workspaceId: 'ws', contactId: 'c1' })
      .warn('route.decided', 'Handed off', { reason: 'hours', token: 't' });
    await logger.flush();
    const [stored] = await repo.readAfter('ws', 0, 10);
    expect(stored).toEqual({
      seq: 1,
      ts: T0,
      level: 'warn',
      type: 'route.decided',
      workspaceId: 'ws',
      contactId: 'c1',
      message: 'Handed off',
      meta: { reason: 'hours', token: '[redacted]' },
    });
    await logger.close();
  });

  it('batches many writes into few transactions; rows arrive after flush()', async () => {
    const spy = { calls: 0, sizes: [] as number[] };
    const counting: EventAppender = {
      appendBatch(rows) {
        spy.calls += 1;
        spy.sizes.push(rows.length);
        return repo.appendBatch(rows);
      },
    };
    const sink = createSqliteEventSink({ repo: counting, maxBatch: 500, flushIntervalMs: 1000 });
    for (let i = 0; i < 2_000; i++) sink.write(entry(i));
    // Nothing has touched the disk yet: write() only buffers. (Checked synchronously: any await here
    // lets the full-batch flush, due on the next turn of the loop, start.)
    expect(spy.calls).toBe(0);
    expect(sink.stats()).toMatchObject({ buffered: 2_000, written: 0 });
    await sink.flush();
    expect(await repo.count('ws')).toBe(2_000);
    expect(spy.calls).toBe(4);
    expect(spy.sizes).toEqual([500, 500, 500, 500]);
    expect((await messages()).slice(0, 3)).toEqual(['entry 0', 'entry 1', 'entry 2']);
    expect(sink.stats()).toMatchObject({ buffered: 0, written: 2_000, dropped: 0 });
    await sink.close();
  });

  it('flushes on its own after flushIntervalMs, and at once when a batch is full', async () => {
    const sink = createSqliteEventSink({ store, flushIntervalMs: 20, maxBatch: 50 });
    sink.write(entry(1));
    await vi.waitFor(async () => expect(await repo.count('ws')).toBe(1), { timeout: 2_000, interval: 10 });
    for (let i = 0; i < 50; i++) sink.write(entry(100 + i));
    await new Promise((resolve) => setImmediate(resolve));
    await vi.waitFor(async () => expect(await repo.count('ws')).toBe(51), { timeout: 2_000, interval: 5 });
    await sink.close();
  });

  it('keeps entries while the disk fails and writes them, in order, once it works again', async () => {
    const flaky = flakyRepo(repo);
    const errors: unknown[] = [];
    const sink = createSqliteEventSink({
      repo: flaky.appender,
      flushIntervalMs: 5,
      maxBatch: 100,
      maxBackoffMs: 40,
      onError: (error) => errors.push(error),
    });
    for (let i = 0; i < 1_234; i++) sink.write(entry(i));
    await sink.flush(); // fails, and says so without throwing
    expect(sink.stats()).toMatchObject({ buffered: 1_234, written: 0, failedWrites: 1 });
    expect(errors[0]).toMatchObject({ code: 'SQLITE_FULL' });

    // Retries continue in the background with backoff...
    await vi.waitFor(() => expect(flaky.state.failures).toBeGreaterThanOrEqual(3), {
      timeout: 2_000,
      interval: 5,
    });
    for (let i = 1_234; i < 1_300; i++) sink.write(entry(i));
    // ...and succeed once the disk has room again.
    flaky.state.failing = false;
    await vi.waitFor(async () => expect(await repo.count('ws')).toBe(1_300), {
      timeout: 2_000,
      interval: 10,
    });
    expect(await messages()).toEqual(Array.from({ length: 1_000 }, (_, i) => `entry ${i}`));
    const rest = (await repo.readAfter('ws', 1_000, 1000)).map((e) => e.message);
    expect(rest).toEqual(Array.from({ length: 300 }, (_, i) => `entry ${1_000 + i}`));
    expect(sink.stats()).toMatchObject({ buffered: 0, written: 1_300, dropped: 0 });
    await sink.close();
  });

  it('on overflow drops the oldest debug entries first and logs one log.dropped', async () => {
    const { flaky, sink } = smallSinkOnFailingDisk({ now: () => T0 + 999 });
    let i = 0;
    for (let n = 0; n < 50; n++) sink.write(entry(i++, 'info'));
    for (let n = 0; n < 80; n++) sink.write(entry(i++, 'debug'));
    for (let n = 0; n < 20; n++) sink.write(entry(i++, 'warn'));
    expect(sink.stats()).toMatchObject({ buffered: 100, dropped: 50 });

    flaky.state.failing = false;
    await sink.flush();
    const stored = await repo.readAfter('ws', 0, 1000);
    expect(stored.map((e) => e.message)).toEqual([
      ...Array.from({ length: 50 }, (_, n) => `entry ${n}`),
      ...Array.from({ length: 30 }, (_, n) => `entry ${100 + n}`), // the newest 30 debug entries
      ...Array.from({ length: 20 }, (_, n) => `entry ${130 + n}`),
    ]);
    const [dropped, ...others] = await repo.readAfter(null, 0, 10);
    expect(others).toEqual([]);
    expect(dropped).toMatchObject({
      ts: T0 + 999,
      level: 'warn',
      type: 'log.dropped',
      meta: { count: 50, debug: 50, other: 0 },
    });
    await sink.close();
  });

  it('drops the oldest non-debug entries when no debug ones are left', async () => {
    const { flaky, sink } = smallSinkOnFailingDisk();
    for (let i = 0; i < 130; i++) sink.write(entry(i, i < 10 ? 'debug' : 'error'));
    expect(sink.stats()).toMatchObject({ buffered: 100, dropped: 30 });
    flaky.state.failing = false;
    await sink.flush();
    expect(await messages()).toEqual(Array.from({ length: 100 }, (_, n) => `entry ${30 + n}`));
    expect((await repo.readAfter(null, 0, 10))[0]!.meta).toMatchObject({ count: 30, debug: 10, other: 20 });
    await sink.close();
  });

  it('close() writes everything and later writes are dropped', async () => {
    const sink = createSqliteEventSink({ store, flushIntervalMs: 60_000 });
    for (let i = 0; i < 700; i++) sink.write(entry(i));
    await sink.close();
    expect(await repo.count('ws')).toBe(700);
    sink.write(entry(701));
    await sink.flush();
    expect(await repo.count('ws')).toBe(700);
    expect(sink.stats().dropped).toBe(1);
  });

  it('survives entries that bypass the logger with invalid fields', async () => {
    const sink = createSqliteEventSink({ store });
    const odd = {
      ts: Number.NaN,
      level: 'loud',
      type: 'x'.repeat(300),
      workspaceId: 'ws',
      contactId: 5,
      message: undefined,
      meta: { big: 1n },
    } as unknown as LogEntry;
    sink.write(odd);
    sink.write(entry(1));
    await sink.flush();
    const stored = await repo.readAfter('ws', 0, 10);
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({ level: 'info', contactId: null, message: '', meta: { big: '1' } });
    expect(stored[0]!.type).toHaveLength(100);
    await sink.close();
  });
});

describe('retention task', () => {
  it('deletes by age and row count and logs log.retention with the count', async () => {
    await repo.appendBatch(
      Array.from({ length: 300 }, (_, i) => ({
        ts: T0 + i * 1000,
        level: 'info' as const,
        type: 'perf',
        workspaceId: 'ws',
        contactId: null,
        message: `m${i}`,
        meta: null,
      })),
    );
    const seen: LogEntry[] = [];
    const memory: LogSink = { write: (e) => void seen.push(e), flush: async () => {}, close: async () => {} };
    const logger = createLogger({ sinks: [memory] });
    const task = createRetentionTask({
      repo,
      logger,
      maxAgeMs: 100_000,
      maxRows: 50,
      now: () => T0 + 299_000,
    });
    expect(await task.runOnce()).toBe(250);
    expect(await repo.count('ws')).toBe(50);
    expect(seen.at(-1)).toMatchObject({ level: 'info', type: 'log.retention', meta: { deleted: 250 } });

    task.start();
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]).toMatchObject({ level: 'debug', type: 'log.retention', meta: { deleted: 0 } });
    task.stop();
  });

  it('logs a failing pass as an error and keeps going', async () => {
    const seen: LogEntry[] = [];
    const memory: LogSink = { write: (e) => void seen.push(e), flush: async () => {}, close: async () => {} };
    const task = createRetentionTask({
      repo: { enforceRetention: () => Promise.reject(new Error('locked')) },
      logger: createLogger({ sinks: [memory] }),
      maxRows: 10,
    });
    expect(await task.runOnce()).toBe(0);
    expect(seen[0]).toMatchObject({
      level: 'error',
      type: 'log.retention',
      meta: { error: { message: 'locked' } },
    });
  });
});
