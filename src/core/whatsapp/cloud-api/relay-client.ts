import type { WorkspaceId } from '../../../shared/types';
import type { CloudRelayStatus } from '../../../shared/cloud-contract';
import type { ConnectionManager } from '../../connection/connection-manager';
import { createId, type IdGenerator } from '../../ids';
import type { Logger } from '../../log/logger';
import type { SecretBox } from '../../secrets/secret-box';
import type { Store } from '../../store/open-database';
import { createPhoneNumberRepository } from '../../store/repositories/phone-numbers';
import { createSyncDirectory, createSyncStateRepository } from '../../store/repositories/sync-state';
import { createUnroutableMessageStore } from '../../store/repositories/unroutable-message-store';
import type { BackoffPolicy } from '../../sync/backoff';
import { realTimers, type Timers } from '../../timers';
import { createHeldWebhookStore } from './held-webhooks';
import { createRelayConnection } from './relay-connection';
import { cloudProviders, releaseHeld } from './relay-delivery';
import { pollWorkspace, type RelayPollContext } from './relay-poller';
import { createRelayStatusBoard } from './relay-status';
import { createRelayTurns } from './relay-turns';

/**
 * The desktop side of the webhook relay (src/shared/relay-protocol.ts). Meta cannot reach a
 * shop PC behind NAT, so the central server takes the webhooks and this client fetches them over the
 * PC's own outbound connection: one long poll per workspace enrolled with central sync (same server,
 * same workspace token) that has Cloud API numbers. Each notification goes to the provider of its
 * phone_number_id; `handleWebhook` emits synchronously into the pipeline, whose inbound journal has it
 * before the call returns, so the client acknowledges right after. A crash between the two means the
 * server delivers it again and the pipeline's unique key drops the repeat: exactly once in the pipeline.
 *
 * A notification for a number of the workspace whose provider is not running (switched off, being
 * restarted with a new token, not started yet) is kept on this PC (`cloud_relay_held`,
 * held-webhooks.ts) and only then acknowledged: acknowledging is cumulative (one seq per workspace), and
 * keeping it here is what lets the workspace's other numbers go on instead of waiting behind it. Once
 * the number runs (its connection says so, or at the next poll) what it holds is handed to it in
 * order, before anything newer for it; until then newer ones join the held. A notification for a
 * phone_number_id the workspace no longer has (the number was removed) can never be delivered; so it
 * blocks nothing, the customers' messages in it are kept in
 * `unroutable_messages` (as direct-webhooks.ts keeps an unknown number's, never answered), logged and
 * counted as kept as unroutable, and only then acknowledged. A crash before the ack makes the server
 * deliver it again, and the table's unique key (business number + provider id) keeps it once. Its
 * statuses concern messages of a number that is gone: they are logged and left out.
 */
export interface CloudRelayTuning {
  /** Seconds the server may hold a poll open. Default 25. */
  waitSeconds?: number;
  /** Failed polls and undeliverable notifications back off with full jitter. */
  backoff?: BackoffPolicy;
  /** A workspace without Cloud numbers (or not enrolled) is looked at again this often. Default 60 s. */
  idleCheckMs?: number;
  /** Refused token (401/403): wait this long before trying again. Default 5 min. */
  refusedRetryMs?: number;
}

export interface CloudRelayOptions extends CloudRelayTuning {
  store: Store;
  secrets: SecretBox;
  logger: Logger;
  connections: Pick<ConnectionManager, 'provider'>;
  timers?: Timers;
  random?: () => number;
  fetch?: typeof fetch;
  /** Ids of the unroutable_messages rows. */
  newId?: IdGenerator;
  /**
   * The phone_number_ids of the workspace's Cloud numbers as stored, running or not: a notification
   * for any other id is kept as unroutable rather than waited for.
   */
  storedPhoneNumberIds(workspaceId: WorkspaceId): Promise<ReadonlySet<string>>;
}

export interface CloudRelay {
  /** Starts a poller per enrolled workspace. */
  start(): Promise<void>;
  /** Enrollments changed: pollers start for new ones; others notice at their next step. */
  refresh(): Promise<void>;
  /** Cancels polls in flight and waits for every poller to end. Nothing is lost: unacked stays on the server. */
  stop(): Promise<void>;
  /** A number of the workspace runs again: hand it what was kept for it, now rather than at the next poll. */
  release(workspaceId: WorkspaceId): Promise<void>;
  /** What the workspace's poller is doing, for the UI. */
  status(workspaceId: WorkspaceId): CloudRelayStatus;
  /** A state change at once; deliveries at most about once a second per workspace. */
  onChanged(listener: (status: CloudRelayStatus) => void): () => void;
}

export const RELAY_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000, minMs: 250 };

export function createCloudRelay(options: CloudRelayOptions): CloudRelay {
  const { store } = options;
  const timers = options.timers ?? realTimers;
  const log = options.logger.child({ meta: { component: 'cloud-relay' } });
  const stopping = new AbortController();
  const board = createRelayStatusBoard(timers);
  const ctx: RelayPollContext = {
    ...options,
    numbers: createPhoneNumberRepository(store.db),
    heldStore: createHeldWebhookStore(store.db),
    unroutableStore: createUnroutableMessageStore(store.db),
    newId: options.newId ?? createId,
    storedPhoneNumberIds: (workspaceId) => options.storedPhoneNumberIds(workspaceId),
    log,
    board,
    connection: createRelayConnection({
      syncState: createSyncStateRepository(store.db),
      secrets: options.secrets,
      fetch: options.fetch ?? fetch,
      timers,
      log,
      stopping: stopping.signal,
    }),
    turns: createRelayTurns(),
    timers,
    random: options.random ?? Math.random,
    backoff: options.backoff ?? RELAY_BACKOFF,
    waitSeconds: options.waitSeconds ?? 25,
    idleCheckMs: options.idleCheckMs ?? 60_000,
    refusedRetryMs: options.refusedRetryMs ?? 5 * 60_000,
    stopping: stopping.signal,
  };
  const directory = createSyncDirectory(store.db);
  const pollers = new Map<WorkspaceId, Promise<void>>();
  let started = false;

  function ensurePoller(workspaceId: WorkspaceId): void {
    if (pollers.has(workspaceId) || stopping.signal.aborted) return;
    const running = pollWorkspace(ctx, workspaceId)
      .catch((error: unknown) => log.error('cloud.relay_failed', 'The webhook relay stopped', { error }))
      .finally(() => {
        pollers.delete(workspaceId);
        if (!stopping.signal.aborted) board.forget(workspaceId);
      });
    pollers.set(workspaceId, running);
  }

  const relay: CloudRelay = {
    async start() {
      if (started) return;
      started = true;
      await relay.refresh();
    },
    async refresh() {
      if (!started || stopping.signal.aborted) return;
      for (const { workspaceId } of await directory.listEnrolled()) ensurePoller(workspaceId);
    },
    async stop() {
      stopping.abort();
      await Promise.all([...pollers.values()]);
      board.stop();
    },
    release: (workspaceId) =>
      ctx.turns.inTurn(workspaceId, async () => {
        if (stopping.signal.aborted) return;
        const { delivered } = await releaseHeld(ctx, workspaceId, await cloudProviders(ctx, workspaceId));
        board.delivered(workspaceId, delivered);
      }),
    status: (workspaceId) => board.get(workspaceId),
    onChanged: (listener) => board.onChanged(listener),
  };
  return relay;
}
