import type { IngestResponse } from '../../shared/sync-protocol';
import type { SyncStateRow } from '../store/repositories/sync-state';
import { assertNever } from '../errors';
import { backoffDelay } from './backoff';
import type { Batch } from './batch';
import type { PushContext } from './push-context';

/** What the pusher does with each answer: wait for more, push on, retry, shrink, or stop and ask. */

export function goIdle(ctx: PushContext): void {
  ctx.loop.clearNextAttempt();
  const catchUp = ctx.catchUp;
  if (catchUp !== null) {
    ctx.log.info('sync.caught_up', `Caught up: ${catchUp.done} waiting events reached the central server`, {
      events: catchUp.done,
      durationMs: ctx.timers.now() - catchUp.startedAt,
    });
    ctx.catchUp = null;
  }
  ctx.loop.setPhase('idle');
  ctx.loop.schedule(ctx.idlePollMs);
}

/** A bug or a closed database: back off like any failure. */
export function failedUnexpectedly(ctx: PushContext, error: unknown): void {
  const delay = backoffDelay(ctx.streak.bump(), ctx.random, ctx.policy);
  ctx.machineLog.error('sync.failed', `Pushing failed unexpectedly; trying again in ${delay} ms`, {
    error,
    retryInMs: delay,
  });
  ctx.loop.retryIn(delay);
}

export async function acked(
  ctx: PushContext,
  row: SyncStateRow,
  batch: Batch,
  response: IngestResponse,
  lastSeq: number,
  gzipBytes: number,
): Promise<void> {
  const { workspaceId, repo } = ctx;
  const now = ctx.timers.now();
  const ackedSeq = response.ackedSeq;
  if (ackedSeq < batch.events[0]!.seq) return ackedTooLittle(ctx, row, batch, response);
  const saved = await repo.recordAck(workspaceId, row.enrolledAt, ackedSeq, now);
  if (!saved) {
    // Left or enrolled again while the request was out: this answer belongs to the old enrollment.
    ctx.machineLog.debug(
      'sync.pushed',
      'An upload finished after the enrollment changed; its answer is dropped',
      {
        ackedSeq,
      },
    );
    return;
  }
  ctx.sizer.acked(ackedSeq);
  if (ctx.streak.succeed()) {
    ctx.log.info('sync.recovered', 'The central server is receiving events again', { ackedSeq });
  }
  const backlog = await ctx.counter.update(ackedSeq, lastSeq);
  const pushed = batch.events.filter((e) => e.seq <= ackedSeq).length;
  if (ctx.catchUp === null && backlog >= ctx.maxEvents) ctx.catchUp = { startedAt: now, done: 0 };
  if (ctx.catchUp !== null) ctx.catchUp.done += pushed;
  ctx.machineLog.debug('sync.pushed', `Pushed ${batch.events.length} events of workspace ${workspaceId}`, {
    events: batch.events.length,
    stored: response.stored,
    duplicates: response.duplicates,
    ackedSeq,
    jsonBytes: batch.bytes,
    gzipBytes,
    backlog,
  });
  if (backlog > 0 || batch.full) {
    ctx.loop.clearNextAttempt();
    ctx.onChange(false);
    ctx.loop.schedule(ctx.batchGapMs);
    return;
  }
  ctx.onChange(false);
  goIdle(ctx);
}

/**
 * The server kept none of what was sent, or has less than it acknowledged before (restored from a
 * backup). Resume from what it says it has, but never in a tight loop.
 */
async function ackedTooLittle(
  ctx: PushContext,
  row: SyncStateRow,
  batch: Batch,
  response: IngestResponse,
): Promise<void> {
  const { ackedSeq } = response;
  const firstSent = batch.events[0]!.seq;
  const lastSent = batch.events.at(-1)!.seq;
  if (ackedSeq < row.lastAckedSeq) {
    await ctx.repo.recordAck(ctx.workspaceId, row.enrolledAt, ackedSeq, ctx.timers.now());
    ctx.reader.forget();
    ctx.counter.reset();
  }
  await failed(
    ctx,
    row,
    `The central server accepted the upload but confirmed only events up to ${ackedSeq} ` +
      `(sent ${firstSent}-${lastSent}). Switchboard sends them again after a pause.`,
    { ackedSeq, previousAckedSeq: row.lastAckedSeq, firstSent, lastSent, stored: response.stored },
    null,
    'sync.ack_anomaly',
  );
}

