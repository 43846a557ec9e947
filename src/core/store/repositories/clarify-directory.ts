import type { Kysely } from 'kysely';
import type { E164, WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';

export interface DueClarification {
  workspaceId: WorkspaceId;
  businessNumber: E164;
  chatId: string;
}

/**
 * Clarifying questions across every workspace of the machine, by expiry: the pipeline's one timer hands
 * the unanswered ones to a person. Cross-workspace by design (like the number directory): it only
 * names chats; each is then read and changed through its own workspace.
 */
export function createClarifyDirectory(db: Kysely<Database>) {
  return {
    async due(now: number, limit = 100): Promise<DueClarification[]> {
      const rows = await db
        .selectFrom('conversations')
        .select(['workspace_id', 'business_number', 'chat_id'])
        .where('clarify_expires_at', 'is not', null)
        .where('clarify_expires_at', '<=', now)
        .orderBy('clarify_expires_at')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        workspaceId: r.workspace_id as WorkspaceId,
        businessNumber: r.business_number as E164,
        chatId: r.chat_id,
      }));
    },

    /** When the next clarifying question runs out; null when none is pending. */
    async next(): Promise<number | null> {
      const row = await db
        .selectFrom('conversations')
        .select((eb) => eb.fn.min('clarify_expires_at').as('at'))
        .where('clarify_expires_at', 'is not', null)
        .executeTakeFirst();
      return row?.at ?? null;
    },
  };
}
