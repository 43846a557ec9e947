import type { CloudRelayHeld, CloudRelayStatus } from '../../../shared/cloud-contract';
import type { WorkspaceId } from '../../../shared/types';
import { relayPollResponse, type RelayNotification } from '../../../shared/relay-protocol';
import type { ConnectionManager } from '../../connection/connection-manager';
import { createId, type IdGenerator } from '../../ids';
import type { Logger } from '../../log/logger';
import type { SecretBox } from '../../secrets/secret-box';
import type { Store } from '../../store/open-database';
import { createPhoneNumberRepository } from '../../store/repositories/phone-numbers';
import { createSyncDirectory, createSyncStateRepository } from '../../store/repositories/sync-state';
import { createUnroutableMessageStore } from '../../store/repositories/unroutable';
import { backoffDelay, type BackoffPolicy } from '../../sync/backoff';
import { describeNetworkError } from '../../sync/transport';
import { realTimers, type TimerHandle, type Timers } from '../../timers';
import type { CloudApiProvider } from './cloud-api-provider';
import { createHeldWebhookStore } from './held-webhooks';
import { createRelayStatusBoard } from './relay-status';
import { storeUnroutable } from './unroutable-rows';
import { notificationSchema } from './webhook-schema';

/**
 * The desktop side of the webhook relay (issue #9, src/shared/relay-protocol.ts). Meta cannot reach a
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

interface Target {
  serverUrl: string;
  centralWorkspaceId: string;
  token: string;
}

/** Why there is no target: not enrolled, or enrolled but the token cannot be used. */
type NoTarget = { left: true } | { left: false; problem: string };

