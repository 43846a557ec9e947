import { sql, type Expression, type Kysely, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { LogLevel, WorkspaceId } from '../../../shared/types';
import type { Database, SyncStateTable } from '../schema';
import { camelRow } from './row-fields';
import { keyedTable } from './keyed-table';

export type SyncRowState = 'active' | 'needs-attention';

/** A workspace's enrollment with a central server, as stored. */
export interface SyncStateRow {
  workspaceId: WorkspaceId;
  serverUrl: string;
  centralWorkspaceId: string;
  centralWorkspaceName: string;
  tokenSealed: string;
  lastAckedSeq: number;
  shareMessageText: boolean;
  state: SyncRowState;
  /** Also the enrollment's generation: writes about a push check it, so a reply from before an enroll again is dropped. */
  enrolledAt: number;
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  updatedAt: number;
}

export interface NewEnrollment {
  serverUrl: string;
  centralWorkspaceId: string;
  centralWorkspaceName: string;
  tokenSealed: string;
  lastAckedSeq: number;
}

/** An event row as the pusher reads it: meta stays the JSON text it was stored as. */
export interface RawEvent {
  seq: number;
  ts: number;
  level: LogLevel;
  type: string;
  contactId: string | null;
  message: string;
  meta: string | null;
}

export type SyncStateRepository = ReturnType<typeof createSyncStateRepository>;

/**
 * Enrolls (or enrolls again): a new token, active, no error. The share-message-text choice of an
 * earlier enrollment is kept: the owner made it, not the server.
 */
async function saveEnrollment(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  enrollment: NewEnrollment,
  now: number,
): Promise<void> {
  const fresh = {
    server_url: enrollment.serverUrl,
    central_workspace_id: enrollment.centralWorkspaceId,
    central_workspace_name: enrollment.centralWorkspaceName,
    token_sealed: enrollment.tokenSealed,
    last_acked_seq: enrollment.lastAckedSeq,
    state: 'active',
    enrolled_at: now,
    last_success_at: null,
    last_error: null,
    last_error_at: null,
    updated_at: now,
  } as const;
  await db
    .insertInto('sync_state')
    .values({ workspace_id: workspaceId, ...fresh, share_message_text: 0 })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(fresh))
    .execute();
}

/** The enrollment itself: read, saved, removed. */
function enrollmentParts(db: Kysely<Database>) {
  const state = keyedTable(db, 'sync_state');
  return {
    async get(workspaceId: WorkspaceId): Promise<SyncStateRow | undefined> {
      const row = await state.get({ workspace_id: workspaceId });
      return row === undefined ? undefined : toRow(row);
    },

    save: (workspaceId: WorkspaceId, enrollment: NewEnrollment, now: number): Promise<void> =>
      saveEnrollment(db, workspaceId, enrollment, now),

    async remove(workspaceId: WorkspaceId): Promise<boolean> {
      return (await state.remove({ workspace_id: workspaceId })) > 0;
    },
  };
}

/** What the pushes report back: acks, errors, a refused token, and the owner's share choice. */
function pushOutcomeParts(db: Kysely<Database>) {
  const state = keyedTable(db, 'sync_state');
  /** Writes `patch` on the enrollment of `enrolledAt` (a reply from an earlier one changes nothing). */
  const onEnrollment = async (
    workspaceId: WorkspaceId,
    enrolledAt: number,
    patch: Updateable<SyncStateTable>,
    only?: Expression<SqlBool>,
  ) => (await state.update({ workspace_id: workspaceId, enrolled_at: enrolledAt }, patch, only)) > 0;
  return {
    /** The server committed events up to `ackedSeq`: a success, and the error (if any) is over. */
    recordAck: (workspaceId: WorkspaceId, enrolledAt: number, ackedSeq: number, now: number) =>
      onEnrollment(
        workspaceId,
        enrolledAt,
        {
          last_acked_seq: ackedSeq,
          last_success_at: now,
          last_error: null,
          last_error_at: null,
          updated_at: now,
        },
        sql<boolean>`state = 'active'`,
      ),

    recordError: (workspaceId: WorkspaceId, enrolledAt: number, message: string, now: number) =>
      onEnrollment(workspaceId, enrolledAt, {
        last_error: message.slice(0, 2000),
        last_error_at: now,
        updated_at: now,
      }),

    /** The server refused the token: nothing is pushed until the workspace is enrolled again. */
    markNeedsAttention: (workspaceId: WorkspaceId, enrolledAt: number, message: string, now: number) =>
      onEnrollment(workspaceId, enrolledAt, {
        state: 'needs-attention',
        last_error: message.slice(0, 2000),
        last_error_at: now,
        updated_at: now,
      }),

    async setShareMessageText(workspaceId: WorkspaceId, share: boolean, now: number): Promise<boolean> {
      const patch = { share_message_text: share ? 1 : 0, updated_at: now };
      return (await state.update({ workspace_id: workspaceId }, patch)) > 0;
    },
  };
}

