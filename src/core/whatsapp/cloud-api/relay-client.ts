import type { WorkspaceId } from '../../../shared/types';
import { relayPollResponse, type RelayNotification } from '../../../shared/relay-protocol';
import type { ConnectionManager } from '../../connection/connection-manager';
import type { Logger } from '../../log/logger';
import type { SecretBox } from '../../secrets/secret-box';
import type { Store } from '../../store/open-database';
import { createPhoneNumberRepository } from '../../store/repositories/phone-numbers';
import { createSyncDirectory, createSyncStateRepository } from '../../store/repositories/sync-state';
import { backoffDelay, type BackoffPolicy } from '../../sync/backoff';
import { describeNetworkError } from '../../sync/transport';
import { realTimers, type TimerHandle, type Timers } from '../../timers';
import type { CloudApiProvider } from './cloud-api-provider';
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
 * A notification whose number has no live provider (not started yet, or removed) is not acknowledged:
 * the client stops at it, keeping the order, and tries again after a backoff.
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
}

export interface CloudRelay {
  /** Starts a poller per enrolled workspace. */
  start(): Promise<void>;
  /** Enrollments changed: pollers start for new ones; others notice at their next step. */
  refresh(): Promise<void>;
  /** Cancels polls in flight and waits for every poller to end. Nothing is lost: unacked stays on the server. */
  stop(): Promise<void>;
}

export const RELAY_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000, minMs: 250 };

interface Target {
  serverUrl: string;
  centralWorkspaceId: string;
  token: string;
}

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
  const log = options.logger.child({ meta: { component: 'cloud-relay' } });
  const pollers = new Map<WorkspaceId, Promise<void>>();
  const stopping = new AbortController();
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

  async function targetOf(workspaceId: WorkspaceId): Promise<Target | undefined> {
    const row = await syncState.get(workspaceId);
    if (row === undefined || row.state !== 'active') return undefined;
    return {
      serverUrl: row.serverUrl.replace(/\/+$/, ''),
      centralWorkspaceId: row.centralWorkspaceId,
      token: secrets.open(row.tokenSealed),
    };
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

  /** Hands notifications to their providers in order; returns the last seq handed over and whether it stopped early. */
  async function deliver(
    workspaceId: WorkspaceId,
    notifications: readonly RelayNotification[],
  ): Promise<{ handled: number | undefined; blockedOn: string | undefined }> {
    const providers = await cloudProviders(workspaceId);
    let handled: number | undefined;
    for (const item of notifications) {
      const provider = providers.get(item.phoneNumberId);
      if (provider === undefined) return { handled, blockedOn: item.phoneNumberId };
      const parsed = notificationSchema.safeParse(item.notification);
      if (parsed.success) {
        provider.handleWebhook(parsed.data);
      } else {
        // Verified by the server and stored as Meta sent it: cannot happen unless the server is broken.
        log.warn('cloud.relay_skipped', `Relay notification ${item.seq} is not a notification; skipped`, {
          workspaceId,
          seq: item.seq,
        });
      }
      handled = item.seq;
    }
    return { handled, blockedOn: undefined };
  }

  async function run(workspaceId: WorkspaceId): Promise<void> {
    let cursor: { key: string; after: number } | undefined;
    let failures = 0;
    const wsLog = log.child({ workspaceId });
    const retry = async (why: string, meta: Record<string, unknown>): Promise<void> => {
      failures++;
      const delay = backoffDelay(failures, random, backoff);
      if (failures === 1 || failures % 10 === 0)
        wsLog.warn('cloud.relay_retry', `Webhook relay: ${why}; retrying in ${Math.round(delay / 1000)} s`, {
          ...meta,
          failures,
          delayMs: delay,
        });
      await sleep(delay);
    };
    while (!stopping.signal.aborted) {
      let target: Target | undefined;
      try {
        target = await targetOf(workspaceId);
      } catch (error) {
        wsLog.error('cloud.relay_token', 'The workspace token for the relay cannot be opened', { error });
        target = undefined;
      }
      if (target === undefined) {
        if ((await syncState.get(workspaceId).catch(() => undefined)) === undefined) break; // left sync
        await sleep(idleCheckMs);
        continue;
      }
      if (!(await hasCloudNumbers(workspaceId))) {
        await sleep(idleCheckMs);
        continue;
      }
      const key = `${target.serverUrl}|${target.centralWorkspaceId}`;
      if (cursor?.key !== key) cursor = { key, after: 0 };
      const url = `${target.serverUrl}/api/v1/relay?after=${cursor.after}&wait=${waitSeconds}`;
      let answer: { status: number; json: unknown };
      try {
        answer = await request('GET', url, target.token, (waitSeconds + 15) * 1000);
      } catch (error) {
        if (stopping.signal.aborted) break;
        await retry(describeNetworkError(error), { serverUrl: target.serverUrl });
        continue;
      }
      if (answer.status === 401 || answer.status === 403) {
        wsLog.warn('cloud.relay_refused', 'The central server refused the workspace token for the relay', {
          status: answer.status,
        });
        await sleep(refusedRetryMs);
        continue;
      }
      const body = relayPollResponse.safeParse(answer.json);
      if (answer.status !== 200 || !body.success) {
        await retry(`the central server answered HTTP ${answer.status}`, { status: answer.status });
        continue;
      }
      const { handled, blockedOn } = await deliver(workspaceId, body.data.notifications);
      if (handled !== undefined) {
        cursor.after = handled;
        // Acknowledged at once (the next poll's `after` says it too, should this one be lost).
        await request('POST', `${target.serverUrl}/api/v1/relay/ack`, target.token, 15_000, {
          seq: handled,
        }).catch(() => undefined);
      }
      if (blockedOn !== undefined) {
        await retry(`no live Cloud API number with phone_number_id ${blockedOn} here`, {
          phoneNumberId: blockedOn,
        });
        continue;
      }
      failures = 0;
    }
  }

  function ensurePoller(workspaceId: WorkspaceId): void {
    if (pollers.has(workspaceId) || stopping.signal.aborted) return;
    const running = run(workspaceId)
      .catch((error: unknown) => log.error('cloud.relay_failed', 'The webhook relay stopped', { error }))
      .finally(() => pollers.delete(workspaceId));
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
    },
  };
  return relay;
}