export function createCloudRelay(options: CloudRelayOptions): CloudRelay {
  const { store, secrets, connections } = options;
  const timers = options.timers ?? realTimers;
  const random = options.random ?? Math.random;
  const fetchImpl = options.fetch ?? fetch;
  const waitSeconds = options.waitSeconds ?? 25;
  const backoff = options.backoff ?? RELAY_BACKOFF;
  const idleCheckMs = options.idleCheckMs ?? 60_000;
  const refusedRetryMs = options.refusedRetryMs ?? 5 * 60_000;
  const syncState = createSyncStateRepository(store.db);
  const directory = createSyncDirectory(store.db);
  const numbers = createPhoneNumberRepository(store.db);
  const unroutableStore = createUnroutableMessageStore(store.db);
  const heldStore = createHeldWebhookStore(store.db);
  /** Per workspace, the end of its chain of deliveries and releases: they never run at once. */
  const turns = new Map<WorkspaceId, Promise<unknown>>();
  const newId = options.newId ?? createId;
  const log = options.logger.child({ meta: { component: 'cloud-relay' } });
  const pollers = new Map<WorkspaceId, Promise<void>>();
  const stopping = new AbortController();
  const board = createRelayStatusBoard(timers);
  let started = false;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (stopping.signal.aborted) return resolve();
      let handle: TimerHandle | undefined = undefined;
      const done = (): void => {
        if (handle !== undefined) timers.clearTimeout(handle);
        stopping.signal.removeEventListener('abort', done);
        resolve();
      };
      handle = timers.setTimeout(done, ms);
      stopping.signal.addEventListener('abort', done);
    });

  async function targetOf(workspaceId: WorkspaceId): Promise<Target | NoTarget> {
    const row = await syncState.get(workspaceId);
    if (row === undefined) return { left: true };
    if (row.state !== 'active') {
      return {
        left: false,
        problem: 'central sync needs attention: the central server refused this business’s token',
      };
    }
    try {
      return {
        serverUrl: row.serverUrl.replace(/\/+$/, ''),
        centralWorkspaceId: row.centralWorkspaceId,
        token: secrets.open(row.tokenSealed),
      };
    } catch (error) {
      log.error('cloud.relay_token', 'The workspace token for the relay cannot be opened', {
        workspaceId,
        error,
      });
      return { left: false, problem: 'the central sync token cannot be opened on this computer' };
    }
  }

  async function cloudProviders(workspaceId: WorkspaceId): Promise<Map<string, CloudApiProvider>> {
    const found = new Map<string, CloudApiProvider>();
    for (const number of await numbers.list(workspaceId)) {
      if (number.provider !== 'cloud-api') continue;
      let provider;
      try {
        provider = connections.provider(workspaceId, number.e164);
      } catch {
        continue; // not started yet: its notifications wait on the server
      }
      const cloud = provider as Partial<CloudApiProvider>;
      if (cloud.kind === 'cloud-api' && typeof cloud.phoneNumberId === 'string')
        found.set(cloud.phoneNumberId, provider as CloudApiProvider);
    }
    return found;
  }

  const hasCloudNumbers = async (workspaceId: WorkspaceId): Promise<boolean> =>
    (await numbers.list(workspaceId)).some((n) => n.provider === 'cloud-api');

  async function request(
    method: 'GET' | 'POST',
    url: string,
    token: string,
    timeoutMs: number,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]);
    const response = await fetchImpl(url, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal,
      redirect: 'error',
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text === '' ? null : (JSON.parse(text) as unknown);
    } catch {
      json = null;
    }
    return { status: response.status, json };
  }

  /**
   * A notification that can never be delivered here: its customers' messages are stored in
   * `unroutable_messages` (once: a redelivery finds them there) and it is logged with what it carried,
   * never silently. Throws when the store fails: then it is not acknowledged and comes again.
   */
  async function keepUnroutable(
    workspaceId: WorkspaceId,
    item: RelayNotification,
    reason: string,
  ): Promise<void> {
    const parsed = notificationSchema.safeParse(item.notification);
    const stored = parsed.success
      ? await storeUnroutable(unroutableStore, parsed.data, new Set([item.phoneNumberId]), {
          newId,
          now: timers.now(),
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
    const wsLog = log.child({ workspaceId });
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
    board.keptUnroutable(workspaceId, item.phoneNumberId, reason, kept);
  }

  /** Runs `task` after the workspace's earlier deliveries and releases: held webhooks keep their order. */
  function inTurn<T>(workspaceId: WorkspaceId, task: () => Promise<T>): Promise<T> {
    const result = (turns.get(workspaceId) ?? Promise.resolve()).then(task);
    const tail = result.catch(() => undefined);
    turns.set(workspaceId, tail);
    void tail.then(() => {
      if (turns.get(workspaceId) === tail) turns.delete(workspaceId);
    });
    return result;
  }

  /** One notification to its provider; false when it is not a notification (logged, skipped). */
  function handOver(workspaceId: WorkspaceId, provider: CloudApiProvider, item: RelayNotification): boolean {
    const parsed = notificationSchema.safeParse(item.notification);
    if (parsed.success) {
      provider.handleWebhook(parsed.data);
      return true;
    }
    // Verified by the server and stored as Meta sent it: cannot happen unless the server is broken.
    log.warn('cloud.relay_skipped', `Relay notification ${item.seq} is not a notification; skipped`, {
      workspaceId,
      seq: item.seq,
    });
    return false;
  }

  /**
   * Hands what is kept here to each number that runs again, oldest first, and turns what was kept for
   * a number since removed into unroutable messages. Returns how many reached a provider and what is
   * still kept (read again only when something was kept before).
   */
  async function releaseHeld(
    workspaceId: WorkspaceId,
    providers: ReadonlyMap<string, CloudApiProvider>,
  ): Promise<{ delivered: number; remaining: CloudRelayHeld[] }> {
    const held = await heldStore.summary(workspaceId);
    let delivered = 0;
    let stored: ReadonlySet<string> | undefined;
    for (const { phoneNumberId } of held) {
      const provider = providers.get(phoneNumberId);
      if (provider === undefined) {
        stored ??= await options.storedPhoneNumberIds(workspaceId);
        if (stored.has(phoneNumberId)) continue; // still not running: it keeps waiting here
      }
      let released = 0;
      for (;;) {
        const batch = await heldStore.next(workspaceId, phoneNumberId, 100);
        if (batch.length === 0) break;
        for (const item of batch) {
          if (provider === undefined)
            await keepUnroutable(workspaceId, item, 'its number was removed while its messages waited here');
          else if (handOver(workspaceId, provider, item)) released++;
        }
        // Handed over (the pipeline's journal has them) or kept as unroutable: only now gone from here.
        await heldStore.remove(
          workspaceId,
          batch.map((item) => item.id),
        );
      }
      if (provider !== undefined) {
        delivered += released;
        log
          .child({ workspaceId })
          .info(
            'cloud.relay_released',
            `${released} webhook${released === 1 ? '' : 's'} kept on this computer handed to phone_number_id ${phoneNumberId}, which runs again`,
            { phoneNumberId, released },
          );
      }
    }
    if (held.length === 0) return { delivered, remaining: [] };
    const remaining = await heldStore.summary(workspaceId);
    board.held(workspaceId, remaining);
    return { delivered, remaining };
  }

  /** Keeps a notification for a stored number that is not running; acknowledged once it is here. */
  async function hold(workspaceId: WorkspaceId, relayKey: string, item: RelayNotification): Promise<void> {
    const counts = changeValueOf(item.notification);
    const isNew = await heldStore.hold(workspaceId, relayKey, item, counts, timers.now());
    if (!isNew) return;
    log
      .child({ workspaceId })
      .warn(
        'cloud.relay_held',
        `Webhook ${item.seq} for phone_number_id ${item.phoneNumberId}, which is not running, kept on this computer until it runs (${counts.messages} customer message${counts.messages === 1 ? '' : 's'}, ${counts.statuses} status${counts.statuses === 1 ? '' : 'es'})`,
        { seq: item.seq, phoneNumberId: item.phoneNumberId, ...counts },
      );
  }

  /**
   * Hands notifications to their providers in order (what is kept here for a number first); returns
   * the last seq that may be acknowledged and how many reached a provider.
   */
  async function deliver(
    workspaceId: WorkspaceId,
    relayKey: string,
    notifications: readonly RelayNotification[],
  ): Promise<{ handled: number | undefined; delivered: number }> {
    const providers = await cloudProviders(workspaceId);
    const released = await releaseHeld(workspaceId, providers);
    let delivered = released.delivered;
    // Numbers with webhooks still kept here: newer ones for them join the queue, never overtake it.
    const waiting = new Set(released.remaining.map((h) => h.phoneNumberId));
    let heldNow = false;
    let stored: ReadonlySet<string> | undefined;
    let handled: number | undefined;
    for (const item of notifications) {
      const provider = providers.get(item.phoneNumberId);
      if (provider !== undefined && !waiting.has(item.phoneNumberId)) {
        if (handOver(workspaceId, provider, item)) delivered++;
      } else {
        stored ??= await options.storedPhoneNumberIds(workspaceId);
        if (provider !== undefined || stored.has(item.phoneNumberId)) {
          await hold(workspaceId, relayKey, item);
          waiting.add(item.phoneNumberId);
          heldNow = true;
        } else {
          await keepUnroutable(
            workspaceId,
            item,
            'no number of this business has that phone number ID any more (removed)',
          );
        }
      }
      handled = item.seq;
    }
    // releaseHeld has already shown what was kept before; only new ones change it.
    if (heldNow) board.held(workspaceId, await heldStore.summary(workspaceId));
    return { handled, delivered };
  }

  async function run(workspaceId: WorkspaceId): Promise<void> {
    let cursor: { key: string; after: number } | undefined;
    let failures = 0;
    const wsLog = log.child({ workspaceId });
    const retry = async (
      why: string,
      meta: Record<string, unknown>,
      details: { serverUrl: string },
    ): Promise<void> => {
      failures++;
      const delay = backoffDelay(failures, random, backoff);
      board.set(workspaceId, 'unreachable', {
        ...details,
        problem: why,
        failures,
        nextRetryAt: timers.now() + delay,
      });
      if (failures === 1 || failures % 10 === 0)
        wsLog.warn('cloud.relay_retry', `Webhook relay: ${why}; retrying in ${Math.round(delay / 1000)} s`, {
          ...meta,
          failures,
          delayMs: delay,
        });
      await sleep(delay);
    };
    while (!stopping.signal.aborted) {
      const target = await targetOf(workspaceId).catch((error: unknown): NoTarget => ({
        left: false,
        problem: String(error),
      }));
      if ('left' in target) {
        if (target.left) break;
        board.set(workspaceId, 'refused', {
          problem: target.problem,
          nextRetryAt: timers.now() + idleCheckMs,
        });
        await sleep(idleCheckMs);
        continue;
      }
      if (!(await hasCloudNumbers(workspaceId))) {
        // What was kept for a number since removed becomes unroutable (kept, never answered).
        await inTurn(workspaceId, () => releaseHeld(workspaceId, new Map()));
        board.set(workspaceId, 'idle', { serverUrl: target.serverUrl });
        await sleep(idleCheckMs);
        continue;
      }
      const key = `${target.serverUrl}|${target.centralWorkspaceId}`;
      if (cursor?.key !== key) cursor = { key, after: 0 };
      const before = board.get(workspaceId);
      if (before.state === 'not-enrolled' || before.state === 'idle' || before.serverUrl !== target.serverUrl)
        board.set(workspaceId, 'polling', { serverUrl: target.serverUrl });
      const url = `${target.serverUrl}/api/v1/relay?after=${cursor.after}&wait=${waitSeconds}`;
      let answer: { status: number; json: unknown };
      try {
        answer = await request('GET', url, target.token, (waitSeconds + 15) * 1000);
      } catch (error) {
        if (stopping.signal.aborted) break;
        await retry(
          describeNetworkError(error),
          { serverUrl: target.serverUrl },
          { serverUrl: target.serverUrl },
        );
        continue;
      }
      if (answer.status === 401 || answer.status === 403) {
        wsLog.warn('cloud.relay_refused', 'The central server refused the workspace token for the relay', {
          status: answer.status,
        });
        board.set(workspaceId, 'refused', {
          serverUrl: target.serverUrl,
          problem: `the central server refused this business’s token (HTTP ${answer.status})`,
          nextRetryAt: timers.now() + refusedRetryMs,
        });
        await sleep(refusedRetryMs);
        continue;
      }
      const body = relayPollResponse.safeParse(answer.json);
      if (answer.status !== 200 || !body.success) {
        await retry(
          `the central server answered HTTP ${answer.status}`,
          { status: answer.status },
          { serverUrl: target.serverUrl },
        );
        continue;
      }
      const { handled, delivered } = await inTurn(workspaceId, () =>
        deliver(workspaceId, key, body.data.notifications),
      );
      board.delivered(workspaceId, delivered);
      if (handled !== undefined) {
        cursor.after = handled;
        // Acknowledged at once (the next poll's `after` says it too, should this one be lost).
        await request('POST', `${target.serverUrl}/api/v1/relay/ack`, target.token, 15_000, {
          seq: handled,
        }).catch(() => undefined);
      }
      failures = 0;
      board.set(workspaceId, 'polling', { serverUrl: target.serverUrl });
    }
  }

  function ensurePoller(workspaceId: WorkspaceId): void {
    if (pollers.has(workspaceId) || stopping.signal.aborted) return;
    const running = run(workspaceId)
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
      inTurn(workspaceId, async () => {
        if (stopping.signal.aborted) return;
        const { delivered } = await releaseHeld(workspaceId, await cloudProviders(workspaceId));
        board.delivered(workspaceId, delivered);
      }),
    status: (workspaceId) => board.get(workspaceId),
    onChanged: (listener) => board.onChanged(listener),
  };
  return relay;
}

/** How many messages and statuses a relayed notification carried (for the record of an unroutable one). */
function changeValueOf(notification: unknown): { messages: number; statuses: number } {
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
