import type { RelayNotification } from '../../../shared/relay-protocol';
import type { WorkspaceId } from '../../../shared/types';
import type { IdGenerator } from '../../ids';
import type { Logger } from '../../log/logger';
import type { UnroutableMessageStore } from '../../store/repositories/unroutable-message-store';
import type { Timers } from '../../timers';
import type { RelayStatusBoard } from './relay-status';
import { storeUnroutable } from './unroutable-from-webhook';
import { notificationSchema } from './webhook-schema';

export interface RelayUnroutableOptions {
  unroutableStore: UnroutableMessageStore;
  newId: IdGenerator;
  timers: Timers;
  log: Logger;
  board: RelayStatusBoard;
}

/**
 * A notification that can never be delivered here: its customers' messages are stored in
 * `unroutable_messages` (once: a redelivery finds them there) and it is logged with what it carried,
 * never silently. Throws when the store fails: then it is not acknowledged and comes again.
 */
export async function keepUnroutable(
  options: RelayUnroutableOptions,
  workspaceId: WorkspaceId,
  item: RelayNotification,
  reason: string,
): Promise<void> {
  const parsed = notificationSchema.safeParse(item.notification);
  const stored = parsed.success
    ? await storeUnroutable(options.unroutableStore, parsed.data, new Set([item.phoneNumberId]), {
        newId: options.newId,
        now: options.timers.now(),
      })
    : undefined;
  const rows = stored?.rows ?? [];
  const notKept = stored?.notKept ?? [];
  const value = changeValueOf(item.notification);
  const { kept, repeats } = stored?.kept() ?? { kept: 0, repeats: 0 };
  const lost = notKept.reduce((sum, n) => sum + n.messages, 0);
  const meta = {
    seq: item.seq,
    phoneNumberId: item.phoneNumberId,
    receivedAt: item.receivedAt,
    reason,
    messages: value.messages,
    statuses: value.statuses,
    kept,
    repeats,
    providerMessageIds: rows.map((r) => r.providerMessageId),
  };
  // In the workspace's own log, so the owner sees it on the Logs screen.
  const wsLog = options.log.child({ workspaceId });
  const text =
    `Webhook ${item.seq} for phone_number_id ${item.phoneNumberId} kept as unroutable ` +
    `(${kept} customer message${kept === 1 ? '' : 's'} kept unanswered` +
    `${repeats > 0 ? `, ${repeats} already kept` : ''}` +
    `${value.statuses > 0 ? `, ${value.statuses} status${value.statuses === 1 ? '' : 'es'} left out` : ''}): ${reason}`;
  if (kept > 0) wsLog.warn('cloud.relay_unroutable', text, meta);
  else wsLog.info('cloud.relay_unroutable', text, meta);
  if (lost > 0)
    wsLog.error(
      'cloud.relay_unroutable_unkept',
      `Webhook ${item.seq} for phone_number_id ${item.phoneNumberId}: ${lost} message${lost === 1 ? '' : 's'} could not be kept (Meta's display number is not a phone number)`,
      { seq: item.seq, phoneNumberId: item.phoneNumberId, messages: lost },
    );
  options.board.keptUnroutable(workspaceId, item.phoneNumberId, reason, kept);
}

/** How many messages and statuses a relayed notification carried (for the record of an unroutable one). */
export function changeValueOf(notification: unknown): { messages: number; statuses: number } {
  const parsed = notificationSchema.safeParse(notification);
  if (!parsed.success) return { messages: 0, statuses: 0 };
  let messages = 0;
  let statuses = 0;
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      const value = (change.value ?? {}) as { messages?: unknown; statuses?: unknown };
      messages += Array.isArray(value.messages) ? value.messages.length : 0;
      statuses += Array.isArray(value.statuses) ? value.statuses.length : 0;
    }
  }
  return { messages, statuses };
}
