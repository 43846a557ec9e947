// Issue 14 #2: with "Share message texts" off, no customer or owner text may reach the central server.
// Texts travel only through the share-gated join (batch.ts); so no event the core writes may carry one,
// in its message or its meta. A conversation through the pipeline, its log written to the events table
// by the real SQLite sink, every row scanned, and the batch the push client would send scanned too.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import type { LogEntry, LogSink } from '../log/log-types';
import { createSqliteEventSink } from '../log/sqlite-event-sink';
import { createSyncStateRepository } from '../store/repositories/sync-state';
import { buildBatch } from '../sync/batch';
import { createKit, WS_A, type Kit } from './testing/pipeline-kit';

let kit: Kit | undefined;
afterEach(() => kit?.cleanup());

/** Distinctive words no template, FAQ or log line of ours contains. */
const MARKERS = ['zqgreetvx', 'zqunansvx', 'zqhandvx', 'zqownervx', 'zqthanksvx', 'zqorderpvx', 'zqlatevx'];

describe('events and customer text', () => {
  it('no event the core writes carries customer or owner text; only the share-gated join does', async () => {
    // The kit's store exists only once it is made: entries wait here until the SQLite sink can take them.
    const to: { events?: LogSink } = {};
    const early: LogEntry[] = [];
    const forward: LogSink = {
      write: (entry) => (to.events === undefined ? early.push(entry) : to.events.write(entry)),
      flush: () => to.events?.flush() ?? Promise.resolve(),
      close: () => to.events?.close() ?? Promise.resolve(),
    };
    const logger = createLogger({ sinks: [forward] });
    kit = await createKit({ pipeline: { logger } });
    to.events = createSqliteEventSink({ store: kit.store });
    for (const entry of early.splice(0)) to.events.write(entry);

    const other = 'zz-other@s.whatsapp.net';
    kit.receive('What time do you open? zqgreetvx'); // greeting + FAQ answer
    await kit.drive();
    await kit.timers.advance(60_000);
    kit.receive('Do you stock zqunansvx purple sandals for my niece?'); // unanswered
    await kit.drive();
    await kit.timers.advance(60_000);
    kit.receive('thank you zqthanksvx'); // small talk
    await kit.drive();
    kit.receive('I want to order 3 cartons of zqorderpvx please'); // an order
    await kit.drive();
    kit.receive('I want to talk to a human zqhandvx'); // hand-off
    await kit.drive();
    kit.receive('are you there? zqlatevx'); // while handed off
    await kit.drive();
    kit.ownerReply('Hi zqownervx', { chatId: other, providerMessageId: 'OWN-1' });
    await kit.drive();
    kit.receive('Where is your shop zqlatevx?', { chatId: other }); // after the owner replied
    await kit.drive();
    await logger.flush();

    const rows = await kit.store.db
      .selectFrom('events')
      .select(['seq', 'type', 'message', 'meta'])
      .where('workspace_id', '=', WS_A)
      .orderBy('seq')
      .execute();
    const types = new Set(rows.map((r) => r.type));
    for (const type of ['message.received', 'bot.unanswered', 'handoff.requested', 'message.sent'])
      expect(types).toContain(type);
    const leaks = rows.filter((r) =>
      MARKERS.some((m) => `${r.message} ${r.meta ?? ''}`.toLowerCase().includes(m)),
    );
    expect(leaks).toEqual([]);

    // What the push client sends: nothing with sharing off, the texts with it on (the join works).
    const batch = (shareMessageText: boolean) =>
      buildBatch({
        repo: createSyncStateRepository(kit!.store.db),
        workspaceId: WS_A,
        afterSeq: 0,
        throughSeq: rows.at(-1)!.seq,
        maxEvents: 500,
        maxBytes: 1024 * 1024,
        shareMessageText,
      });
    const off = (await batch(false)).json.join('\n').toLowerCase();
    expect(MARKERS.filter((m) => off.includes(m))).toEqual([]);
    const on = (await batch(true)).json.join('\n').toLowerCase();
    // The owner's own replies name no message in their events, so their text does not travel either way.
    expect(MARKERS.filter((m) => !on.includes(m))).toEqual(['zqownervx']);
  });
});
