import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import { LOG_LEVELS, type LogLevel } from '../../../shared/types';
import type { Database, EventsTable } from '../schema';
import type { EventPage, EventQuery, StoredEvent } from './event-log-types';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** Reading the log: filtered pages (newest first), counts, and tails after a seq. */
export function eventLogReads(db: Kysely<Database>) {
  return {
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
      const query = await filtered(db, db.selectFrom('events').selectAll(), filter);
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
        db,
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
  };
}

/** The filter's WHERE clauses (shared by a page and its count, so the two always agree). */
async function filtered<O>(
  db: Kysely<Database>,
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
