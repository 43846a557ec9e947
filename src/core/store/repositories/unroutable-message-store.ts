import type { Kysely } from 'kysely';
import type { E164 } from '../../../shared/types';
import type { Database } from '../schema';
import { camelRow } from './row-fields';
import { powerOfTwoChunks } from './chunks';

export interface UnroutableMessage {
  id: string;
  businessNumber: E164;
  providerMessageId: string;
  chatId: string;
  senderWaId: string | null;
  senderPhone: string | null;
  senderName: string | null;
  text: string | null;
  providerTs: number | null;
  receivedAt: number;
}

export type UnroutableMessageStore = ReturnType<typeof createUnroutableMessageStore>;

/**
 * Machine-level by nature, like the number directory: these messages reached a number that no
 * workspace owns, so there is no workspace to scope them by. Kept so nothing a customer wrote is ever
 * silently dropped; only the machine's own screens read them.
 */
export function createUnroutableMessageStore(db: Kysely<Database>) {
  return {
    /** Keeps each message once (unique on number + provider id); returns the ids that were new. */
    async insertMany(rows: readonly UnroutableMessage[]): Promise<Set<string>> {
      const inserted = new Set<string>();
      for (const chunk of powerOfTwoChunks(rows)) {
        const result = await db
          .insertInto('unroutable_messages')
          .values(
            chunk.map((r) => ({
              id: r.id,
              business_number: r.businessNumber,
              provider_message_id: r.providerMessageId,
              chat_id: r.chatId,
              sender_wa_id: r.senderWaId,
              sender_phone: r.senderPhone,
              sender_name: r.senderName,
              text: r.text,
              provider_ts: r.providerTs,
              received_at: r.receivedAt,
            })),
          )
          .onConflict((oc) => oc.columns(['business_number', 'provider_message_id']).doNothing())
          .returning('id')
          .execute();
        for (const { id } of result) inserted.add(id);
      }
      return inserted;
    },

    async list(limit = 100): Promise<UnroutableMessage[]> {
      const rows = await db
        .selectFrom('unroutable_messages')
        .selectAll()
        .orderBy('received_at', 'desc')
        .orderBy('id')
        .limit(Math.min(limit, 1000))
        .execute();
      return rows.map((r) => ({ ...camelRow(r), businessNumber: r.business_number as E164 }));
    },
  };
}
