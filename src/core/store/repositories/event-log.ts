import { sql, type ExpressionBuilder, type Selectable, type SelectQueryBuilder } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { LOG_LEVELS, type LogLevel } from '../../../shared/types';
import type { SqliteConnection, Store } from '../open-database';
import type { Database, EventsTable } from '../schema';

/** A row as the log sink hands it over: meta already serialised to JSON text. */
export interface NewEvent {
  ts: number;
  level: LogLevel;
  type: string;
  workspaceId: string | null;
  contactId: string | null;
  message: string;
  meta: string | null;
}

export interface StoredEvent {
  seq: number;
  ts: number;
  level: LogLevel;
  type: string;
  workspaceId: string | null;
  contactId: string | null;
  message: string;
  meta: Record<string, unknown> | null;
}

export interface EventQuery {
  /** null = the machine's own events (no workspace). Always required: there is no unscoped read. */
  workspaceId: string | null;
  levels?: LogLevel[];
  /** This level and above. */
  minLevel?: LogLevel;
  types?: string[];
  /** E.g. 'connection.' for every connection event. */
  typePrefix?: string;
  /** Inclusive lower bound on ts. */
  since?: number;
  /** Exclusive upper bound on ts. */
  until?: number;
  /** Case-insensitive (ASCII) substring of the message or the meta JSON. */
  search?: string;
  /** Further substrings, any of which also matches (the ids of customers whose name is `search`). */
  alsoMatching?: readonly string[];
  /** The `nextBeforeSeq` of the previous page. */
  beforeSeq?: number;
  /** Only events written after this seq (e.g. newer than what the screen already shows). */
  afterSeq?: number;
  /** Only events written up to this seq (inclusive): an export's end, fixed when it starts. */
  throughSeq?: number;
  limit?: number;
}

export interface EventPage {
  /** Newest first. */
  events: StoredEvent[];
  /** Pass as `beforeSeq` for the next (older) page; null when there is none. */
  nextBeforeSeq: number | null;
}

export interface RetentionPolicy {
  maxAgeMs?: number;
  maxRows?: number;
  now: number;
  /**
   * Event types anyone on the network can cause (log/folded-warnings.ts NOISE_EVENT_TYPES): over
   * `maxRows` (and the hard cap) the oldest of these go first, and other events only when those alone
   * are over the limit, so noise never evicts a shop's history.
   */
  noiseTypes?: readonly string[];
  /**
   * Noise older than this goes whatever the row count (default: kept as long as `maxAgeMs`): refused
   * webhooks from last month are no use to a shop, and they should not sit beside its history.
   */
  noiseMaxAgeMs?: number;
}

/** Retention that keeps events an enrolled workspace has not pushed yet, up to a hard cap. */
export interface GuardedRetentionPolicy extends RetentionPolicy {
  /** The table never keeps more rows than this, pushed or not: a server that is never reachable cannot fill the disk. */
  hardMaxRows: number;
}

/** Events the hard cap deleted before their workspace's central server acknowledged them. */
export interface ForcedDeletion {
  workspaceId: string;
  count: number;
  /** The highest seq deleted unpushed. */
  throughSeq: number;
}

export interface GuardedRetentionResult {
  deleted: number;
  forced: ForcedDeletion[];
}

export type EventLogRepository = ReturnType<typeof createEventLogRepository>;

const COLUMNS_PER_ROW = 7;
/**
 * Rows per INSERT statement: 3,500 bound parameters, well under SQLite's limit of 32,766, and the
 * sink's default batch in one statement (measured ~10-15% faster than five of 100 rows).
 */
const ROWS_PER_STATEMENT = 500;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** Rows per DELETE: each statement is its own short write transaction, so writers are not starved. */
const RETENTION_CHUNK = 5000;

