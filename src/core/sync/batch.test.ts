import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYNC_LIMITS, syncedEvent } from '../../shared/sync-protocol';
import type { WorkspaceId } from '../../shared/types';
import { insertTestWorkspace } from '../testing/fixtures';
import { openTempStore } from '../testing/temp-files';
import type { Store } from '../store/open-database';
import { createEventLogRepository, type NewEvent } from '../store/repositories/event-log';
import { createSyncStateRepository } from '../store/repositories/sync-state';
import { createOutboxRepository } from '../store/repositories/outbox';
import { createMessageRepository } from '../store/repositories/messages';
import { createBacklogCounter } from './backlog-counter';
import { buildBatch, clip } from './batch';

const WS = 'ws-shop' as WorkspaceId;
const OTHER = 'ws-other' as WorkspaceId;
let store: Store;
let cleanup: () => Promise<void>;

const event = (workspaceId: string | null, i: number, extra: Partial<NewEvent> = {}): NewEvent => ({
  ts: 1_000 + i,
  level: 'info',
  type: 'message.received',
  workspaceId,
  contactId: null,
  message: `event ${i} of ${workspaceId}`,
  meta: null,
  ...extra,
});

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore({ durability: 'normal' }));
  await insertTestWorkspace(store.db, WS);
  await insertTestWorkspace(store.db, OTHER);
});
afterEach(() => cleanup());

const batchOf = (options: Partial<Parameters<typeof buildBatch>[0]> = {}) =>
  buildBatch({
    repo: createSyncStateRepository(store.db),
    workspaceId: WS,
    afterSeq: 0,
    throughSeq: 10_000,
    maxEvents: 500,
    maxBytes: 1024 * 1024,
    shareMessageText: false,
    ...options,
  });

