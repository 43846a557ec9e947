import type { Kysely, Selectable } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { Database, SavedRepliesTable } from '../schema';
import { scopedTable } from './scoped-table';

export interface SavedReplyRecord {
  id: string;
  title: string;
  text: string;
  updatedAt: number;
}

/** The owner's saved quick replies (migration 0015). */
export function createSavedReplyRepository(db: Kysely<Database>) {
  const replies = scopedTable(db, 'saved_replies');
  return {
    async list(workspaceId: WorkspaceId): Promise<SavedReplyRecord[]> {
      return (await replies.list(workspaceId, ['title', 'id'])).map(toReply);
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
      const row = await replies.updateReturning(workspaceId, id, { ...patch, updated_at: now });
      return row === undefined ? undefined : toReply(row);
    },

    async delete(workspaceId: WorkspaceId, id: string): Promise<boolean> {
      return replies.remove(workspaceId, id);
    },
  };
}

function toReply(row: Selectable<SavedRepliesTable>): SavedReplyRecord {
  return { id: row.id, title: row.title, text: row.text, updatedAt: row.updated_at };
}
