import type { E164 } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import { createBoundedCache } from '../bounded-cache';
import type { ProviderEvents } from '../provider';
import type { WebhookOutcome } from './cloud-api-types';
import { mapNotification, type WebhookNotification } from './webhook';

/**
 * A verified notification -> 'message' and 'ack' events for one number. Meta redelivers: an id (or id
 * + status) seen lately is dropped here.
 */
export function createWebhookIntake(deps: {
  businessNumber: E164;
  phoneNumberId: string;
  log: Logger;
  emit: <K extends keyof ProviderEvents>(event: K, payload: ProviderEvents[K]) => void;
  lastInbound: { set(chatId: string, id: string): void };
}): (notification: WebhookNotification) => WebhookOutcome {
  const { log, emit } = deps;
  const seen = createBoundedCache<true>(10_000);
  /** True the first time `key` is seen lately. */
  const firstTime = (key: string): boolean => {
    if (seen.has(key)) return false;
    seen.set(key, true);
    return true;
  };

  return (notification) => {
    const mapped = mapNotification(notification, {
      numberFor: (id) => (id === deps.phoneNumberId ? deps.businessNumber : undefined),
    });
    const outcome: WebhookOutcome = {
      messages: 0,
      acks: 0,
      duplicates: 0,
      otherNumbers: mapped.unknown.length,
      skipped: mapped.skipped.length,
    };
    for (const message of mapped.messages) {
      if (!firstTime(`m:${message.providerMessageId}`)) {
        outcome.duplicates++;
        continue;
      }
      deps.lastInbound.set(message.chatId, message.providerMessageId);
      outcome.messages++;
      emit('message', message);
    }
    for (const ack of mapped.acks) {
      if (!firstTime(`a:${ack.providerMessageId}:${ack.status}`)) {
        outcome.duplicates++;
        continue;
      }
      outcome.acks++;
      emit('ack', ack);
    }
    for (const skipped of mapped.skipped)
      log.debug('cloud.webhook_skipped', skipped.reason, { id: skipped.id });
    log.debug('cloud.webhook', `Webhook: ${outcome.messages} message(s), ${outcome.acks} status(es)`, {
      ...outcome,
    });
    return outcome;
  };
}