describe('building a batch', () => {
  it("takes only the workspace's events, oldest first, up to the count limit, across small read windows", async () => {
    const rows: NewEvent[] = [];
    for (let i = 0; i < 1_200; i++) rows.push(event(i % 3 === 0 ? OTHER : i % 7 === 0 ? null : WS, i));
    await createEventLogRepository(store).appendBatch(rows);
    const mine = rows.map((r, i) => ({ ...r, seq: i + 1 })).filter((r) => r.workspaceId === WS);

    const first = await batchOf({ maxEvents: 300, windowSeqs: 50, pageRows: 7 });
    expect(first.events.map((e) => e.seq)).toEqual(mine.slice(0, 300).map((r) => r.seq));
    expect(first.full).toBe(true);
    expect(first.scannedThrough).toBe(mine[299]!.seq);
    for (const e of first.events) expect(syncedEvent.parse(e)).toEqual(e);
    expect(first.bytes).toBe(Buffer.byteLength(first.json.join(',')));

    const rest = await batchOf({ afterSeq: first.scannedThrough, maxEvents: 1_000, windowSeqs: 50 });
    expect(rest.events.map((e) => e.seq)).toEqual(mine.slice(300).map((r) => r.seq));
    expect(rest.full).toBe(false);

    // Nothing of this workspace's after its last event: the whole range is known empty.
    const none = await batchOf({ afterSeq: mine.at(-1)!.seq, throughSeq: 1_200 });
    expect(none).toMatchObject({ events: [], scannedThrough: 1_200, full: false });
  });

  it('stops before the byte limit (the first event always goes)', async () => {
    await createEventLogRepository(store).appendBatch(
      Array.from({ length: 50 }, (_, i) => event(WS, i, { message: 'x'.repeat(1_500) })),
    );
    const batch = await batchOf({ maxBytes: 10_000 });
    expect(batch.events.length).toBeGreaterThan(3);
    expect(batch.bytes).toBeLessThanOrEqual(10_000);
    expect(batch.full).toBe(true);
    const tiny = await batchOf({ maxBytes: 10 });
    expect(tiny.events).toHaveLength(1);
  });

  it('cuts what the protocol does not allow instead of having the batch refused', async () => {
    await createEventLogRepository(store).appendBatch([
      event(WS, 1, { message: `${'a'.repeat(SYNC_LIMITS.maxEventMessageChars - 1)}😀tail` }),
      event(WS, 2, { meta: JSON.stringify({ blob: 'b'.repeat(20_000) }) }),
      event(WS, 3, { meta: '{"chatId":"c"}', contactId: 'k'.repeat(150) }),
    ]);
    const { events } = await batchOf();
    for (const e of events) expect(syncedEvent.safeParse(e).success).toBe(true);
    expect(events[0]!.message).toHaveLength(SYNC_LIMITS.maxEventMessageChars);
    expect(events[0]!.message.endsWith('a…')).toBe(true); // the emoji's surrogate pair is not split
    expect(JSON.parse(events[1]!.meta!)).toMatchObject({ metaTruncated: true, chars: 20_011 });
    expect(events[2]!.meta).toBe('{"chatId":"c"}');
    expect(events[2]!.contactId).toHaveLength(100);
    expect(clip('short', 10)).toBe('short');
  });

  it("attaches the message's text only when the workspace shares it, and only its own messages'", async () => {
    const messages = createMessageRepository(store.db);
    for (const [ws, id, text] of [
      [WS, 'm-1', 'Una dey open for Sunday?'],
      [OTHER, 'm-2', 'Secret of the other shop'],
    ] as const) {
      await messages.insert(
        ws,
        {
          id,
          businessNumber: '+2348090000001' as never,
          providerMessageId: id,
          chatId: 'c',
          contactId: null,
          direction: 'in',
          author: 'contact',
          text,
          status: 'received',
          providerTs: 1,
        },
        1,
      );
    }
    await createOutboxRepository(store.db).insertMany(
      WS,
      [
        {
          id: '3EB0AA',
          businessNumber: '+2348090000001' as never,
          chatId: 'c',
          inboundMessageId: 'm-1',
          kind: 'faq',
          text: 'Yes, 12-6pm',
        },
      ],
      1,
    );
    await createEventLogRepository(store).appendBatch([
      event(WS, 1, { meta: JSON.stringify({ messageId: 'm-1' }) }),
      event(WS, 2, { type: 'message.sent', meta: JSON.stringify({ outboxId: '3EB0AA', kind: 'faq' }) }),
      // Names the other workspace's message: its text must not come along.
      event(WS, 3, { meta: JSON.stringify({ messageId: 'm-2' }) }),
      event(WS, 4, { meta: '{"messageId": 42}' }),
    ]);
    const shared = await batchOf({ shareMessageText: true });
    expect(shared.events.map((e) => e.text)).toEqual([
      'Una dey open for Sunday?',
      'Yes, 12-6pm',
      undefined,
      undefined,
    ]);
    const notShared = await batchOf({ shareMessageText: false });
    expect(notShared.events.every((e) => !('text' in e))).toBe(true);
    expect(JSON.stringify(shared)).not.toContain('Secret of the other shop');
  });

  it('sends a withheld event as a stub that says why', async () => {
    await createEventLogRepository(store).appendBatch([event(WS, 1, { contactId: 'c-1', meta: '{"a":1}' })]);
    const { events } = await batchOf({ withheld: new Map([[1, 'meta is not valid']]) });
    expect(events[0]).toMatchObject({
      seq: 1,
      contactId: null,
      meta: null,
      message: '[withheld: the central server refused this event: meta is not valid]',
    });
  });
});

describe('backlog counter', () => {
  it('counts once, then only the acknowledged and the new rows', async () => {
    const repo = createSyncStateRepository(store.db);
    const events = createEventLogRepository(store);
    await events.appendBatch(Array.from({ length: 1_000 }, (_, i) => event(i % 4 === 0 ? OTHER : WS, i)));
    const calls: [number, number][] = [];
    const counter = createBacklogCounter((after, through) => {
      calls.push([after, through]);
      return repo.countEvents(WS, after, through);
    }, 100);
    expect(counter.value).toBeNull();
    expect(await counter.update(0, 1_000)).toBe(750);
    expect(calls).toHaveLength(10); // ten windows of 100 seqs
    calls.length = 0;
    expect(await counter.update(400, 1_000)).toBe(450);
    expect(calls).toEqual([
      [0, 100],
      [100, 200],
      [200, 300],
      [300, 400],
    ]);
    await events.appendBatch(Array.from({ length: 10 }, (_, i) => event(WS, i)));
    calls.length = 0;
    expect(await counter.update(400, 1_010)).toBe(460);
    expect(calls).toEqual([[1_000, 1_010]]);
    // An acknowledgement going back (the server restored a backup) counts from scratch.
    expect(await counter.update(100, 1_010)).toBe(685);
    counter.markEmpty(1_010, 1_010);
    expect(counter.value).toBe(0);
    counter.reset();
    expect(await counter.update(0, 1_010)).toBe(760);
  });
});
