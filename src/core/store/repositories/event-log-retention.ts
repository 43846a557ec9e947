import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database } from '../schema';
import type {
  ForcedDeletion,
  GuardedRetentionPolicy,
  GuardedRetentionResult,
  RetentionPolicy,
} from './event-log-types';

/** Rows per DELETE: each statement is its own short write transaction, so writers are not starved. */
const RETENTION_CHUNK = 5000;

type Db = Kysely<Database>;

/** Keeping the log bounded: by age, by row count, and (for enrolled workspaces) by a hard cap. */
export function eventLogRetention(db: Db) {
  return {
    /**
     * Deletes events older than `maxAgeMs`, then the oldest (by seq) beyond `maxRows`, a chunk per
     * statement. Returns how many went. AUTOINCREMENT means later events still get higher seqs.
     */
    async enforceRetention(policy: RetentionPolicy): Promise<number> {
      let deleted = await deleteOldNoise(db, policy, false);
      if (isLimit(policy.maxAgeMs)) deleted += await deleteOlderThan(db, policy.now - policy.maxAgeMs);
      if (isLimit(policy.maxRows))
        deleted += await deleteBeyondRows(db, policy.maxRows, policy.noiseTypes, false);
      return deleted;
    },

    /**
     * enforceRetention, except that age and maxRows never delete an event that an enrolled workspace
     * has not pushed yet (seq above its last acknowledged seq in sync_state). Only past `hardMaxRows`
     * does the oldest go regardless, and those deletions are returned per workspace so they can be
     * logged. Each pass walks forward from a cursor, so unpushed rows are stepped over once per pass,
     * not once per chunk.
     */
    async enforceRetentionKeepingUnsynced(policy: GuardedRetentionPolicy): Promise<GuardedRetentionResult> {
      let deleted = await deleteOldNoise(db, policy, true);
      if (isLimit(policy.maxAgeMs)) deleted += await deleteSyncedOlderThan(db, policy.now - policy.maxAgeMs);
      if (isLimit(policy.maxRows))
        deleted += await deleteBeyondRows(db, policy.maxRows, policy.noiseTypes, true);
      const hardCap = await deleteBeyondHardCap(db, policy.hardMaxRows, policy.noiseTypes);
      return { deleted: deleted + hardCap.deleted, forced: hardCap.forced };
    },
  };
}

const isLimit = (limit: number | undefined): limit is number => limit !== undefined && Number.isFinite(limit);

async function countEvents(db: Db): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function deleteSeqs(db: Db, seqs: number[]): Promise<number> {
  if (seqs.length === 0) return 0;
  const result = await db.deleteFrom('events').where('seq', 'in', seqs).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes up to `limit` of the oldest noise events (not unpushed ones when `keepUnsynced`), only those
 * written before `before` when it is given.
 */
async function deleteNoise(
  db: Db,
  types: readonly string[] | undefined,
  limit: number,
  keepUnsynced: boolean,
  before?: number,
): Promise<number> {
  if (types === undefined || types.length === 0) return 0;
  return deleteOldest(db, limit, { types, before, keepUnsynced });
}

/**
 * How far the table is over `maxRows`, after deleting up to that many noise events (not unpushed ones
 * when `keepUnsynced`): noise goes first so it never evicts a shop's history.
 */
async function deleteNoiseBeyond(
  db: Db,
  maxRows: number,
  noiseTypes: readonly string[] | undefined,
  keepUnsynced: boolean,
): Promise<{ deleted: number; excess: number }> {
  const excess = (await countEvents(db)) - Math.max(0, Math.floor(maxRows));
  if (excess <= 0) return { deleted: 0, excess };
  const deleted = await deleteNoise(db, noiseTypes, excess, keepUnsynced);
  return { deleted, excess: excess - deleted };
}

/** Noise past its own (shorter) age, before anything else is considered. */
function deleteOldNoise(db: Db, policy: RetentionPolicy, keepUnsynced: boolean): Promise<number> {
  if (!isLimit(policy.noiseMaxAgeMs)) return Promise.resolve(0);
  return deleteNoise(
    db,
    policy.noiseTypes,
    Number.POSITIVE_INFINITY,
    keepUnsynced,
    policy.now - policy.noiseMaxAgeMs,
  );
}

/** Every event written before `cutoff`. */
async function deleteOlderThan(db: Db, cutoff: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await db
      .deleteFrom('events')
      .where('seq', 'in', (eb) =>
        eb.selectFrom('events').select('seq').where('ts', '<', cutoff).limit(RETENTION_CHUNK),
      )
      .executeTakeFirst();
    const n = Number(result.numDeletedRows);
    deleted += n;
    if (n < RETENTION_CHUNK) break;
  }
  return deleted;
}

