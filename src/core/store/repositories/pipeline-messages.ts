import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';
import { resolveContacts } from './batch-contacts';
import { powerOfTwoChunks } from './chunks';
import { pipelineOutbound } from './pipeline-outbound';
import { pipelineStatuses, pipelineUndecided } from './pipeline-message-status';
import type { InboundRow, IngestOutcome } from './pipeline-message-types';

export * from './pipeline-message-types';

/**
 * The pipeline's writes to `messages` and `contacts`. The per-row repositories compile one kysely
 * query per row; a burst of inbound messages goes through here instead, a few multi-row statements per
 * batch (toolchain.md: ~70-75% of raw speed against ~19% for single-row inserts). Also the outbound
 * rows the sender records, so a chat's history shows the bot's replies next to the customer's messages.
 */

export type PipelineMessageRepository = ReturnType<typeof createPipelineMessageRepository>;

/** The pipeline's message rows: inbound batches, their statuses and decisions, and outbound replies. */
export function createPipelineMessageRepository(db: Kysely<Database>) {
  return {
    ...pipelineIngest(db),
    ...pipelineStatuses(db),
    ...pipelineUndecided(db),
    ...pipelineOutbound(db),
  };
}

/** Inbound batches: each message once, its sender resolved to one contact. */
export function pipelineIngest(db: Kysely<Database>) {
  return {
    /**
     * Stores inbound messages once each and upserts their senders. The unique (workspace, number,
     * provider id) key drops redeliveries, including two copies inside the same batch; `inserted` says
     * which rows are new. Call inside `store.transaction` so messages and contacts commit together.
     */
    async ingest(
      workspaceId: WorkspaceId,
      rows: readonly InboundRow[],
      newContactId: () => string,
      now: number,
    ): Promise<IngestOutcome[]> {
      if (rows.length === 0) return [];
      const contactIds = await resolveContacts(
        db,
        workspaceId,
        rows.map((r) => r.sender),
        newContactId,
        now,
      );
      const inserted = new Set<string>();
      const contactOf = new Map(rows.map((r, i) => [r.id, contactIds[i] ?? null]));
      // 14 columns x 128 rows = 1,792 parameters, well under SQLite's 32,766.
      for (const chunk of powerOfTwoChunks(rows)) {
        const values = chunk.map((r) => ({
          id: r.id,
          workspace_id: workspaceId,
          business_number: r.businessNumber,
          provider_message_id: r.providerMessageId,
          chat_id: r.chatId,
          contact_id: contactOf.get(r.id) ?? null,
          direction: 'in',
          author: 'contact',
          text: r.text,
          status: 'received',
          provider_ts: r.providerTs,
          created_at: now,
          updated_at: now,
          chat_kind: r.chatKind,
        }));
        const result = await db
          .insertInto('messages')
          .values(values)
          .onConflict((oc) =>
            oc.columns(['workspace_id', 'business_number', 'provider_message_id']).doNothing(),
          )
          .returning('id')
          .execute();
        for (const { id } of result) inserted.add(id);
      }
      return rows.map((r, i) => ({
        id: r.id,
        inserted: inserted.has(r.id),
        contactId: contactIds[i] ?? null,
      }));
    },
  };
}