export function createEventLogRepository(store: Store) {
  const { db } = store;
  const writer = createBatchWriter();

  const deleteSeqs = async (seqs: number[]): Promise<number> => {
    if (seqs.length === 0) return 0;
    const result = await db.deleteFrom('events').where('seq', 'in', seqs).executeTakeFirst();
    return Number(result.numDeletedRows);
  };

  /**
   * Deletes up to `limit` of the oldest noise events (not unpushed ones when `keepUnsynced`), only those
   * written before `before` when it is given.
   */
  async function deleteNoise(
    types: readonly string[] | undefined,
    limit: number,
    keepUnsynced: boolean,
    before?: number,
  ): Promise<number> {
    if (types === undefined || types.length === 0) return 0;
    let deleted = 0;
    while (deleted < limit) {
      const seqs = (
        await db
          .selectFrom('events')
          .select('seq')
          .where('type', 'in', types)
          .$if(before !== undefined, (q) => q.where('ts', '<', before!))
          .$if(keepUnsynced, (q) => q.where((eb) => eb.not(unsynced(eb))))
          .orderBy('seq')
          .limit(Math.min(limit - deleted, RETENTION_CHUNK))
          .execute()
      ).map((r) => r.seq);
      if (seqs.length === 0) break;
      deleted += await deleteSeqs(seqs);
    }
    return deleted;
  }

  /** Noise past its own (shorter) age, before anything else is considered. */
  function deleteOldNoise(policy: RetentionPolicy, keepUnsynced: boolean): Promise<number> {
    if (policy.noiseMaxAgeMs === undefined || !Number.isFinite(policy.noiseMaxAgeMs))
      return Promise.resolve(0);
    return deleteNoise(
      policy.noiseTypes,
      Number.POSITIVE_INFINITY,
      keepUnsynced,
      policy.now - policy.noiseMaxAgeMs,
    );
  }

  /** The filter's WHERE clauses (shared by a page and its count, so the two always agree). */
  async function filtered<O>(
    base: SelectQueryBuilder<Database, 'events', O>,
    filter: EventQuery,
  ): Promise<SelectQueryBuilder<Database, 'events', O>> {
    let query =
      filter.workspaceId === null
        ? base.where('workspace_id', 'is', null)
        : base.where('workspace_id', '=', filter.workspaceId);

    const levels = levelsOf(filter);
    if (levels !== undefined) query = query.where('level', 'in', levels.length > 0 ? levels : ['']);
    if (filter.types !== undefined)
      query = query.where('type', 'in', filter.types.length > 0 ? filter.types : ['']);
    if (filter.typePrefix !== undefined && filter.typePrefix !== '') {
      const prefix = filter.typePrefix;
      const upper = prefixUpperBound(prefix);
      // A range on the raw bytes uses the type index and, unlike LIKE, is case-sensitive and has no
      // wildcards to escape.
      query =
        upper === undefined
          ? query.where(sql<string>`substr(type, 1, ${[...prefix].length})`, '=', prefix)
          : query.where('type', '>=', prefix).where('type', '<', upper);
    }
    if (filter.since !== undefined) query = query.where('ts', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('ts', '<', filter.until);
    if (filter.afterSeq !== undefined) query = query.where('seq', '>', filter.afterSeq);
    if (filter.throughSeq !== undefined) query = query.where('seq', '<=', filter.throughSeq);
    if (filter.search !== undefined && filter.search !== '') {
      const patterns = [filter.search, ...(filter.alsoMatching ?? [])].map((t) => `%${escapeLike(t)}%`);
      query = query.where((eb) =>
        eb.or(
          patterns.flatMap((pattern) => [
            eb(sql<string>`message`, 'like', sql<string>`${pattern} escape '\\'`),
            eb(sql<string>`meta`, 'like', sql<string>`${pattern} escape '\\'`),
          ]),
        ),
      );
    }
    if (filter.beforeSeq !== undefined) {
      const before = filter.beforeSeq;
      const cursor = await db.selectFrom('events').select('ts').where('seq', '=', before).executeTakeFirst();
      if (cursor === undefined) {
        // The cursor row is gone (retention): everything at or below it is older anyway.
        query = query.where('seq', '<', before);
      } else {
        const ts = cursor.ts;
        query = query
          .where('ts', '<=', ts)
          .where((eb) => eb.or([eb('ts', '<', ts), eb.and([eb('ts', '=', ts), eb('seq', '<', before)])]));
      }
    }
    return query;
  }

  return {
    /**
     * Appends rows in one transaction, in order. The log's hot path: kysely would compile every insert
     * anew (toolchain.md: ~70% of raw speed at best), so this runs cached multi-row statements on the
     * raw connection while holding kysely's connection lock.
     */
    appendBatch(rows: readonly NewEvent[]): Promise<void> {
      if (rows.length === 0) return Promise.resolve();
      return store.exclusive((sqlite) => writer.write(sqlite, rows));
    },

    /**
     * One page, newest first. Ordered by (ts, seq) rather than seq alone: every events index ends in ts,
     * and SQLite keeps the rowid (seq) at the end of each index entry, so (ts desc, seq desc) is read
     * straight off the (workspace_id, ts) index. Ordering by seq alone made SQLite sort the workspace's
     * whole history for every page (~190 ms against ~0.3 ms at a million rows). Equal timestamps are
     * common (a burst in one millisecond); seq breaks the tie, so a page boundary never splits or
     * repeats an event.
     */
    async query(filter: EventQuery): Promise<EventPage> {
      const limit = clampLimit(filter.limit);
      const query = await filtered(db.selectFrom('events').selectAll(), filter);
      const rows = await query
        .orderBy('ts', 'desc')
        .orderBy('seq', 'desc')
        .limit(limit + 1)
        .execute();
      const hasMore = rows.length > limit;
      const events = (hasMore ? rows.slice(0, limit) : rows).map(toStoredEvent);
      return { events, nextBeforeSeq: hasMore ? (events.at(-1)?.seq ?? null) : null };
    },

    /** How many events match a filter (`limit` ignored): what an export of it will hold. */
    async countMatching(filter: EventQuery): Promise<number> {
      const query = await filtered(
        db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')),
        filter,
      );
      return Number((await query.executeTakeFirstOrThrow()).n);
    },

    /**
     * Events after `afterSeq`, oldest first, in write order: for a live tail and for the sync client,
     * which resumes from the last seq it saw. `+workspace_id` keeps SQLite on the seq (rowid) range
     * instead of the workspace index, which would sort the workspace's whole history by seq.
     */
    async readAfter(
      workspaceId: string | null,
      afterSeq: number,
      limit = DEFAULT_LIMIT,
    ): Promise<StoredEvent[]> {
      const column = sql<string | null>`+workspace_id`;
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .where('seq', '>', afterSeq)
        .where(column, workspaceId === null ? 'is' : '=', workspaceId)
        .orderBy('seq', 'asc')
        .limit(clampLimit(limit))
        .execute();
      return rows.map(toStoredEvent);
    },

    /** The highest seq ever issued (0 for none), even when retention has deleted that row. */
    async lastSeq(): Promise<number> {
      const row = await sql<{ seq: number }>`select seq from sqlite_sequence where name = 'events'`.execute(
        db,
      );
      return Number(row.rows[0]?.seq ?? 0);
    },

    async count(workspaceId: string | null): Promise<number> {
      const base = db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n'));
      const row = await (
        workspaceId === null
          ? base.where('workspace_id', 'is', null)
          : base.where('workspace_id', '=', workspaceId)
      ).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /**
     * Deletes events older than `maxAgeMs`, then the oldest (by seq) beyond `maxRows`, a chunk per
     * statement. Returns how many went. AUTOINCREMENT means later events still get higher seqs.
     */
    async enforceRetention(policy: RetentionPolicy): Promise<number> {
      let deleted = await deleteOldNoise(policy, false);
      if (policy.maxAgeMs !== undefined && Number.isFinite(policy.maxAgeMs)) {
        const cutoff = policy.now - policy.maxAgeMs;
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
      }
      if (policy.maxRows !== undefined && Number.isFinite(policy.maxRows)) {
        const total = await db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        let excess = Number(total.n) - Math.max(0, Math.floor(policy.maxRows));
        if (excess > 0) {
          const noise = await deleteNoise(policy.noiseTypes, excess, false);
          deleted += noise;
          excess -= noise;
        }
        while (excess > 0) {
          const chunk = Math.min(excess, RETENTION_CHUNK);
          const result = await db
            .deleteFrom('events')
            .where('seq', 'in', (eb) =>
              eb.selectFrom('events').select('seq').orderBy('seq', 'asc').limit(chunk),
            )
            .executeTakeFirst();
          const n = Number(result.numDeletedRows);
          deleted += n;
          excess -= chunk;
          if (n === 0) break;
        }
      }
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
      let deleted = await deleteOldNoise(policy, true);
      const total = async (): Promise<number> =>
        Number(
          (
            await db
              .selectFrom('events')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );

      if (policy.maxAgeMs !== undefined && Number.isFinite(policy.maxAgeMs)) {
        const cutoff = policy.now - policy.maxAgeMs;
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
          deleted += await deleteSeqs(rows.map((r) => r.seq));
          const last = rows.at(-1);
          if (last === undefined || rows.length < RETENTION_CHUNK) break;
          after = last;
        }
      }

      if (policy.maxRows !== undefined && Number.isFinite(policy.maxRows)) {
        let excess = (await total()) - Math.max(0, Math.floor(policy.maxRows));
        if (excess > 0) {
          const noise = await deleteNoise(policy.noiseTypes, excess, true);
          deleted += noise;
          excess -= noise;
        }
        let after = 0;
        while (excess > 0) {
          const seqs = (
            await db
              .selectFrom('events')
              .select('seq')
              .where('seq', '>', after)
              .where((eb) => eb.not(unsynced(eb)))
              .orderBy('seq')
              .limit(Math.min(excess, RETENTION_CHUNK))
              .execute()
          ).map((r) => r.seq);
          if (seqs.length === 0) break;
          const n = await deleteSeqs(seqs);
          deleted += n;
          excess -= seqs.length;
          after = seqs.at(-1)!;
        }
      }

      const forced = new Map<string, ForcedDeletion>();
      let excess = (await total()) - Math.max(0, Math.floor(policy.hardMaxRows));
      if (excess > 0) {
        // Past the hard cap noise goes first even unpushed: it is not what the backlog is kept for.
        const noise = await deleteNoise(policy.noiseTypes, excess, false);
        deleted += noise;
        excess -= noise;
      }
      while (excess > 0) {
        const seqs = (
          await db
            .selectFrom('events')
            .select('seq')
            .orderBy('seq')
            .limit(Math.min(excess, RETENTION_CHUNK))
            .execute()
        ).map((r) => r.seq);
        if (seqs.length === 0) break;
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
        deleted += await deleteSeqs(seqs);
        excess -= seqs.length;
      }
      return { deleted, forced: [...forced.values()] };
    },
  };
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

/**
 * Prepared multi-row inserts, cached for the connection they belong to. A remainder shorter than a
 * full statement is split into powers of two (37 = 32 + 4 + 1), so at most ten statements are ever
 * prepared instead of one per batch size the timer happens to flush.
 */
function createBatchWriter() {
  let connection: SqliteConnection | undefined;
  let statements = new Map<number, BetterSqlite3.Statement>();
  let insertAll: ((rows: readonly NewEvent[]) => void) | undefined;

  const statementFor = (sqlite: SqliteConnection, rowCount: number): BetterSqlite3.Statement => {
    let statement = statements.get(rowCount);
    if (statement === undefined) {
      const values = new Array<string>(rowCount).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ');
      statement = sqlite.prepare(
        `insert into events (ts, level, type, workspace_id, contact_id, message, meta) values ${values}`,
      );
      statements.set(rowCount, statement);
    }
    return statement;
  };

  return {
    write(sqlite: SqliteConnection, rows: readonly NewEvent[]): void {
      if (connection !== sqlite || insertAll === undefined) {
        connection = sqlite;
        statements = new Map();
        insertAll = sqlite.transaction((batch: readonly NewEvent[]) => {
          for (let start = 0; start < batch.length;) {
            const count = chunkSize(batch.length - start);
            const params = new Array<unknown>(count * COLUMNS_PER_ROW);
            for (let i = 0, p = 0; i < count; i++) {
              const row = batch[start + i]!;
              params[p++] = row.ts;
              params[p++] = row.level;
              params[p++] = row.type;
              params[p++] = row.workspaceId;
              params[p++] = row.contactId;
              params[p++] = row.message;
              params[p++] = row.meta;
            }
            statementFor(sqlite, count).run(params);
            start += count;
          }
        });
      }
      insertAll(rows);
    },
  };
}

function chunkSize(remaining: number): number {
  if (remaining >= ROWS_PER_STATEMENT) return ROWS_PER_STATEMENT;
  let size = 1;
  while (size * 2 <= remaining) size *= 2;
  return size;
}

function toStoredEvent(row: Selectable<EventsTable>): StoredEvent {
  return {
    seq: row.seq,
    ts: row.ts,
    level: row.level as LogLevel,
    type: row.type,
    workspaceId: row.workspace_id,
    contactId: row.contact_id,
    message: row.message,
    meta: parseMeta(row.meta),
  };
}

function parseMeta(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    // Written by an older or foreign writer: show it rather than lose the event.
    return { unparsedMeta: text };
  }
}

function levelsOf(filter: EventQuery): LogLevel[] | undefined {
  let levels: LogLevel[] | undefined = filter.levels === undefined ? undefined : [...filter.levels];
  if (filter.minLevel !== undefined) {
    const min = LOG_LEVELS.indexOf(filter.minLevel);
    const atOrAbove = LOG_LEVELS.filter((_, i) => i >= min);
    levels = levels === undefined ? atOrAbove : levels.filter((l) => atOrAbove.includes(l));
  }
  return levels;
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/**
 * The smallest string above every string that starts with `prefix`, for printable ASCII prefixes
 * (event types are); undefined otherwise, and the caller falls back to comparing a substring.
 */
function prefixUpperBound(prefix: string): string | undefined {
  if (!/^[\x20-\x7e]+$/.test(prefix)) return undefined;
  const last = prefix.charCodeAt(prefix.length - 1);
  if (last >= 0x7e) return undefined;
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
