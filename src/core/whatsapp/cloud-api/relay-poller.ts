import { relayPollResponse } from '../../../shared/relay-protocol';
import type { WorkspaceId } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import { backoffDelay, type BackoffPolicy } from '../../sync/backoff';
import { describeNetworkError } from '../../sync/transport';
import type { Timers } from '../../timers';
import type { NoTarget, RelayConnection, RelayTarget } from './relay-connection';
import { deliver, releaseHeld, type RelayDeliveryContext } from './relay-delivery';
import type { RelayTurns } from './relay-turns';

/** What a workspace's poller works with. */
export interface RelayPollContext extends RelayDeliveryContext {
  connection: RelayConnection;
  turns: RelayTurns;
  timers: Timers;
  random: () => number;
  backoff: BackoffPolicy;
  waitSeconds: number;
  idleCheckMs: number;
  refusedRetryMs: number;
  stopping: AbortSignal;
}

/** One workspace's poller: where it has read to, and how many polls in a row failed. */
interface PollState {
  workspaceId: WorkspaceId;
  log: Logger;
  cursor: { key: string; after: number } | undefined;
  failures: number;
}

type Next = 'again' | 'stop';

/**
 * Long-polls the central server for the workspace's webhooks, delivers them and acknowledges them,
 * until the workspace leaves central sync or the relay stops.
 */
export async function pollWorkspace(ctx: RelayPollContext, workspaceId: WorkspaceId): Promise<void> {
  const state: PollState = {
    workspaceId,
    log: ctx.log.child({ workspaceId }),
    cursor: undefined,
    failures: 0,
  };
  while (!ctx.stopping.aborted) {
    if ((await pollOnce(ctx, state)) === 'stop') break;
  }
}

async function pollOnce(ctx: RelayPollContext, state: PollState): Promise<Next> {
  const { workspaceId } = state;
  const target = await ctx.connection.target(workspaceId).catch((error: unknown): NoTarget => ({
    left: false,
    problem: String(error),
  }));
  if ('left' in target) {
    if (target.left) return 'stop';
    ctx.board.set(workspaceId, 'refused', {
      problem: target.problem,
      nextRetryAt: ctx.timers.now() + ctx.idleCheckMs,
    });
    await ctx.connection.sleep(ctx.idleCheckMs);
    return 'again';
  }
  if (!(await hasCloudNumbers(ctx, workspaceId))) {
    // What was kept for a number since removed becomes unroutable (kept, never answered).
    await ctx.turns.inTurn(workspaceId, () => releaseHeld(ctx, workspaceId, new Map()));
    ctx.board.set(workspaceId, 'idle', { serverUrl: target.serverUrl });
    await ctx.connection.sleep(ctx.idleCheckMs);
    return 'again';
  }
  const key = `${target.serverUrl}|${target.centralWorkspaceId}`;
  if (state.cursor?.key !== key) state.cursor = { key, after: 0 };
  const before = ctx.board.get(workspaceId);
  if (before.state === 'not-enrolled' || before.state === 'idle' || before.serverUrl !== target.serverUrl)
    ctx.board.set(workspaceId, 'polling', { serverUrl: target.serverUrl });
  const url = `${target.serverUrl}/api/v1/relay?after=${state.cursor.after}&wait=${ctx.waitSeconds}`;
  let answer: { status: number; json: unknown };
  try {
    answer = await ctx.connection.request('GET', url, target.token, (ctx.waitSeconds + 15) * 1000);
  } catch (error) {
    if (ctx.stopping.aborted) return 'stop';
    await retry(ctx, state, describeNetworkError(error), { serverUrl: target.serverUrl }, target);
    return 'again';
  }
  await handleAnswer(ctx, state, target, key, answer);
  return 'again';
}

async function handleAnswer(
  ctx: RelayPollContext,
  state: PollState,
  target: RelayTarget,
  key: string,
  answer: { status: number; json: unknown },
): Promise<void> {
  const { workspaceId } = state;
  if (answer.status === 401 || answer.status === 403) {
    state.log.warn('cloud.relay_refused', 'The central server refused the workspace token for the relay', {
      status: answer.status,
    });
    ctx.board.set(workspaceId, 'refused', {
      serverUrl: target.serverUrl,
      problem: `the central server refused this business’s token (HTTP ${answer.status})`,
      nextRetryAt: ctx.timers.now() + ctx.refusedRetryMs,
    });
    return ctx.connection.sleep(ctx.refusedRetryMs);
  }
  const body = relayPollResponse.safeParse(answer.json);
  if (answer.status !== 200 || !body.success) {
    const why = `the central server answered HTTP ${answer.status}`;
    return retry(ctx, state, why, { status: answer.status }, target);
  }
  const { handled, delivered } = await ctx.turns.inTurn(workspaceId, () =>
    deliver(ctx, workspaceId, key, body.data.notifications),
  );
  ctx.board.delivered(workspaceId, delivered);
  if (handled !== undefined) {
    state.cursor = { key, after: handled };
    // Acknowledged at once (the next poll's `after` says it too, should this one be lost).
    await ctx.connection
      .request('POST', `${target.serverUrl}/api/v1/relay/ack`, target.token, 15_000, { seq: handled })
      .catch(() => undefined);
  }
  state.failures = 0;
  ctx.board.set(workspaceId, 'polling', { serverUrl: target.serverUrl });
}

/** A failed poll: shows it, logs the first and every tenth, and waits a growing, jittered while. */
async function retry(
  ctx: RelayPollContext,
  state: PollState,
  why: string,
  meta: Record<string, unknown>,
  target: RelayTarget,
): Promise<void> {
  state.failures++;
  const { failures } = state;
  const delay = backoffDelay(failures, ctx.random, ctx.backoff);
  ctx.board.set(state.workspaceId, 'unreachable', {
    serverUrl: target.serverUrl,
    problem: why,
    failures,
    nextRetryAt: ctx.timers.now() + delay,
  });
  if (failures === 1 || failures % 10 === 0)
    state.log.warn('cloud.relay_retry', `Webhook relay: ${why}; retrying in ${Math.round(delay / 1000)} s`, {
      ...meta,
      failures,
      delayMs: delay,
    });
  await ctx.connection.sleep(delay);
}

const hasCloudNumbers = async (ctx: RelayPollContext, workspaceId: WorkspaceId): Promise<boolean> =>
  (await ctx.numbers.list(workspaceId)).some((n) => n.provider === 'cloud-api');