/** The server refused `batch` (or keeps failing on it): halve it, then send its one event as a placeholder. */
export async function rejected(
  ctx: PushContext,
  row: SyncStateRow,
  batch: Batch,
  status: number,
  serverMessage: string,
  how: 'refused' | 'repeated' = 'refused',
): Promise<void> {
  const what = how === 'refused' ? 'refused' : 'keeps failing on';
  const refusal = ctx.sizer.refuse(batch, serverMessage);
  switch (refusal.kind) {
    case 'halved':
      ctx.log.warn(
        'sync.batch_shrunk',
        `The central server ${what} a batch of ${batch.events.length} events (HTTP ${status}: ${serverMessage}); ` +
          `sending ${refusal.limit} at a time`,
        {
          status,
          serverMessage,
          events: batch.events.length,
          firstSeq: batch.events[0]!.seq,
          lastSeq: batch.events.at(-1)!.seq,
        },
      );
      // Halving ends at one event within ten steps: a short pause each, not an escalating backoff.
      return ctx.loop.retryIn(backoffDelay(1, ctx.random, ctx.policy));
    case 'withheld':
      ctx.log.warn(
        'sync.event_withheld',
        `The central server ${what} event ${refusal.seq} (HTTP ${status}: ${serverMessage}); a placeholder is sent in its place`,
        { status, serverMessage, seq: refusal.seq },
      );
      return ctx.loop.retryIn(backoffDelay(1, ctx.random, ctx.policy));
    case 'exhausted':
      // Even the placeholder is refused: the request itself is wrong (a protocol mismatch). Back off.
      return failed(
        ctx,
        row,
        `The central server refuses this computer's uploads (HTTP ${status}: ${serverMessage}). Updating ` +
          'Switchboard may be needed; tell your administrator.',
        { status, serverMessage, seq: refusal.seq },
        null,
      );
    default:
      return assertNever(refusal, 'refusal');
  }
}

export async function failed(
  ctx: PushContext,
  row: SyncStateRow,
  message: string,
  meta: Record<string, unknown>,
  retryAfterMs: number | null,
  type: 'sync.failed' | 'sync.ack_anomaly' = 'sync.failed',
): Promise<void> {
  const attempt = ctx.streak.bump();
  const delay = retryAfterMs ?? backoffDelay(attempt, ctx.random, ctx.policy);
  await ctx.repo.recordError(ctx.workspaceId, row.enrolledAt, message, ctx.timers.now());
  const logMeta = { ...meta, attempt, retryInMs: delay };
  // The same failure again: the streak is already in the workspace's log once.
  if (ctx.streak.note(message)) ctx.log.warn(type, message, logMeta);
  else ctx.machineLog.debug(type, message, logMeta);
  if (retryAfterMs !== null) {
    ctx.machineLog.debug('sync.retry_after', `Waiting ${delay} ms as the central server asked`, {
      retryInMs: delay,
    });
  }
  ctx.loop.retryIn(delay);
}

export async function needsAttention(
  ctx: PushContext,
  row: SyncStateRow,
  message: string,
  meta: Record<string, unknown>,
): Promise<void> {
  await ctx.repo.markNeedsAttention(ctx.workspaceId, row.enrolledAt, message, ctx.timers.now());
  ctx.log.warn('sync.needs_attention', message, meta);
  ctx.loop.clearNextAttempt();
  ctx.catchUp = null;
  ctx.loop.setPhase('needs-attention');
  ctx.onChange(true);
}
