import { sql } from 'kysely';
import type { LogLevel } from '../shared/types';
import type {
  CentralEvent,
  DayMessages,
  EventsPage,
  EventsQuery,
  InstallationSummary,
  WorkspaceSummary,
} from './admin-types';
import type { CentralDb } from './db/open';
import { CentralError } from './errors';
import { DAY_MS } from './ingest';

export const CHART_DAYS = 14;
const ERROR_WINDOW_MS = 24 * 3_600_000;

export async function listInstallations(db: CentralDb): Promise<InstallationSummary[]> {
  const installations = await db
    .selectFrom('installations')
    .selectAll()
    .orderBy('last_seen_at', 'desc')
    .orderBy('id')
    .execute();
  const links = await linksOf(db).orderBy('w.name').execute();
  return installations.map((i) => ({
    id: i.id,
    name: i.name,
    appVersion: i.app_version,
    platform: i.platform,
    firstSeenAt: i.first_seen_at,
    lastSeenAt: i.last_seen_at,
    workspaces: links
      .filter((l) => l.installation_id === i.id)
      .map((l) => ({ id: l.workspace_id, name: l.workspace_name, ...linkState(l) })),
  }));
}

/**
 * Every workspace (or one) with what the dashboard shows: a handful of queries in all, whatever the
 * number of workspaces; none scans the events table (day counters are kept by ingest, and errors in
 * the last 24 h come from a partial index holding error rows only).
 */
export async function listWorkspaces(db: CentralDb, now: number, only?: string): Promise<WorkspaceSummary[]> {
  let workspacesQuery = db.selectFrom('workspaces').selectAll().orderBy('name').orderBy('id');
  if (only !== undefined) workspacesQuery = workspacesQuery.where('id', '=', only);
  const workspaces = await workspacesQuery.execute();
  if (workspaces.length === 0) return [];
  const ids = workspaces.map((w) => w.id);

  const links = await linksOf(db, ids).orderBy('l.enrolled_at').execute();
  // The unused code that expires last, per workspace.
  const pending = await db
    .selectFrom('enrollments')
    .select((eb) => ['workspace_id', eb.fn.max('expires_at').as('expires_at')])
    .where('workspace_id', 'in', ids)
    .where('used_at', 'is', null)
    .groupBy('workspace_id')
    .execute();
  const numbers = await db
    .selectFrom('number_states')
    .selectAll()
    .where('workspace_id', 'in', ids)
    .orderBy('number')
    .execute();
  const today = Math.floor(now / DAY_MS);
  const firstDay = today - (CHART_DAYS - 1);
  const counts = await db
    .selectFrom('daily_counts')
    .select(['workspace_id', 'day', 'messages_in', 'messages_out'])
    .where('workspace_id', 'in', ids)
    .where((eb) => eb.between('day', firstDay, today))
    .execute();
  const errors = await db
    .selectFrom('events')
    .select((eb) => ['workspace_id', eb.fn.countAll<number>().as('n')])
    // A literal, not a parameter: SQLite matches a partial index's predicate only against constants.
    .where('level', '=', sql.lit('error'))
    .where('ts', '>', now - ERROR_WINDOW_MS)
    .where('workspace_id', 'in', ids)
    .groupBy('workspace_id')
    .execute();

  return workspaces.map((w) => {
    const own = links.filter((l) => l.workspace_id === w.id);
    const seen = own.map((l) => l.last_seen_at).filter((t): t is number => t !== null);
    const waiting = pending.find((p) => p.workspace_id === w.id);
    return {
      id: w.id,
      name: w.name,
      createdAt: w.created_at,
      lastSeenAt: seen.length === 0 ? null : Math.max(...seen),
      backlog: own.reduce((sum, l) => sum + l.backlog, 0),
      installations: own.map((l) => ({
        id: l.installation_id,
        name: l.installation_name,
        ...linkState(l),
        enrolledAt: l.enrolled_at,
      })),
      pendingEnrollment:
        waiting === undefined ? null : { expiresAt: waiting.expires_at, expired: waiting.expires_at <= now },
      numbers: numbers
        .filter((n) => n.workspace_id === w.id)
        .map((n) => ({
          number: n.number,
          provider: n.provider,
          status: n.status,
          updatedAt: n.updated_at,
          reportedAt: n.reported_at,
        })),
      messagesPerDay: daysOf(counts, w.id, firstDay, today),
      errorsLast24h: Number(errors.find((e) => e.workspace_id === w.id)?.n ?? 0),
    };
  });
}

