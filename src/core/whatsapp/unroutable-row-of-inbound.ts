import type { UnroutableMessage } from '../store/repositories/unroutable-message-store';
import type { InboundMessage } from './provider';

/**
 * A customer message no workspace takes, as an `unroutable_messages` row: kept, never answered. One
 * shape for every way such a message arrives (the pipeline's router, the relay, the host's webhooks).
 */
export function unroutableRow(message: InboundMessage, id: string, receivedAt: number): UnroutableMessage {
  return {
    id,
    businessNumber: message.businessNumber,
    providerMessageId: message.providerMessageId,
    chatId: message.chatId,
    senderWaId: message.sender.waId,
    senderPhone: message.sender.phone,
    senderName: message.sender.name,
    text: message.text,
    providerTs: message.timestamp,
    receivedAt,
  };
}
