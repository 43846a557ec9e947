import type { Kysely } from 'kysely';
import type { E164, WorkspaceId } from '../../shared/types';
import type { Database } from '../store/schema';

/**
 * WhatsApp's 24-hour customer service window (cloud-api-notes.md): it opens, or refreshes, each time
 * the customer writes; inside it any message may be sent, outside it only an approved template. On the
 * Cloud API Meta enforces it (error 131047); the bot only ever answers inbound messages, so it is always
 * inside, but an owner's reply typed a day later is not, and the app must say so before sending.
 * Baileys numbers have no such window.
 */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export const WINDOW_CLOSED_MESSAGE =
  'This customer last wrote more than 24 hours ago: WhatsApp only allows a template now. ' +
  'Send one of your approved templates instead.';

export interface ServiceWindow {
  /** When the customer last wrote to this number (their message's own time), or null if never. */
  lastInboundAt: number | null;
  /** lastInboundAt + 24 h; null when the customer never wrote (closed). */
  closesAt: number | null;
  open: boolean;
}

/** The window at `now`, from the time the customer last wrote. Pure. */
export function serviceWindowAt(lastInboundAt: number | null, now: number): ServiceWindow {
  if (lastInboundAt === null) return { lastInboundAt: null, closesAt: null, open: false };
  const closesAt = lastInboundAt + SERVICE_WINDOW_MS;
  return { lastInboundAt, closesAt, open: now < closesAt };
}

export type ServiceWindowRepository = ReturnType<typeof createServiceWindowRepository>;

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
