import type { z } from 'zod';
import type { IngestResponse, ingestRequest, SyncedEvent, SyncedNumber } from '../shared/sync-protocol';
import type { CentralDatabase } from './db/open';
import type { EventsTable } from './db/schema';
import { CentralError } from './errors';

export type ParsedIngestRequest = z.output<typeof ingestRequest>;

/** Who may write: the workspace and installation a workspace token was issued for. */
export interface WorkspacePrincipal {
  workspaceId: string;
  installationId: string;
}

/** Event types the dashboard counts as messages, per direction. */
export const MESSAGE_IN_TYPES: ReadonlySet<string> = new Set(['message.received']);
export const MESSAGE_OUT_TYPES: ReadonlySet<string> = new Set(['message.sent']);
export const DAY_MS = 86_400_000;

/** Rows per insert statement: far below SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_STATEMENT = 500;

/**
 * Stores one batch, all of it or nothing: the events (a resent event is skipped by the unique key
 * on workspace, installation and seq), the day counters of the events actually stored, each number's
 * state, and when the installation was last seen. The workspace is the token's, never the body's.
 *
 * Statements run in the same order in every batch (events by seq, days ascending, numbers sorted,
 * then the link and installation rows), so concurrent batches on PostgreSQL wait for each other's row
 * locks rather than deadlock.
 */
export async function ingestBatch(
  database: CentralDatabase,
  principal: WorkspacePrincipal,
  request: ParsedIngestRequest,
  now: number,
): Promise<IngestResponse> {
  if (request.installationId !== principal.installationId) {
    throw new CentralError(
      'FORBIDDEN',
      'This workspace token was issued to another installation: push with the token this installation ' +
        'received when it enrolled.',
    );
  }
  checkAscending(request.events);
  const { workspaceId, installationId } = principal;
  const numbers = latestPerNumber(request.numbers);

  return database.transaction(async (trx) => {
    const stored: Pick<EventsTable, 'ts' | 'level' | 'type'>[] = [];
    for (let start = 0; start < request.events.length; start += ROWS_PER_STATEMENT) {
      const rows = request.events
        .slice(start, start + ROWS_PER_STATEMENT)
        .map((event) => toRow(event, principal, now));
      const inserted = await trx
        .insertInto('events')
        .values(rows)
        .onConflict((oc) => oc.columns(['workspace_id', 'installation_id', 'seq']).doNothing())
        .returning(['ts', 'level', 'type'])
        .execute();
      stored.push(...inserted);
    }

    const days = countPerDay(stored);
    if (days.length > 0) {
      await trx
        .insertInto('daily_counts')
        .values(days.map((d) => ({ workspace_id: workspaceId, ...d })))
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'day']).doUpdateSet((eb) => ({
            messages_in: eb('daily_counts.messages_in', '+', eb.ref('excluded.messages_in')),
            messages_out: eb('daily_counts.messages_out', '+', eb.ref('excluded.messages_out')),
            errors: eb('daily_counts.errors', '+', eb.ref('excluded.errors')),
          })),
        )
        .execute();
    }

    await recordNumberStates(trx, principal, numbers, now);

    await trx
      .updateTable('workspace_links')
      .set({ last_seen_at: now, backlog: request.backlog })
      .where('workspace_id', '=', workspaceId)
      .where('installation_id', '=', installationId)
      .execute();
    await trx
      .updateTable('installations')
      .set({ last_seen_at: now })
      .where('id', '=', installationId)
      .execute();

    const acked = await trx
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('workspace_id', '=', workspaceId)
      .where('installation_id', '=', installationId)
      .executeTakeFirst();
    return {
      ackedSeq: acked?.seq ?? 0,
      stored: stored.length,
      duplicates: request.events.length - stored.length,
    };
  });
}

/** Each number's latest state; a late push of an older state never overwrites a newer one. */
async function recordNumberStates(
  trx: Parameters<Parameters<CentralDatabase['transaction']>[0]>[0],
  principal: WorkspacePrincipal,
  numbers: ReturnType<typeof latestPerNumber>,
  now: number,
): Promise<void> {
  if (numbers.length === 0) return;
  const { workspaceId, installationId } = principal;
  await trx
    .insertInto('number_states')
    .values(
      numbers.map((n) => ({
        workspace_id: workspaceId,
        number: n.number,
        installation_id: installationId,
        provider: n.provider,
        status: n.status,
        updated_at: n.updatedAt,
        reported_at: now,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['workspace_id', 'number'])
        .doUpdateSet((eb) => ({
          installation_id: eb.ref('excluded.installation_id'),
          provider: eb.ref('excluded.provider'),
          status: eb.ref('excluded.status'),
          updated_at: eb.ref('excluded.updated_at'),
          reported_at: eb.ref('excluded.reported_at'),
        }))
        // A late push of an older state never overwrites a newer one.
        .where((eb) => eb('excluded.updated_at', '>=', eb.ref('number_states.updated_at'))),
    )
    .execute();
}

function toRow(event: SyncedEvent, principal: WorkspacePrincipal, now: number): EventsTable {
  return {
    workspace_id: principal.workspaceId,
    installation_id: principal.installationId,
    seq: event.seq,
    ts: event.ts,
    level: event.level,
    type: event.type,
    contact_id: event.contactId,
    message: event.message,
    meta: event.meta,
    text: event.text ?? null,
    received_at: now,
  };
}

function checkAscending(events: readonly SyncedEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    const previous = events[i - 1]!.seq;
    const seq = events[i]!.seq;
    if (seq <= previous) {
      throw new CentralError(
        'BAD_REQUEST',
        `events[${i}].seq (${seq}) is not greater than events[${i - 1}].seq (${previous}): send each ` +
          'event once, in ascending seq order.',
      );
    }
  }
}

/** One state per number (the newest, should a batch name a number twice), sorted for lock order. */
function latestPerNumber(numbers: readonly SyncedNumber[]): SyncedNumber[] {
  const latest = new Map<string, SyncedNumber>();
  for (const n of numbers) {
    const seen = latest.get(n.number);
    if (seen === undefined || n.updatedAt >= seen.updatedAt) latest.set(n.number, n);
  }
  return [...latest.values()].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
}

interface DayCount {
  day: number;
  messages_in: number;
  messages_out: number;
  errors: number;
}

function countPerDay(events: readonly Pick<EventsTable, 'ts' | 'level' | 'type'>[]): DayCount[] {
  const days = new Map<number, DayCount>();
  for (const event of events) {
    const isIn = MESSAGE_IN_TYPES.has(event.type);
    const isOut = MESSAGE_OUT_TYPES.has(event.type);
    const isError = event.level === 'error';
    if (!isIn && !isOut && !isError) continue;
    const day = Math.floor(event.ts / DAY_MS);
    let count = days.get(day);
    if (count === undefined) {
      count = { day, messages_in: 0, messages_out: 0, errors: 0 };
      days.set(day, count);
    }
    if (isIn) count.messages_in += 1;
    if (isOut) count.messages_out += 1;
    if (isError) count.errors += 1;
  }
  return [...days.values()].sort((a, b) => a.day - b.day);
}
