import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';
import { keyedTable } from './keyed-table';
import { newMessageRow } from './messages';
import type { OutboundRow } from './pipeline-message-types';

/** The replies the sender records, so a chat's history shows them beside the customer's messages. */
export function pipelineOutbound(db: Kysely<Database>) {
  return {
    /**
     * The bot's (or the owner's) outgoing message in the chat history, written when its send starts:
     * Baileys asks for a sent message's text by id when the recipient's phone requests a retry. Its
     * provider id is the outbox id until the provider reports another. Written once per id.
     */
    async recordOutbound(workspaceId: WorkspaceId, message: OutboundRow, now: number): Promise<void> {
      await db
        .insertInto('messages')
        .values({
          ...newMessageRow(
            workspaceId,
            { ...message, contactId: null, direction: 'out', providerTs: null },
            now,
          ),
          chat_kind: null,
        })
        // Any conflict, not only messages.insert's (number, provider id): a Cloud API row resent after a
        // crash still has our id but already carries Meta's id (attachProviderId), so it meets the row on
        // its primary key instead, and must stay as it is.
        .onConflict((oc) => oc.doNothing())
        .execute();
    },

    /** The send went through: the provider's id (acks refer to it) and 'sent', unless an ack got there first. */
    async markOutboundSent(
      workspaceId: WorkspaceId,
      id: string,
      providerMessageId: string,
      now: number,
    ): Promise<void> {
      await keyedTable(db, 'messages').update(
        { workspace_id: workspaceId, id },
        {
          provider_message_id: providerMessageId,
          status: (eb) =>
            eb.case().when('status', 'in', ['queued', 'sending']).then('sent').else(eb.ref('status')).end(),
          updated_at: now,
        },
      );
    },

    /** Applies a delivery ack to the message with that provider id, never moving it backwards. */
    /**
     * The provider's own id for an outbound message we recorded under our id (Cloud API: Meta assigns
     * the id), so its statuses find it. Only replaces our placeholder, never another provider id.
     */
    async attachProviderId(
      workspaceId: WorkspaceId,
      id: string,
      providerMessageId: string,
      now: number,
    ): Promise<boolean> {
      const attached = await keyedTable(db, 'messages').update(
        { workspace_id: workspaceId, id },
        { provider_message_id: providerMessageId, updated_at: now },
        (eb) => eb('provider_message_id', '=', id),
      );
      return attached > 0;
    },
  };
}
