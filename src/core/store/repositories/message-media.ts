import type { Kysely, Selectable } from 'kysely';
import type { MediaKind, MediaState } from '../../../shared/media-contract';
import type { WorkspaceId } from '../../../shared/types';
import type { Database, MessageMediaTable } from '../schema';
import { keyedTable } from './keyed-table';

export interface MessageMediaRow {
  messageId: string;
  kind: MediaKind;
  mime: string | null;
  size: number | null;
  sha256: string | null;
  fileName: string | null;
  caption: string | null;
  durationSeconds: number | null;
  thumbnail: Buffer | null;
  /** JSON: a location's coordinates and name, a contact card's name and number. */
  extra: string | null;
  /** JSON the provider reads to download the file (opaque to the rest of the core). */
  ref: string | null;
  state: MediaState;
  error: string | null;
  attempts: number;
  createdAt: number;
}

export type NewMessageMedia = Omit<MessageMediaRow, 'attempts' | 'createdAt' | 'sha256' | 'error'>;

function toRow(r: Selectable<MessageMediaTable>): MessageMediaRow {
  return {
    messageId: r.message_id,
    kind: r.kind as MediaKind,
    mime: r.mime,
    size: r.size,
    sha256: r.sha256,
    fileName: r.file_name,
    caption: r.caption,
    durationSeconds: r.duration_s,
    thumbnail: r.thumbnail === null ? null : Buffer.from(r.thumbnail),
    extra: r.extra,
    ref: r.ref,
    state: r.state as MediaState,
    error: r.error,
    attempts: r.attempts,
    createdAt: r.created_at,
  };
}

/** Media of messages, one row per message; every function is scoped to one workspace. */
export function createMessageMediaRepository(db: Kysely<Database>) {
  return {
    ...messageMediaReads(db),
    ...messageMediaStates(db),
    /**
     * Retention: stored files of messages created before `before` become `deleted`; returns the
     * hashes nothing else (a stored row of any workspace: files are shared by content; an FAQ's
     * attachment; a file the outbox still has to send or may Retry) still needs.
     */
    expireBefore: (workspaceId: WorkspaceId, before: number, now: number) =>
      expireBefore(db, workspaceId, before, now),
  };
}

/** The key of a message's media row. */
const ofMessage = (workspaceId: WorkspaceId, messageId: string) => ({
  workspace_id: workspaceId,
  message_id: messageId,
});