/** The oldest events beyond `maxRows` (only acknowledged ones when `keepUnsynced`), noise first. */
async function deleteBeyondRows(
  db: Db,
  maxRows: number,
  noiseTypes: readonly string[] | undefined,
  keepUnsynced: boolean,
): Promise<number> {
  const { deleted, excess } = await deleteNoiseBeyond(db, maxRows, noiseTypes, keepUnsynced);
  return deleted + (await deleteOldest(db, excess, { keepUnsynced }));
}

/** Events written before `cutoff` that every central server concerned has acknowledged. */
async function deleteSyncedOlderThan(db: Db, cutoff: number): Promise<number> {
  let deleted = 0;
  let after = { ts: Number.MIN_SAFE_INTEGER, seq: 0 };
  for (;;) {
    const rows = await db
      .selectFrom('events')
      .select(['ts', 'seq'])
      .where('ts', '<', cutoff)
      .where((eb) =>
        eb.or([eb('ts', '>', after.ts), eb.and([eb('ts', '=', after.ts), eb('seq', '>', after.seq)])]),
      )
      .where((eb) => eb.not(unsynced(eb)))
      .orderBy('ts')
      .orderBy('seq')
      .limit(RETENTION_CHUNK)
      .execute();
    deleted += await deleteSeqs(
      db,
      rows.map((r) => r.seq),
    );
    const last = rows.at(-1);
    if (last === undefined || rows.length < RETENTION_CHUNK) break;
    after = last;
  }
  return deleted;
}

/** The oldest events beyond `hardMaxRows`, pushed or not; the unpushed ones counted per workspace. */
async function deleteBeyondHardCap(
  db: Db,
  hardMaxRows: number,
  noiseTypes: readonly string[] | undefined,
): Promise<GuardedRetentionResult> {
  const forced = new Map<string, ForcedDeletion>();
  // Past the hard cap noise goes first even unpushed: it is not what the backlog is kept for.
  const { deleted, excess } = await deleteNoiseBeyond(db, hardMaxRows, noiseTypes, false);
  const oldest = await deleteOldest(db, excess, { keepUnsynced: false }, (seqs) =>
    countUnsynced(db, seqs, forced),
  );
  return { deleted: deleted + oldest, forced: [...forced.values()] };
}

/** Which events deleteOldest may take: of these `types` only, written before `before`, not unpushed. */
interface Deletable {
  keepUnsynced: boolean;
  types?: readonly string[];
  before?: number | undefined;
}

/**
 * Deletes the `count` oldest (by seq) of the `which` events, a chunk per statement, walking forward
 * from a cursor so rows kept are stepped over once; `beforeDelete` sees each chunk first. Seqs start
 * at 1 (AUTOINCREMENT), so the cursor starts below them all.
 */
async function deleteOldest(
  db: Db,
  count: number,
  { keepUnsynced, types, before }: Deletable,
  beforeDelete?: (seqs: number[]) => Promise<void>,
): Promise<number> {
  let deleted = 0;
  let left = count;
  let after = 0;
  while (left > 0) {
    const seqs = (
      await db
        .selectFrom('events')
        .select('seq')
        .where('seq', '>', after)
        .$if(types !== undefined, (q) => q.where('type', 'in', types!))
        .$if(before !== undefined, (q) => q.where('ts', '<', before!))
        .$if(keepUnsynced, (q) => q.where((eb) => eb.not(unsynced(eb))))
        .orderBy('seq')
        .limit(Math.min(left, RETENTION_CHUNK))
        .execute()
    ).map((r) => r.seq);
    if (seqs.length === 0) break;
    await beforeDelete?.(seqs);
    deleted += await deleteSeqs(db, seqs);
    left -= seqs.length;
    after = seqs.at(-1)!;
  }
  return deleted;
}

/** Adds to `forced`, per workspace, those of `seqs` its central server has not acknowledged. */
async function countUnsynced(db: Db, seqs: number[], forced: Map<string, ForcedDeletion>): Promise<void> {
  const lost = await db
    .selectFrom('events')
    .select((eb) => [
      'workspace_id',
      eb.fn.countAll<number>().as('n'),
      eb.fn.max<number>('seq').as('through'),
    ])
    .where('seq', 'in', seqs)
    .where((eb) => unsynced(eb))
    .groupBy('workspace_id')
    .execute();
  for (const row of lost) {
    const workspaceId = row.workspace_id ?? '';
    const before = forced.get(workspaceId);
    forced.set(workspaceId, {
      workspaceId,
      count: (before?.count ?? 0) + Number(row.n),
      throughSeq: Math.max(before?.throughSeq ?? 0, Number(row.through)),
    });
  }
}

/** An event its workspace's central server has not acknowledged yet (its workspace is enrolled). */
function unsynced(eb: ExpressionBuilder<Database, 'events'>) {
  return eb.exists(
    eb
      .selectFrom('sync_state')
      .select(sql<number>`1`.as('one'))
      .whereRef('sync_state.workspace_id', '=', 'events.workspace_id')
      .whereRef('events.seq', '>', 'sync_state.last_acked_seq'),
  );
}
