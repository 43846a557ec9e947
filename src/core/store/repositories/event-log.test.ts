import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOG_LEVELS, type LogLevel } from '../../../shared/types';
import { openDatabase, type Store } from '../open-database';
import {
  createEventLogRepository,
  type EventLogRepository,
  type EventQuery,
  type NewEvent,
} from './event-log';

const T0 = 1_700_000_000_000;
const TYPES = ['message.received', 'message.sent', 'route.decided', 'connection.changed', 'perf'];
const WORKSPACES = ['ws-a', 'ws-b', null] as const;

let dir: string;
let store: Store;
let repo: EventLogRepository;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-event-log-'));
  store = await openDatabase({ path: join(dir, 'switchboard.db') });
  repo = createEventLogRepository(store);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function event(i: number, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    // Three events per millisecond: ties on ts must not split or repeat across pages.
    ts: T0 + Math.floor(i / 3),
    level: LOG_LEVELS[i % 4]!,
    type: TYPES[i % 5]!,
    workspaceId: WORKSPACES[i % 3]!,
    contactId: i % 7 === 0 ? `contact-${i % 11}` : null,
    message: `event number ${i}`,
    meta: JSON.stringify({ i, chatId: `chat-${i % 13}` }),
    ...overrides,
  };
}

async function pageAll(filter: EventQuery): Promise<number[]> {
  const seqs: number[] = [];
  let beforeSeq: number | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await repo.query({ ...filter, beforeSeq });
    seqs.push(...page.events.map((e) => e.seq));
    if (page.nextBeforeSeq === null) return seqs;
    beforeSeq = page.nextBeforeSeq;
  }
  throw new Error('paging did not end');
}

