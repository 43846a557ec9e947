import type { E164, MessageStatus, WorkspaceId } from '../../shared/types';
import { assertNever } from '../errors';
import type { Logger } from '../log/logger';
import type { Store } from '../store/open-database';
import { createOutboxRepository, type OutboxRow } from '../store/repositories/outbox';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import type { DeliveryAck, DeliveryStatus } from '../whatsapp/provider';

export interface DeliveryAcks {
  /** WhatsApp said what became of a message we sent: the outbox row and the thread's ticks follow. */
  handle(connectionWorkspaceId: WorkspaceId, ack: DeliveryAck): Promise<void>;
}

export function createDeliveryAcks(deps: {
  store: Store;
  logger: Logger;
  now: () => number;
  ownerOf: (number: E164) => Promise<WorkspaceId | undefined>;
  onActivity: (workspaceId: WorkspaceId, chatId: string) => void;
}): DeliveryAcks {
  const outbox = createOutboxRepository(deps.store.db);
  const messages = createPipelineMessageRepository(deps.store.db);

  async function settleRow(workspaceId: WorkspaceId, row: OutboxRow, ack: DeliveryAck, t: number) {
    const status = ackStatus(ack.status);
    const unfinished = row.status === 'queued' || row.status === 'sending';
    // A reply whose send went out just before a crash is known from its ack: no need to send it again.
    if (unfinished && status !== 'failed') {
      await outbox.markSent(workspaceId, row.id, ack.providerMessageId, t);
    } else if (unfinished && row.status === 'sending' && ack.clientMessageId != null) {
      // Meta took the send and then failed it: sending it again would fail the same way.
      await outbox.markFailed(workspaceId, row.id, ack.error?.message ?? 'failed after it was sent', t);
    } else if (status === 'failed') {
      // Delivered to WhatsApp, then refused: the thread says why beside the Retry.
      await outbox.noteFailure(workspaceId, row.id, ack.error?.message ?? 'WhatsApp did not deliver it', t);
    }
    if (ack.providerMessageId !== row.id) {
      await messages.attachProviderId(workspaceId, row.id, ack.providerMessageId, t);
    }
  }

  return {
    async handle(connectionWorkspaceId, ack) {
      const workspaceId = (await deps.ownerOf(ack.businessNumber)) ?? connectionWorkspaceId;
      const t = deps.now();
      // Our own id names the outbox row: it is the message id for Baileys, and travels beside Meta's id
      // (biz_opaque_callback_data) for the Cloud API, where a status can come before the send's answer
      // recorded Meta's id, or after a crash cut the send off.
      const row = await outbox.get(workspaceId, ack.clientMessageId ?? ack.providerMessageId);
      if (row !== undefined) await settleRow(workspaceId, row, ack, t);
      const changed = await messages.advanceStatus(
        workspaceId,
        ack.businessNumber,
        ack.providerMessageId,
        ackStatus(ack.status),
        t,
      );
      deps.logger
        .child({ workspaceId })
        .log(
          ack.status === 'failed' ? 'warn' : 'debug',
          'message.ack',
          `${ack.status}: ${ack.providerMessageId}`,
          {
            providerMessageId: ack.providerMessageId,
            chatId: ack.chatId,
            status: ack.status,
            applied: changed,
            ...(ack.error !== null && { error: ack.error }),
          },
        );
      // The thread's ticks move on (sent, delivered, read, failed).
      if (changed) deps.onActivity(workspaceId, row?.chatId ?? ack.chatId);
    },
  };
}

function ackStatus(status: DeliveryStatus): MessageStatus {
  switch (status) {
    case 'sent':
    case 'delivered':
    case 'read':
    case 'failed':
      return status;
    default:
      return assertNever(status, 'delivery status');
  }
}
