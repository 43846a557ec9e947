import type { WorkspaceSettings } from '../../shared/settings';
import { createConversationRepository } from '../store/repositories/conversations';
import { createOutboxRepository, type PendingOutboxRow } from '../store/repositories/outbox';
import type { SenderContext } from './sender-context';

/**
 * A bot reply still queued past the stale limit is decided again: a 13-hour-late "we open at 8am"
 * reads as a machine that was not listening, so it is cancelled with the chat's other queued bot
 * replies, and the chat goes to a person. A row already 'sending' may have gone out: it is finished.
 */
export async function cancelStaleReply(
  c: SenderContext,
  row: PendingOutboxRow,
  settings: WorkspaceSettings,
  now: number,
): Promise<boolean> {
  const { o, log } = c;
  const staleMs = settings.handoff.staleAfterHours * 3_600_000;
  if (staleMs <= 0 || row.kind === 'owner' || row.status !== 'queued' || now - row.createdAt <= staleMs) {
    return false;
  }
  const reason = 'reply-stale';
  const { cancelled, waiting } = await o.store.transaction(async (trx) => {
    const cancelled = await createOutboxRepository(trx).cancelQueuedBotReplies(
      o.workspaceId,
      o.businessNumber,
      row.chatId,
      `cancelled: waited ${Math.round((now - row.createdAt) / 3_600_000)} h to be sent`,
      now,
    );
    const waiting = await createConversationRepository(trx).markWaiting(
      o.workspaceId,
      o.businessNumber,
      row.chatId,
      reason,
      now,
      true,
    );
    return { cancelled, waiting };
  });
  log.warn(
    'outbox.stale',
    `A reply to ${row.chatId} waited ${Math.round((now - row.createdAt) / 60_000)} min to be sent; ` +
      `it was not sent and the chat goes to a person`,
    { outboxId: row.id, chatId: row.chatId, cancelled, queuedAt: row.createdAt },
  );
  o.onStale?.(row, cancelled, waiting);
  return true;
}

/**
 * Cloud API only: a row cut short while 'sending' waits for Meta's status of that attempt before it is
 * sent again (Meta gives each send a new id). True when the row was put off for that reason.
 */
export async function awaitCutShortStatus(
  c: SenderContext,
  head: PendingOutboxRow,
  providerKind: string,
  now: number,
): Promise<boolean> {
  const until = head.updatedAt + c.reconcileMs;
  if (head.status !== 'sending' || providerKind !== 'cloud-api' || now >= until) return false;
  await c.outbox.reschedule(
    c.o.workspaceId,
    head.id,
    {
      attempts: head.attempts,
      nextAttemptAt: until,
      lastError: "waiting for Meta's status of an attempt that was cut short",
    },
    now,
  );
  c.log.info(
    'outbox.reconciling',
    `Reply ${head.id} may have gone out before a restart; waiting for its status`,
    { outboxId: head.id, chatId: head.chatId, until },
  );
  return true;
}
