// Ten installations, each pushing five workspaces, all at once over real HTTP: every event stored
// exactly once, in the right workspace, on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../src/central/testing/databases';
import { makeBatch, makeEvent, makeInstallation } from '../../src/central/testing/fixtures';
import type { IngestResponse, SyncedEvent } from '../../src/shared/sync-protocol';
import { startTestServer, type EnrolledWorkspace, type TestServer } from './harness';

const INSTALLATIONS = 10;
const WORKSPACES_PER_INSTALLATION = 5;
/** Per installation; seqs are per installation, spread over its workspaces. */
const EVENTS = 1_500;
const BATCH = 100;

describe.each(TEST_DIALECTS)('ten installations x five workspaces pushing at once (%s)', (kind) => {
  let central: TestServer;
  beforeAll(async () => {
    central = await startTestServer(kind);
  });
  afterAll(() => central?.close());

  it('stores every event exactly once, resent batches included', async () => {
    const installations = Array.from({ length: INSTALLATIONS }, (_, i) =>
      makeInstallation({ name: `PC ${i}` }),
    );
    const enrolled: EnrolledWorkspace[][] = [];
    for (const installation of installations) {
      const own: EnrolledWorkspace[] = [];
      for (let w = 0; w < WORKSPACES_PER_INSTALLATION; w++)
        own.push(await central.enrolled(`${installation.name} / ${w}`, installation));
      enrolled.push(own);
    }

    // Each workspace's events, as its installation's log interleaves them (seq i goes to workspace i % 5).
    const streams = enrolled.flatMap((own) =>
      own.map((ws, w) => {
        const events: SyncedEvent[] = [];
        for (let seq = w + 1; seq <= EVENTS; seq += WORKSPACES_PER_INSTALLATION) events.push(makeEvent(seq));
        return { ws, events };
      }),
    );
    const pushes = streams.map(async ({ ws, events }, index) => {
      let lastAck = 0;
      for (let start = 0; start < events.length; start += BATCH) {
        const batch = makeBatch(ws.installation.id, events.slice(start, start + BATCH), {
          backlog: events.length - start - BATCH,
        });
        const reply = await central.push<IngestResponse>(ws.token, batch, { gzip: index % 2 === 0 });
        expect(reply.status).toBe(200);
        expect(reply.body.stored).toBe(batch.events.length);
        lastAck = reply.body.ackedSeq;
        // A client that lost the answer sends the batch again.
        if (start === BATCH) {
          const again = await central.push<IngestResponse>(ws.token, batch);
          expect(again.body).toMatchObject({ stored: 0, duplicates: batch.events.length, ackedSeq: lastAck });
        }
      }
      expect(lastAck).toBe(events.at(-1)!.seq);
    });
    await Promise.all(pushes);

    for (const { ws, events } of streams) {
      const rows = await central.database.db
        .selectFrom('events')
        .select(['seq', 'installation_id'])
        .where('workspace_id', '=', ws.workspaceId)
        .orderBy('seq')
        .execute();
      expect(rows.map((r) => r.seq)).toEqual(events.map((e) => e.seq));
      expect(new Set(rows.map((r) => r.installation_id))).toEqual(new Set([ws.installation.id]));
    }
    const total = await central.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(total.n)).toBe(INSTALLATIONS * EVENTS);
  }, 60_000);
});
