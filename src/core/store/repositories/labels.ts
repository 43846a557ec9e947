import type { Kysely, Selectable } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { Database, LabelsTable } from '../schema';
import { powerOfTwoChunks } from './chunks';
import { scopedTable } from './scoped-table';

export interface LabelRecord {
  id: string;
  name: string;
  color: string;
  position: number;
}

export type LabelRepository = ReturnType<typeof createLabelRepository>;

/** The workspace's labels and which chats carry them (migration 0015). */
export function createLabelRepository(db: Kysely<Database>) {
  return {
    ...labelRecords(db),
    ...chatLabels(db),
  };
}

/** The labels themselves, in the owner's order. */
function labelRecords(db: Kysely<Database>) {
  const labels = scopedTable(db, 'labels');
  return {
    async list(workspaceId: WorkspaceId): Promise<LabelRecord[]> {
      return (await labels.list(workspaceId, ['position', 'created_at'])).map(toLabel);
    },

    async get(workspaceId: WorkspaceId, id: string): Promise<LabelRecord | undefined> {
      const row = await labels.get(workspaceId, id);
      return row === undefined ? undefined : toLabel(row);
    },

    async findByName(workspaceId: WorkspaceId, name: string): Promise<LabelRecord | undefined> {
      const row = await db
        .selectFrom('labels')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
        .executeTakeFirst();
      return row === undefined ? undefined : toLabel(row);
    },

    async create(
      workspaceId: WorkspaceId,
      label: { id: string; name: string; color: string },
      now: number,
    ): Promise<LabelRecord> {
      const last = await db
        .selectFrom('labels')
        .select((eb) => eb.fn.max('position').as('position'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst();
      const position = (last?.position ?? -1) + 1;
      await db
        .insertInto('labels')
        .values({ ...label, workspace_id: workspaceId, position, created_at: now, updated_at: now })
        .execute();
      return { ...label, position };
    },

    async update(
      workspaceId: WorkspaceId,
      id: string,
      patch: { name?: string; color?: string },
      now: number,
    ): Promise<boolean> {
      return labels.update(workspaceId, id, { ...patch, updated_at: now });
    },

    /** The label and its place on every chat. */
    async delete(workspaceId: WorkspaceId, id: string): Promise<boolean> {
      return labels.remove(workspaceId, id);
    },
  };
}

/** Which chats carry which labels. */
function chatLabels(db: Kysely<Database>) {
  return {
    /** Label ids per chat, for these chats. */
    async ofChats(workspaceId: WorkspaceId, chatIds: readonly string[]): Promise<Map<string, string[]>> {
      const byChat = new Map<string, string[]>();
      for (const chunk of powerOfTwoChunks([...new Set(chatIds)])) {
        const rows = await db
          .selectFrom('chat_labels')
          .innerJoin('labels', 'labels.id', 'chat_labels.label_id')
          .select(['chat_labels.chat_id', 'chat_labels.label_id'])
          .where('chat_labels.workspace_id', '=', workspaceId)
          .where('chat_labels.chat_id', 'in', chunk)
          .orderBy('labels.position')
          .execute();
        for (const row of rows) byChat.set(row.chat_id, [...(byChat.get(row.chat_id) ?? []), row.label_id]);
      }
      return byChat;
    },

    /** Chats carrying a label, newest labelled first. */
    async chatsWith(workspaceId: WorkspaceId, labelId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('chat_labels')
        .select('chat_id')
        .where('workspace_id', '=', workspaceId)
        .where('label_id', '=', labelId)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map((r) => r.chat_id);
    },

    /** Replaces a chat's labels with these (ids already checked to be the workspace's). */
    async setForChat(
      workspaceId: WorkspaceId,
      chatId: string,
      labelIds: readonly string[],
      now: number,
    ): Promise<void> {
      await db
        .deleteFrom('chat_labels')
        .where('workspace_id', '=', workspaceId)
        .where('chat_id', '=', chatId)
        .execute();
      if (labelIds.length === 0) return;
      await db
        .insertInto('chat_labels')
        .values(
          [...new Set(labelIds)].map((labelId) => ({
            workspace_id: workspaceId,
            chat_id: chatId,
            label_id: labelId,
            created_at: now,
          })),
        )
        .execute();
    },
  };
}

function toLabel(row: Selectable<LabelsTable>): LabelRecord {
  return { id: row.id, name: row.name, color: row.color, position: row.position };
}
