import type { Kysely } from 'kysely';
import type { E164, WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';

export type ServiceWindowRepository = ReturnType<typeof createServiceWindowRepository>;

/** When each chat's 24-hour service window was last opened (pipeline/service-window.ts says what it is). */
export function createServiceWindowRepository(db: Kysely<Database>) {
  return {
    /**
     * When the customer last wrote in `chatId` to `businessNumber`: the newest inbound message's own
     * time (Meta's timestamp), or when it was stored if the provider gave none. Per receiving number:
     * the window of a Cloud number is opened by messages to that number only.
     */
    async lastInboundAt(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      chatId: string,
    ): Promise<number | null> {
      const row = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.max(eb.fn.coalesce('provider_ts', 'created_at')).as('at'))
        .where('workspace_id', '=', workspaceId)
        .where('business_number', '=', businessNumber)
        .where('chat_id', '=', chatId)
        .where('direction', '=', 'in')
        .executeTakeFirst();
      const at = row?.at;
      return at === null || at === undefined ? null : Number(at);
    },
  };
}
