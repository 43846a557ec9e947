import { describe, expect, it } from 'vitest';
import { listEvents, listWorkspaces } from './admin-queries';
import { eventsQuery } from './admin-types';
import type { CentralDatabase } from './db/open';
import { createEnrollment, enroll } from './enroll';
import { ingestBatch, type ParsedIngestRequest, type WorkspacePrincipal } from './ingest';
import { ingestRequest } from '../shared/sync-protocol';
import { TEST_DIALECTS } from './testing/databases';
import { useTestDatabase } from './testing/suite-database';
import { FIXED_NOW, makeBatch, makeEvent, makeEvents, makeInstallation } from './testing/fixtures';

describe.each(TEST_DIALECTS)('ingest (%s)', (kind) => {
  let database: CentralDatabase;
  useTestDatabase(kind, (opened) => void (database = opened));

  async function enrolled(name = 'Chidi Pharmacy'): Promise<WorkspacePrincipal> {
    const { code } = await createEnrollment(database, { workspaceName: name, validForHours: 1 }, FIXED_NOW);
    const installation = makeInstallation();
    const { workspaceId } = await enroll(
      database,
      { code, installation, localWorkspaceName: name },
      FIXED_NOW,
    );
    return { workspaceId, installationId: installation.id };
  }
  const parse = (batch: unknown): ParsedIngestRequest => ingestRequest.parse(batch);
  const storedSeqs = async (p: WorkspacePrincipal) =>
    (
      await database.db
        .selectFrom('events')
        .select('seq')
        .where('workspace_id', '=', p.workspaceId)
        .orderBy('seq')
        .execute()
    ).map((r) => r.seq);

  it('stores a batch once: the same batch again, or overlapping, stores only what is new', async () => {
    const p = await enrolled();
    const batch = parse(makeBatch(p.installationId, makeEvents(1, 20), { backlog: 5 }));
    expect(await ingestBatch(database, p, batch, FIXED_NOW)).toEqual({
      ackedSeq: 20,
      stored: 20,
      duplicates: 0,
    });
    expect(await ingestBatch(database, p, batch, FIXED_NOW + 1)).toEqual({
      ackedSeq: 20,
      stored: 0,
      duplicates: 20,
    });
    const overlapping = parse(makeBatch(p.installationId, makeEvents(15, 10)));
    expect(await ingestBatch(database, p, overlapping, FIXED_NOW + 2)).toEqual({
      ackedSeq: 24,
      stored: 4,
      duplicates: 6,
    });
    expect(await storedSeqs(p)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const row = await database.db
      .selectFrom('events')
      .selectAll()
      .where('workspace_id', '=', p.workspaceId)
      .where('seq', '=', 3)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      workspace_id: p.workspaceId,
      installation_id: p.installationId,
      ...toRow(makeEvent(3)),
      received_at: FIXED_NOW,
    });
  });

  it('counts messages per day and errors only for events actually stored', async () => {
    const p = await enrolled('Ada Boutique');
    const day = Date.UTC(2025, 5, 1, 10);
    const events = [
      makeEvent(1, { type: 'message.received', ts: day }),
      makeEvent(2, { type: 'message.received', ts: day + 1 }),
      makeEvent(3, { type: 'message.sent', ts: day + 2 }),
      makeEvent(4, { type: 'message.received', ts: FIXED_NOW - 1000 }),
      makeEvent(5, { type: 'pipeline.failed', level: 'error', ts: FIXED_NOW - 500 }),
    ];
    await ingestBatch(database, p, parse(makeBatch(p.installationId, events)), FIXED_NOW);
    await ingestBatch(database, p, parse(makeBatch(p.installationId, events)), FIXED_NOW);
    const [summary] = await listWorkspaces(database.db, FIXED_NOW, p.workspaceId);
    expect(summary!.messagesPerDay).toHaveLength(14);
    expect(summary!.messagesPerDay.at(-1)).toEqual({ day: '2025-06-02', in: 1, out: 0 });
    expect(summary!.messagesPerDay.at(-2)).toEqual({ day: '2025-06-01', in: 2, out: 1 });
    expect(summary!.errorsLast24h).toBe(1);
    expect(summary!.lastSeenAt).toBe(FIXED_NOW);
  });

  it('keeps the newest state of each number and records backlog and last seen', async () => {
    const p = await enrolled('Mama Put');
    const numbers = [
      { number: '+2348031234567', provider: 'baileys', status: 'connected', updatedAt: FIXED_NOW - 100 },
      { number: '+2348052223344', provider: 'baileys', status: 'reconnecting', updatedAt: FIXED_NOW - 50 },
    ];
    await ingestBatch(
      database,
      p,
      parse(makeBatch(p.installationId, [], { numbers, backlog: 1234 })),
      FIXED_NOW,
    );
    // A late push carrying an older state for the first number changes nothing about it.
    const stale = [{ ...numbers[0]!, status: 'connecting', updatedAt: FIXED_NOW - 1000 }];
    await ingestBatch(
      database,
      p,
      parse(makeBatch(p.installationId, [], { numbers: stale, backlog: 0 })),
      FIXED_NOW + 10,
    );
    const [summary] = await listWorkspaces(database.db, FIXED_NOW + 10, p.workspaceId);
    expect(summary!.numbers.map((n) => [n.number, n.status, n.updatedAt])).toEqual([
      ['+2348031234567', 'connected', FIXED_NOW - 100],
      ['+2348052223344', 'reconnecting', FIXED_NOW - 50],
    ]);
    expect(summary!.backlog).toBe(0);
    expect(summary!.lastSeenAt).toBe(FIXED_NOW + 10);
    const inst = await database.db
      .selectFrom('installations')
      .select('last_seen_at')
      .where('id', '=', p.installationId)
      .executeTakeFirstOrThrow();
    expect(inst.last_seen_at).toBe(FIXED_NOW + 10);
  });

  it('refuses a batch naming another installation, or out of order, and stores nothing of it', async () => {
    const p = await enrolled('Iya Basira');
    const other = makeInstallation();
    await expect(
      ingestBatch(database, p, parse(makeBatch(other.id, makeEvents(1, 3))), FIXED_NOW),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const unordered = parse(makeBatch(p.installationId, [makeEvent(2), makeEvent(1)]));
    await expect(ingestBatch(database, p, unordered, FIXED_NOW)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('events[1].seq'),
    });
    expect(await storedSeqs(p)).toEqual([]);
  });

  it('writes nothing of a batch whose transaction fails half-way', async () => {
    const p = await enrolled('Half Way');
    await ingestBatch(database, p, parse(makeBatch(p.installationId, makeEvents(1, 5))), FIXED_NOW);
    // 600 events span two insert statements; the CHECK on level fails in the second one.
    const events = makeEvents(6, 600);
    const bad = parse(makeBatch(p.installationId, events));
    (bad.events[550] as { level: string }).level = 'fatal';
    await expect(ingestBatch(database, p, bad, FIXED_NOW + 1)).rejects.toThrow();
    expect(await storedSeqs(p)).toEqual([1, 2, 3, 4, 5]);
    const [summary] = await listWorkspaces(database.db, FIXED_NOW + 1, p.workspaceId);
    expect(summary!.lastSeenAt).toBe(FIXED_NOW);
  });

  it('pages events by seq, newest first, with level and type filters', async () => {
    const p = await enrolled('Paging');
    await ingestBatch(database, p, parse(makeBatch(p.installationId, makeEvents(1, 120))), FIXED_NOW);
    const page = (query: Record<string, string>) =>
      listEvents(database.db, p.workspaceId, eventsQuery.parse(query));
    const first = await page({ limit: '50' });
    expect(first.events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 120 - i));
    expect(first.nextBefore).toBe(71);
    const second = await page({ limit: '50', before: '71' });
    expect(second.events[0]!.seq).toBe(70);
    const last = await page({ limit: '50', before: '21' });
    expect(last.events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i));
    expect(last.nextBefore).toBeNull();
    const errors = await page({ level: 'error' });
    expect(errors.events.map((e) => e.seq)).toEqual([100, 50]);
    const warnOrError = await page({ level: 'warn,error', limit: '500' });
    expect(warnOrError.events.every((e) => e.level === 'warn' || e.level === 'error')).toBe(true);
    const sent = await page({ type: 'message.sent', limit: '5' });
    expect(sent.events.map((e) => e.type)).toEqual(Array(5).fill('message.sent'));
    const messages = await page({ type: 'message.*', limit: '500' });
    expect(messages.events).toHaveLength(48);
    expect(new Set(messages.events.map((e) => e.type))).toEqual(
      new Set(['message.received', 'message.sent']),
    );
  });
});

function toRow(e: ReturnType<typeof makeEvent>) {
  return {
    seq: e.seq,
    ts: e.ts,
    level: e.level,
    type: e.type,
    contact_id: e.contactId,
    message: e.message,
    meta: e.meta,
    text: e.text ?? null,
  };
}
