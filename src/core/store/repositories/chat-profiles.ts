import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';
import { powerOfTwoChunks } from './chunks';

export interface ChatProfile {
  /** The owner's name for the customer; null: WhatsApp's name is shown. */
  name: string | null;
  notes: string;
  updatedAt: number;
}

/** What the owner keeps about a customer per chat (migration 0015): a chosen name and private notes. */
export function createChatProfileRepository(db: Kysely<Database>) {
  const repo = {
    async get(workspaceId: WorkspaceId, chatId: string): Promise<ChatProfile | undefined> {
      return (await repo.ofChats(workspaceId, [chatId])).get(chatId);
    },

    async ofChats(workspaceId: WorkspaceId, chatIds: readonly string[]): Promise<Map<string, ChatProfile>> {
      const profiles = new Map<string, ChatProfile>();
      for (const chunk of powerOfTwoChunks([...new Set(chatIds)])) {
        const rows = await db
          .selectFrom('chat_profiles')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .where('chat_id', 'in', chunk)
          .execute();
        for (const r of rows)
          profiles.set(r.chat_id, { name: r.name, notes: r.notes, updatedAt: r.updated_at });
      }
      return profiles;
    },

    /** Chats the owner named, with the name (search by name looks here too). */
    async named(workspaceId: WorkspaceId): Promise<{ chatId: string; name: string }[]> {
      const rows = await db
        .selectFrom('chat_profiles')
        .select(['chat_id', 'name'])
        .where('workspace_id', '=', workspaceId)
        .where('name', 'is not', null)
        .execute();
      return rows.map((r) => ({ chatId: r.chat_id, name: r.name! }));
    },

    /** Writes the fields given; the others keep their value. */
    async save(
      workspaceId: WorkspaceId,
      chatId: string,
      patch: { name?: string | null; notes?: string },
      now: number,
    ): Promise<void> {
      await db
        .insertInto('chat_profiles')
        .values({
          workspace_id: workspaceId,
          chat_id: chatId,
          name: patch.name ?? null,
          notes: patch.notes ?? '',
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'chat_id']).doUpdateSet({
            ...(patch.name !== undefined && { name: patch.name }),
            ...(patch.notes !== undefined && { notes: patch.notes }),
            updated_at: now,
          }),
        )
        .execute();
    },
  };
  return repo;
}
