import type { WorkspaceSettings } from '../../shared/settings';
import type { PendingOutboxRow } from '../store/repositories/outbox';
import { retryDelayMs } from './pacing';
import { classifySendError, errorText } from './send-errors';
import type { SenderContext } from './sender-context';

/**
 * Records a failed attempt: not connected (the row waits, the attempt not counted), given up
 * (permanent or out of attempts) or rescheduled with a growing delay. Returns false when the
 * number turned out not to be connected.
 */
export async function recordSendFailure(
  c: SenderContext,
  row: PendingOutboxRow,
  attempt: number,
  error: unknown,
  pacing: WorkspaceSettings['pacing'],
): Promise<boolean> {
  const { o, log, outbox } = c;
  const now = o.timers.now();
  const text = errorText(error);
  const kind = classifySendError(error);
  const meta = { outboxId: row.id, chatId: row.chatId, kind: row.kind, attempt, error: text, class: kind };
  if (kind === 'not-connected') {
    // Not the message's fault: the attempt is not counted and the row goes out as soon as the number is back.
    await outbox.reschedule(
      o.workspaceId,
      row.id,
      { attempts: row.attempts, nextAttemptAt: now, lastError: text },
      now,
    );
    log.warn('message.failed', `${o.businessNumber} is not connected; the reply waits in the outbox`, {
      ...meta,
      willRetry: true,
    });
    return false;
  }
  if (kind === 'permanent' || attempt >= pacing.maxAttempts) {
    await outbox.markFailed(o.workspaceId, row.id, text, now);
    await c.messages.advanceStatus(o.workspaceId, row.businessNumber, row.id, 'failed', now);
    log.error('message.failed', `Reply to ${row.chatId} given up after ${attempt} attempt(s): ${text}`, {
      ...meta,
      willRetry: false,
    });
    o.onFailed?.(row, text);
    return true;
  }
  const delay = retryDelayMs(attempt, pacing, o.random);
  await outbox.reschedule(
    o.workspaceId,
    row.id,
    { attempts: attempt, nextAttemptAt: now + delay, lastError: text },
    now,
  );
  log.warn('message.failed', `Reply to ${row.chatId} failed (attempt ${attempt}); retrying in ${delay} ms`, {
    ...meta,
    willRetry: true,
    retryInMs: delay,
  });
  return true;
}
