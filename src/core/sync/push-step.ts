import { assertNever } from '../errors';
import type { SyncStateRow } from '../store/repositories/sync-state';
import type { Batch } from './batch';
import { POISON_AFTER } from './batch-sizer';
import { classifyIngestResponse, refusedKeyMessage, type IngestOutcome } from './ingest-outcome';
import type { PushContext } from './push-context';
import { acked, failed, goIdle, needsAttention, rejected } from './push-reactions';
import { SyncNetworkError, type SyncHttpResponse } from './transport';

/**
 * One turn of the push loop: read the events after the last acknowledged seq, send them as one gzip
 * batch, and hand the answer to the reaction it calls for.
 */
export async function pushStep(ctx: PushContext): Promise<void> {
  const row = await ctx.repo.get(ctx.workspaceId);
  if (ctx.loop.stopped) return;
  if (row === undefined) return ctx.loop.setPhase('stopped');
  if (row.state !== 'active') return ctx.loop.setPhase('needs-attention');
  const token = await openToken(ctx, row);
  if (token === null) return;

  const lastSeq = await ctx.lastSeq();
  const from = ctx.reader.startAfter(row);
  if (lastSeq <= from) {
    ctx.counter.markEmpty(row.lastAckedSeq, lastSeq);
    return goIdle(ctx);
  }
  const prepared = await ctx.reader.read(row, from, lastSeq, ctx.sizer.limit, ctx.sizer.withheld);
  if (ctx.loop.stopped) return;
  if (prepared === null) return goIdle(ctx);
  const { batch, body, backlogBefore } = prepared;
  const catchingUp = ctx.catchUp !== null || backlogBefore > ctx.maxEvents;
  ctx.loop.setPhase(catchingUp ? 'catching-up' : 'pushing');

  const response = await send(ctx, row, token, body);
  if (response === null || ctx.loop.stopped) return;
  const outcome = classifyIngestResponse(response, ctx.timers.now());
  return react(ctx, row, batch, outcome, lastSeq, body.length);
}

/** The stored key to the central server, or null (the workspace then needs attention). */
async function openToken(ctx: PushContext, row: SyncStateRow): Promise<string | null> {
  try {
    return ctx.secrets.open(row.tokenSealed);
  } catch (error) {
    await needsAttention(
      ctx,
      row,
      `This computer could not read its stored key for the central server (${(error as Error).message}). ` +
        'Enroll again with a new code from your administrator.',
      { error },
    );
    return null;
  }
}

/** The server's answer, or null when none came (the failure is handled). */
async function send(
  ctx: PushContext,
  row: SyncStateRow,
  token: string,
  body: Buffer,
): Promise<SyncHttpResponse | null> {
  try {
    return await ctx.request.post(row.serverUrl, token, body);
  } catch (error) {
    if (ctx.loop.stopped) return null;
    const reason = error instanceof SyncNetworkError ? error.message : (error as Error).message;
    await failed(
      ctx,
      row,
      `Could not reach the central server: ${reason}. The events wait on this computer and go out when ` +
        "it can be reached again; check this computer's internet connection if this lasts.",
      { status: null, reason },
      null,
    );
    return null;
  }
}

function react(
  ctx: PushContext,
  row: SyncStateRow,
  batch: Batch,
  outcome: IngestOutcome,
  lastSeq: number,
  gzipBytes: number,
): Promise<void> {
  switch (outcome.kind) {
    case 'acked':
      return acked(ctx, row, batch, outcome.response, lastSeq, gzipBytes);
    case 'unauthorized':
      return needsAttention(ctx, row, refusedKeyMessage(outcome.status, outcome.message), {
        status: outcome.status,
        serverMessage: outcome.message,
      });
    case 'rejected':
      return rejected(ctx, row, batch, outcome.status, outcome.message);
    case 'wait':
      return failed(
        ctx,
        row,
        `The central server asked to wait (HTTP ${outcome.status}: ${outcome.message}). The events wait on ` +
          'this computer; Switchboard tries again by itself.',
        { status: outcome.status, serverMessage: outcome.message, retryAfterMs: outcome.retryAfterMs },
        outcome.retryAfterMs,
      );
    case 'failed':
      return serverFailed(ctx, row, batch, outcome.status, outcome.message);
    default:
      return assertNever(outcome, 'ingest outcome');
  }
}

function serverFailed(
  ctx: PushContext,
  row: SyncStateRow,
  batch: Batch,
  status: number,
  message: string,
): Promise<void> {
  if (ctx.sizer.isPoison(batch, status)) {
    // Each half gets the same few quick attempts, not the streak's long backoff.
    ctx.streak.restart();
    const why = `the same upload failed ${POISON_AFTER} times in a row: ${message}`;
    return rejected(ctx, row, batch, status, why, 'repeated');
  }
  return failed(
    ctx,
    row,
    status === 404
      ? `The central server at ${row.serverUrl} does not know the upload address (HTTP 404). Check the ` +
          'server address with your administrator, and enroll again if it changed.'
      : `The central server had a problem (HTTP ${status}: ${message}). The events wait ` +
          'on this computer; Switchboard tries again by itself.',
    { status, serverMessage: message },
    null,
  );
}