/** The enrollment links (of these workspaces, or all) with the names of the workspace and installation. */
function linksOf(db: CentralDb, workspaceIds?: string[]) {
  const query = db
    .selectFrom('workspace_links as l')
    .innerJoin('workspaces as w', 'w.id', 'l.workspace_id')
    .innerJoin('installations as i', 'i.id', 'l.installation_id')
    .select([
      'l.workspace_id',
      'w.name as workspace_name',
      'l.installation_id',
      'i.name as installation_name',
      'l.local_workspace_name',
      'l.enrolled_at',
      'l.last_seen_at',
      'l.backlog',
    ]);
  return workspaceIds === undefined ? query : query.where('l.workspace_id', 'in', workspaceIds);
}

/** What a link says of itself, as either end lists it. */
const linkState = (l: { local_workspace_name: string; last_seen_at: number | null; backlog: number }) => ({
  localName: l.local_workspace_name,
  lastSeenAt: l.last_seen_at,
  backlog: l.backlog,
});

/** A workspace's messages in and out per day, zero on days without a counter row. */
function daysOf(
  counts: readonly { workspace_id: string; day: number; messages_in: number; messages_out: number }[],
  workspaceId: string,
  firstDay: number,
  today: number,
): DayMessages[] {
  const perDay: DayMessages[] = [];
  for (let day = firstDay; day <= today; day++) {
    const count = counts.find((c) => c.workspace_id === workspaceId && c.day === day);
    perDay.push({
      day: new Date(day * DAY_MS).toISOString().slice(0, 10),
      in: count?.messages_in ?? 0,
      out: count?.messages_out ?? 0,
    });
  }
  return perDay;
}

/**
 * One page of a workspace's events, newest first, keyed by seq (`before` is exclusive). A workspace is
 * fed by the one installation that enrolled it, so its seqs are unique; `installation` narrows the
 * page should a workspace ever be fed by several.
 */
export async function listEvents(
  db: CentralDb,
  workspaceId: string,
  query: EventsQuery,
): Promise<EventsPage> {
  let q = db
    .selectFrom('events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('seq', 'desc')
    .orderBy('installation_id', 'desc')
    // One more than asked: whether it exists says if there is an older page.
    .limit(query.limit + 1);
  if (query.before !== undefined) q = q.where('seq', '<', query.before);
  if (query.level !== undefined) q = q.where('level', 'in', query.level);
  if (query.installation !== undefined) q = q.where('installation_id', '=', query.installation);
  if (query.type !== undefined) {
    const type = query.type;
    if (type.endsWith('*')) {
      const prefix = type.slice(0, -1);
      // substr rather than LIKE: no wildcard escaping, and the same case rules on both databases.
      if (prefix !== '')
        q = q.where((eb) => eb(eb.fn('substr', ['type', eb.lit(1), eb.lit(prefix.length)]), '=', prefix));
    } else {
      q = q.where('type', '=', type);
    }
  }
  const rows = await q.execute();
  const more = rows.length > query.limit;
  const events: CentralEvent[] = rows.slice(0, query.limit).map((r) => ({
    installationId: r.installation_id,
    seq: r.seq,
    ts: r.ts,
    receivedAt: r.received_at,
    level: r.level as LogLevel,
    type: r.type,
    contactId: r.contact_id,
    message: r.message,
    meta: r.meta,
    text: r.text,
  }));
  return {
    events,
    nextBefore: more ? (events.at(-1)?.seq ?? null) : null,
  };
}

/** Throws NOT_FOUND unless the workspace exists. */
export async function requireWorkspace(db: CentralDb, workspaceId: string): Promise<void> {
  await db
    .selectFrom('workspaces')
    .select('id')
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow(() => new CentralError('NOT_FOUND', `No workspace with id ${workspaceId}.`));
}
