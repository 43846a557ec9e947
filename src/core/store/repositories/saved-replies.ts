import type { Kysely, Selectable } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { Database, SavedRepliesTable } from '../schema';

export interface SavedReplyRecord {
  id: string;
  title: string;
  text: string;
  updatedAt: number;
}

/** The owner's saved quick replies (migration 0015). */
export function createSavedReplyRepository(db: Kysely<Database>) {
  return {
    async list(workspaceId: WorkspaceId): Promise<SavedReplyRecord[]> {
      const rows = await db
        .selectFrom('saved_replies')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('title')
        .orderBy('id')
        .execute();
      return rows.map(toReply);
    },

    async create(
      workspaceId: WorkspaceId,
      reply: { id: string; title: string; text: string },
      now: number,
    ): Promise<SavedReplyRecord> {
      await db
        .insertInto('saved_replies')
        .values({ ...reply, workspace_id: workspaceId, created_at: now, updated_at: now })
        .execute();
      return { ...reply, updatedAt: now };
    },

    async update(
      workspaceId: WorkspaceId,
      id: string,
      patch: { title?: string; text?: string },
      now: number,
    ): Promise<SavedReplyRecord | undefined> {
      const row = await db
        .updateTable('saved_replies')
        .set({ ...patch, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toReply(row);
    },

    async delete(workspaceId: WorkspaceId, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('saved_replies')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

function toReply(row: Selectable<SavedRepliesTable>): SavedReplyRecord {
  return { id: row.id, title: row.title, text: row.text, updatedAt: row.updated_at };
}