/** What a push reads: the workspace's events and the texts of its messages. */
function pushReads(db: Kysely<Database>) {
  return {
    /**
     * The workspace's events with afterSeq < seq <= throughSeq, oldest first. The caller keeps the seq
     * window small: the scan walks the rowid range (`+workspace_id` keeps SQLite off the workspace index,
     * which would sort the workspace's whole history), so one call never reads more than the window,
     * however many of its rows belong to other workspaces.
     */
    async readEvents(
      workspaceId: WorkspaceId,
      afterSeq: number,
      throughSeq: number,
      limit: number,
    ): Promise<RawEvent[]> {
      const rows = await db
        .selectFrom('events')
        .select(['seq', 'ts', 'level', 'type', 'contact_id', 'message', 'meta'])
        .where('seq', '>', afterSeq)
        .where('seq', '<=', throughSeq)
        .where(sql<string | null>`+workspace_id`, '=', workspaceId)
        .orderBy('seq', 'asc')
        .limit(Math.max(1, Math.floor(limit)))
        .execute();
      return rows.map((r) => ({ ...camelRow(r), level: r.level as LogLevel }));
    },

    /** How many of the workspace's events have afterSeq < seq <= throughSeq (same window rule as readEvents). */
    async countEvents(workspaceId: WorkspaceId, afterSeq: number, throughSeq: number): Promise<number> {
      const row = await db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('seq', '>', afterSeq)
        .where('seq', '<=', throughSeq)
        .where(sql<string | null>`+workspace_id`, '=', workspaceId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** The texts of this workspace's messages and outbox rows, by id (ids of another workspace find nothing). */
    async textsOf(
      workspaceId: WorkspaceId,
      ids: { messageIds: readonly string[]; outboxIds: readonly string[] },
    ): Promise<Map<string, string>> {
      const key = { workspace_id: workspaceId };
      const messages = await keyedTable(db, 'messages').findIn(key, 'id', ids.messageIds, ['id', 'text']);
      const outbox = await keyedTable(db, 'outbox').findIn(key, 'id', ids.outboxIds, ['id', 'text']);
      const texts = new Map<string, string>();
      for (const row of [...messages, ...outbox]) if (row.text !== null) texts.set(row.id, row.text);
      return texts;
    },
  };
}

/**
 * The push client's per-workspace state and its reads of the workspace's events and message texts.
 * Every function takes the workspace: an event, a message or an outbox row of another workspace can
 * never end up in this workspace's batch.
 */
export function createSyncStateRepository(db: Kysely<Database>) {
  return { ...enrollmentParts(db), ...pushOutcomeParts(db), ...pushReads(db) };
}

/** The machine-wide side of sync: which workspaces push, and this data folder's identity. */
export function createSyncDirectory(db: Kysely<Database>) {
  return {
    /** Every enrolled workspace, for starting their pushers (the one cross-workspace read of sync_state). */
    async listEnrolled(): Promise<{ workspaceId: WorkspaceId; state: SyncRowState }[]> {
      const rows = await db
        .selectFrom('sync_state')
        .select(['workspace_id', 'state'])
        .orderBy('workspace_id')
        .execute();
      return rows.map((r) => ({
        workspaceId: r.workspace_id as WorkspaceId,
        state: r.state as SyncRowState,
      }));
    },

    /** This data folder's installation id (made by migration 0005, never changed). */
    async installationId(): Promise<string> {
      const row = await db.selectFrom('installation').select('id').executeTakeFirstOrThrow();
      return row.id;
    },
  };
}

function toRow(row: Selectable<SyncStateTable>): SyncStateRow {
  return {
    ...camelRow(row),
    workspaceId: row.workspace_id as WorkspaceId,
    shareMessageText: row.share_message_text === 1,
    state: row.state === 'needs-attention' ? 'needs-attention' : 'active',
  };
}
