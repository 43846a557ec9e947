import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../shared/types';
import { createLogger } from '../log/logger';
import { createRetentionTask } from '../log/sqlite-event-sink';
import type { Store } from '../store/open-database';
import { createEventLogRepository, type NewEvent } from '../store/repositories/event-log';
import { createSyncStateRepository } from '../store/repositories/sync-state';
import { insertTestWorkspace } from '../testing/fixtures';
import { createMemorySink } from '../testing/memory-sink';
import { openTempStore } from '../testing/temp-files';

/**
 * The log's retention must not delete what an enrolled workspace has not pushed to its central server
 * yet (a shop offline for a week keeps its week), up to a hard cap on the table's size.
 */
const ENROLLED = 'ws-enrolled' as WorkspaceId;
const LOCAL = 'ws-local' as WorkspaceId;
const DAY = 86_400_000;
const NOW = 200 * DAY;

let store: Store;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore({ durability: 'normal' }));
  await insertTestWorkspace(store.db, ENROLLED);
  await insertTestWorkspace(store.db, LOCAL);
});
afterEach(() => cleanup());

/** `count` events per workspace (and the machine's), all 100 days old, interleaved; seqs 1..3*count. */
async function seed(count: number): Promise<void> {
  const rows: NewEvent[] = [];
  for (let i = 0; i < count; i++) {
    for (const workspaceId of [ENROLLED, LOCAL, null]) {
      rows.push({
        ts: NOW - 100 * DAY + i,
        level: 'info',
        type: 'perf',
        workspaceId,
        contactId: null,
        message: `m${i}`,
        meta: null,
      });
    }
  }
  await createEventLogRepository(store).appendBatch(rows);
}

async function enroll(lastAckedSeq: number): Promise<void> {
  await createSyncStateRepository(store.db).save(
    ENROLLED,
    {
      serverUrl: 'https://central.example',
      centralWorkspaceId: 'cw',
      centralWorkspaceName: 'HQ',
      tokenSealed: 'v1:x',
      lastAckedSeq,
    },
    1,
  );
}

const counts = () =>
  store.exclusive((s) =>
    Object.fromEntries(
      (
        s
          .prepare(
            "select coalesce(workspace_id, 'machine') as w, count(*) as n, min(seq) as lo from events group by w",
          )
          .all() as {
          w: string;
          n: number;
          lo: number;
        }[]
      ).map((r) => [r.w, { n: r.n, lo: r.lo }]),
    ),
  );

describe('retention keeps unpushed events', () => {
  it('age: deletes what is old and pushed (or not enrolled), keeps what waits for the server', async () => {
    await seed(6_000); // more than one 5,000-row chunk on every pass
    await enroll(3 * 2_000); // the first 2,000 of its events are pushed
    const result = await createEventLogRepository(store).enforceRetentionKeepingUnsynced({
      maxAgeMs: 90 * DAY,
      now: NOW,
      hardMaxRows: 1_000_000,
    });
    expect(result).toEqual({ deleted: 2_000 + 6_000 + 6_000, forced: [] });
    expect(await counts()).toEqual({ [ENROLLED]: { n: 4_000, lo: 3 * 2_000 + 1 } });
  });

  it('rows: the oldest beyond maxRows go, stepping over the unpushed ones', async () => {
    await seed(4_000);
    await enroll(0);
    const deleted = await createEventLogRepository(store).enforceRetentionKeepingUnsynced({
      maxRows: 6_000,
      now: NOW,
      hardMaxRows: 1_000_000,
    });
    expect(deleted).toEqual({ deleted: 6_000, forced: [] });
    expect((await counts())[ENROLLED]).toEqual({ n: 4_000, lo: 1 });
  });

  it('hard cap: past it the oldest go anyway, reported per workspace; the task logs it', async () => {
    await seed(3_000);
    await enroll(0);
    const sink = createMemorySink();
    const forcedSeen: unknown[] = [];
    const task = createRetentionTask({
      repo: createEventLogRepository(store),
      logger: createLogger({ sinks: [sink] }),
      maxAgeMs: 90 * DAY,
      maxRows: 1_000,
      keepUnsynced: { hardMaxRows: 2_500, onForced: (forced) => forcedSeen.push(...forced) },
      now: () => NOW,
    });
    // Age and rows remove the other 6,000; the enrolled workspace's 3,000 are 500 over the cap.
    expect(await task.runOnce()).toBe(6_500);
    expect((await counts())[ENROLLED]).toEqual({ n: 2_500, lo: 3 * 500 + 1 });
    expect(forcedSeen).toEqual([{ workspaceId: ENROLLED, count: 500, throughSeq: 3 * 499 + 1 }]);
    expect(sink.ofType('sync.backlog_dropped')).toMatchObject([
      { level: 'warn', workspaceId: ENROLLED, meta: { count: 500, hardMaxRows: 2_500 } },
    ]);
    expect(sink.ofType('sync.backlog_dropped')[0]!.message).toMatch(
      /500 log events were deleted before the central server received them/,
    );
    expect(sink.ofType('log.retention').at(-1)).toMatchObject({
      meta: { deleted: 6_500, forced: 500, hardMaxRows: 2_500 },
    });
  });

  it('equal timestamps across a chunk boundary are neither skipped nor deleted twice', async () => {
    const rows: NewEvent[] = Array.from({ length: 12_000 }, (_, i) => ({
      ts: 5,
      level: 'info',
      type: 'perf',
      workspaceId: i % 2 === 0 ? ENROLLED : LOCAL,
      contactId: null,
      message: 'same ms',
      meta: null,
    }));
    await createEventLogRepository(store).appendBatch(rows);
    await enroll(0);
    const { deleted } = await createEventLogRepository(store).enforceRetentionKeepingUnsynced({
      maxAgeMs: 1,
      now: 100,
      hardMaxRows: 1_000_000,
    });
    expect(deleted).toBe(6_000);
    expect(await counts()).toEqual({ [ENROLLED]: { n: 6_000, lo: 1 } });
  });
});