describe('event log repository', () => {
  it('appends a batch in order and reads every field back', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => event(i));
    await repo.appendBatch(rows);
    expect(await repo.lastSeq()).toBe(250);
    const page = await repo.query({ workspaceId: 'ws-a', limit: 1000 });
    expect(page.nextBeforeSeq).toBeNull();
    expect(page.events).toHaveLength(84);
    expect(page.events.at(-1)).toEqual({
      seq: 1,
      ts: T0,
      level: 'debug',
      type: 'message.received',
      workspaceId: 'ws-a',
      contactId: 'contact-0',
      message: 'event number 0',
      meta: { i: 0, chatId: 'chat-0' },
    });
    const all = await repo.readAfter('ws-a', 0, 1000);
    expect(all.map((e) => e.message)).toEqual(
      rows.filter((r) => r.workspaceId === 'ws-a').map((r) => r.message),
    );
  });

  it('splits odd-sized batches across statements without losing or reordering rows', async () => {
    for (const size of [1, 37, 500, 1_337]) {
      const before = await repo.lastSeq();
      await repo.appendBatch(
        Array.from({ length: size }, (_, i) => event(i, { workspaceId: `size-${size}` })),
      );
      const rows = await repo.readAfter(`size-${size}`, 0, 1000);
      expect(rows.map((r) => r.seq)).toEqual(
        Array.from({ length: Math.min(size, 1000) }, (_, i) => before + i + 1),
      );
      expect(await repo.count(`size-${size}`)).toBe(size);
    }
  });

  it('pages through 1,000 events with filters, each exactly once and newest first', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => event(i));
    await repo.appendBatch(rows.slice(0, 400));
    await repo.appendBatch(rows.slice(400));
    const stored = rows.map((row, i) => ({ ...row, seq: i + 1 }));
    const rank = (l: LogLevel) => LOG_LEVELS.indexOf(l);

    const cases: { filter: EventQuery; keep: (r: (typeof stored)[number]) => boolean }[] = [
      { filter: { workspaceId: 'ws-a' }, keep: (r) => r.workspaceId === 'ws-a' },
      { filter: { workspaceId: null }, keep: (r) => r.workspaceId === null },
      {
        filter: { workspaceId: 'ws-b', levels: ['warn', 'error'] },
        keep: (r) => r.workspaceId === 'ws-b' && rank(r.level) >= 2,
      },
      {
        filter: { workspaceId: 'ws-a', minLevel: 'info' },
        keep: (r) => r.workspaceId === 'ws-a' && rank(r.level) >= 1,
      },
      {
        filter: { workspaceId: 'ws-a', types: ['message.sent', 'perf'] },
        keep: (r) => r.workspaceId === 'ws-a' && (r.type === 'message.sent' || r.type === 'perf'),
      },
      {
        filter: { workspaceId: 'ws-b', typePrefix: 'message.' },
        keep: (r) => r.workspaceId === 'ws-b' && r.type.startsWith('message.'),
      },
      {
        filter: { workspaceId: null, since: T0 + 50, until: T0 + 250 },
        keep: (r) => r.workspaceId === null && r.ts >= T0 + 50 && r.ts < T0 + 250,
      },
      {
        filter: { workspaceId: 'ws-a', search: 'NUMBER 1', minLevel: 'warn', since: T0 + 10 },
        keep: (r) =>
          r.workspaceId === 'ws-a' && r.message.includes('number 1') && rank(r.level) >= 2 && r.ts >= T0 + 10,
      },
      {
        filter: { workspaceId: 'ws-a', afterSeq: 700 },
        keep: (r) => r.workspaceId === 'ws-a' && r.seq > 700,
      },
      { filter: { workspaceId: 'ws-a', types: [] }, keep: () => false },
    ];

    for (const { filter, keep } of cases) {
      const expected = stored
        .filter(keep)
        .sort((a, b) => b.ts - a.ts || b.seq - a.seq)
        .map((r) => r.seq);
      for (const limit of [1, 7, 100]) {
        const seqs = await pageAll({ ...filter, limit });
        expect(seqs, JSON.stringify({ filter, limit })).toEqual(expected);
      }
    }
  });

  it('orders by time, so a clock that jumps back still pages without gaps or repeats', async () => {
    await repo.appendBatch([
      event(0, { ts: T0 + 100, workspaceId: 'ws' }),
      event(1, { ts: T0 + 50, workspaceId: 'ws' }), // clock set back
      event(2, { ts: T0 + 100, workspaceId: 'ws' }),
      event(3, { ts: T0 + 200, workspaceId: 'ws' }),
    ]);
    expect(await pageAll({ workspaceId: 'ws', limit: 1 })).toEqual([4, 3, 1, 2]);
    // Live tail and sync read in write order.
    expect((await repo.readAfter('ws', 1, 10)).map((e) => e.seq)).toEqual([2, 3, 4]);
  });

  it('treats % and _ in a search as literal text', async () => {
    await repo.appendBatch([
      event(0, { workspaceId: 'ws', message: '100% done' }),
      event(1, { workspaceId: 'ws', message: '100 done' }),
      event(2, { workspaceId: 'ws', message: 'a_b', meta: null }),
      event(3, { workspaceId: 'ws', message: 'axb', meta: JSON.stringify({ note: 'found in meta' }) }),
    ]);
    const search = async (text: string) =>
      (await repo.query({ workspaceId: 'ws', search: text })).events.map((e) => e.message);
    expect(await search('0%')).toEqual(['100% done']);
    expect(await search('a_b')).toEqual(['a_b']);
    expect(await search('FOUND IN')).toEqual(['axb']);
  });

  it('clamps the page size', async () => {
    await repo.appendBatch(Array.from({ length: 1100 }, (_, i) => event(i, { workspaceId: 'ws' })));
    expect((await repo.query({ workspaceId: 'ws', limit: 5000 })).events).toHaveLength(1000);
    expect((await repo.query({ workspaceId: 'ws' })).events).toHaveLength(100);
    expect((await repo.query({ workspaceId: 'ws', limit: 0 })).events).toHaveLength(1);
  });

  it('counts per workspace', async () => {
    await repo.appendBatch(Array.from({ length: 30 }, (_, i) => event(i)));
    expect(await repo.count('ws-a')).toBe(10);
    expect(await repo.count(null)).toBe(10);
    expect(await repo.count('nobody')).toBe(0);
  });

  it('is append-only: an UPDATE throws', async () => {
    await repo.appendBatch([event(0)]);
    await expect(store.db.updateTable('events').set({ message: 'rewritten' }).execute()).rejects.toThrow(
      /append-only/,
    );
    expect((await repo.readAfter('ws-a', 0, 10))[0]!.message).toBe('event number 0');
  });

  it('retention deletes by age, then the oldest beyond maxRows; seq never goes back', async () => {
    // 12,000 rows so both passes need more than one 5,000-row chunk.
    const rows = Array.from({ length: 12_000 }, (_, i) => event(i, { ts: T0 + i, workspaceId: 'ws' }));
    await repo.appendBatch(rows);

    const byAge = await repo.enforceRetention({ maxAgeMs: 6_000, now: T0 + 12_000 });
    expect(byAge).toBe(6_000);
    const oldest = await repo.readAfter('ws', 0, 1);
    expect(oldest[0]!.ts).toBe(T0 + 6_000);

    const byRows = await repo.enforceRetention({ maxRows: 500, now: T0 + 12_000 });
    expect(byRows).toBe(5_500);
    expect(await repo.count('ws')).toBe(500);
    expect((await repo.readAfter('ws', 0, 1))[0]!.seq).toBe(11_501);

    expect(await repo.enforceRetention({ maxAgeMs: 6_000, maxRows: 500, now: T0 + 12_000 })).toBe(0);

    await repo.enforceRetention({ maxRows: 0, now: T0 });
    expect(await repo.count('ws')).toBe(0);
    expect(await repo.lastSeq()).toBe(12_000);
    await repo.appendBatch([event(0, { workspaceId: 'ws' })]);
    expect((await repo.readAfter('ws', 0, 10)).map((e) => e.seq)).toEqual([12_001]);
    expect(await repo.lastSeq()).toBe(12_001);
  });

  it('over maxRows, noise (refused webhooks) goes first: it never evicts a business event', async () => {
    const NOISE = ['cloud.webhook_refused'];
    const business = Array.from({ length: 300 }, (_, i) => event(i, { ts: T0 + i, workspaceId: 'ws' }));
    const noise = Array.from({ length: 2_000 }, (_, i) =>
      event(i, { ts: T0 + 1_000 + i, type: 'cloud.webhook_refused', level: 'warn', workspaceId: null }),
    );
    await repo.appendBatch(business);
    await repo.appendBatch(noise);
    await repo.appendBatch([event(9, { ts: T0 + 5_000, workspaceId: 'ws' })]);
    // Room for 500: all 301 business events stay, the newest 199 noise rows with them.
    expect(await repo.enforceRetention({ maxRows: 500, now: T0 + 6_000, noiseTypes: NOISE })).toBe(1_801);
    expect(await repo.count('ws')).toBe(301);
    expect(await repo.count(null)).toBe(199);
    // The guarded pass (enrolled workspaces) orders them the same way, and so does its hard cap.
    await repo.appendBatch(noise);
    const guarded = await repo.enforceRetentionKeepingUnsynced({
      maxRows: 400,
      hardMaxRows: 350,
      now: T0 + 6_000,
      noiseTypes: NOISE,
    });
    expect(guarded).toEqual({ deleted: 2_100 + 50, forced: [] });
    expect(await repo.count('ws')).toBe(301);
    expect(await repo.count(null)).toBe(49);
  });

  it("noise has its own, shorter age: old refusals go while the shop's older history stays", async () => {
    const NOISE = ['cloud.webhook_refused'];
    const DAY = 24 * 60 * 60 * 1000;
    const oldBusiness = Array.from({ length: 50 }, (_, i) => event(i, { ts: T0 + i, workspaceId: 'ws' }));
    const oldNoise = Array.from({ length: 80 }, (_, i) =>
      event(i, { ts: T0 + 100 + i, type: 'cloud.webhook_refused', level: 'warn', workspaceId: null }),
    );
    const newNoise = event(0, {
      ts: T0 + 9 * DAY,
      type: 'cloud.webhook_refused',
      level: 'warn',
      workspaceId: null,
    });
    await repo.appendBatch([...oldBusiness, ...oldNoise, newNoise]);
    const policy = { maxAgeMs: 90 * DAY, noiseMaxAgeMs: 7 * DAY, now: T0 + 10 * DAY, noiseTypes: NOISE };
    expect(await repo.enforceRetention(policy)).toBe(80);
    expect(await repo.count('ws')).toBe(50);
    expect(await repo.count(null)).toBe(1);
    // The same for an enrolled workspace's guarded pass.
    await repo.appendBatch(oldNoise);
    expect(await repo.enforceRetentionKeepingUnsynced({ ...policy, hardMaxRows: 10_000 })).toEqual({
      deleted: 80,
      forced: [],
    });
    expect(await repo.count('ws')).toBe(50);
  });

  it('a batch with a bad row writes nothing (one transaction)', async () => {
    const bad = event(1, { level: 'loud' as LogLevel });
    await expect(repo.appendBatch([event(0), bad, event(2)])).rejects.toThrow();
    expect(await repo.lastSeq()).toBe(0);
    await repo.appendBatch([event(3)]);
    expect(await repo.count('ws-a')).toBe(1);
  });
});