function messageMediaReads(db: Kysely<Database>) {
  return {
    async get(workspaceId: WorkspaceId, messageId: string): Promise<MessageMediaRow | undefined> {
      const row = await keyedTable(db, 'message_media').get(ofMessage(workspaceId, messageId));
      return row === undefined ? undefined : toRow(row);
    },

    async forMessages(
      workspaceId: WorkspaceId,
      messageIds: readonly string[],
    ): Promise<Map<string, MessageMediaRow>> {
      if (messageIds.length === 0) return new Map();
      const rows = await keyedTable(db, 'message_media').getIn(
        { workspace_id: workspaceId },
        'message_id',
        messageIds,
      );
      return new Map(rows.map((r) => [r.message_id, toRow(r)]));
    },

    /** Messages whose file still waits for its download, oldest first (resumed at start). */
    async pending(workspaceId: WorkspaceId, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('message_media')
        .select('message_id')
        .where('workspace_id', '=', workspaceId)
        .where('state', '=', 'pending')
        .orderBy('created_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.message_id);
    },

    /** Bytes the workspace's stored files take (a file kept for two messages counts once). */
    async usage(workspaceId: WorkspaceId): Promise<number> {
      const rows = await db
        .selectFrom('message_media')
        .select(['sha256', (eb) => eb.fn.max('size').as('size')])
        .where('workspace_id', '=', workspaceId)
        .where('state', '=', 'stored')
        .groupBy('sha256')
        .execute();
      return rows.reduce((sum, r) => sum + Number(r.size ?? 0), 0);
    },
  };
}

/** A file's way from announced to stored (or failed, retried, re-linked). */
function messageMediaStates(db: Kysely<Database>) {
  const media = keyedTable(db, 'message_media');
  return {
    async insertMany(workspaceId: WorkspaceId, rows: readonly NewMessageMedia[], now: number): Promise<void> {
      if (rows.length === 0) return;
      await db
        .insertInto('message_media')
        .values(
          rows.map((m) => ({
            message_id: m.messageId,
            workspace_id: workspaceId,
            kind: m.kind,
            mime: m.mime,
            size: m.size,
            sha256: null,
            file_name: m.fileName,
            caption: m.caption,
            duration_s: m.durationSeconds,
            thumbnail: m.thumbnail,
            extra: m.extra,
            ref: m.ref,
            state: m.state,
            error: null,
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict((oc) => oc.column('message_id').doNothing())
        .execute();
    },

    async markStored(
      workspaceId: WorkspaceId,
      messageId: string,
      file: { sha256: string; size: number },
      now: number,
    ): Promise<void> {
      const stored = { state: 'stored', sha256: file.sha256, size: file.size, error: null, updated_at: now };
      await media.update(ofMessage(workspaceId, messageId), stored);
    },

    /** A failed attempt: `failed` or `too-large`, with the reason the thread shows. */
    async markFailed(
      workspaceId: WorkspaceId,
      messageId: string,
      state: 'failed' | 'too-large',
      error: string,
      now: number,
    ): Promise<void> {
      await media.update(ofMessage(workspaceId, messageId), {
        state,
        error,
        attempts: (eb) => eb('attempts', '+', 1),
        updated_at: now,
      });
    },

    /** Back to `pending` for another download (Retry); only a file that is not stored. */
    async requeue(workspaceId: WorkspaceId, messageId: string, now: number): Promise<boolean> {
      const requeued = await media.update(
        ofMessage(workspaceId, messageId),
        { state: 'pending', updated_at: now },
        (eb) => eb('state', 'in', ['failed', 'too-large', 'deleted']),
      );
      return requeued > 0;
    },

    /** The provider's new download reference (a re-uploaded file's new link). */
    async updateRef(workspaceId: WorkspaceId, messageId: string, ref: string, now: number): Promise<void> {
      await media.update(ofMessage(workspaceId, messageId), { ref, updated_at: now });
    },
  };
}

/**
 * Retention: stored files of messages created before `before` become `deleted`; returns the
 * hashes nothing else (a stored row of any workspace: files are shared by content; an FAQ's
 * attachment; a file the outbox still has to send or may Retry) still needs.
 */
async function expireBefore(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  before: number,
  now: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('message_media')
    .select('sha256')
    .distinct()
    .where('workspace_id', '=', workspaceId)
    .where('state', '=', 'stored')
    .where('created_at', '<', before)
    .execute();
  if (rows.length === 0) return [];
  await db
    .updateTable('message_media')
    .set({ state: 'deleted', error: null, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('state', '=', 'stored')
    .where('created_at', '<', before)
    .execute();
  const hashes = rows.map((r) => r.sha256).filter((h): h is string => h !== null);
  if (hashes.length === 0) return [];
  return hashesNoLongerNeeded(db, hashes);
}

/** Of these hashes, those no stored message (of any workspace), FAQ attachment or outbox row needs. */
async function hashesNoLongerNeeded(db: Kysely<Database>, hashes: string[]): Promise<string[]> {
  const stillUsed = await db
    .selectFrom('message_media')
    .select('sha256')
    .distinct()
    .where('state', '=', 'stored')
    .where('sha256', 'in', hashes)
    .execute();
  const used = new Set(stillUsed.map((r) => r.sha256));
  // An FAQ's attachment and a file still waiting in the outbox are needed too (0017).
  const attached = await db
    .selectFrom('faq_attachments')
    .select('sha256')
    .where('sha256', 'in', hashes)
    .execute();
  const queued = await db
    .selectFrom('outbox')
    .select('media_sha256')
    .where('media_sha256', 'in', hashes)
    .where('status', 'in', ['queued', 'sending', 'failed'])
    .execute();
  for (const r of attached) used.add(r.sha256);
  for (const r of queued) used.add(r.media_sha256);
  return hashes.filter((h) => !used.has(h));
}
export type MessageMediaRepository = ReturnType<typeof createMessageMediaRepository>;
