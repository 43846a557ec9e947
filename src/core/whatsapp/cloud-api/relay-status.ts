import type { CloudRelayHeld, CloudRelayState, CloudRelayStatus } from '../../../shared/cloud-contract';
import type { WorkspaceId } from '../../../shared/types';
import type { TimerHandle, Timers } from '../../timers';

/** A delivery alone (no change of state) is announced at most this often per workspace. */
export const RELAY_STATUS_THROTTLE_MS = 1_000;

export interface RelayStatusBoard {
  get(workspaceId: WorkspaceId): CloudRelayStatus;
  /** Enters `state` (a no-op when already there with the same details). */
  set(
    workspaceId: WorkspaceId,
    state: CloudRelayState,
    details?: Partial<Pick<CloudRelayStatus, 'serverUrl' | 'problem' | 'failures' | 'nextRetryAt'>>,
  ): void;
  delivered(workspaceId: WorkspaceId, count: number): void;
  /** What is kept on this computer for numbers not running (from the store, after each change). */
  held(workspaceId: WorkspaceId, held: readonly CloudRelayHeld[]): void;
  /** `messages` customer messages of a removed number's webhook were newly stored as unroutable. */
  keptUnroutable(workspaceId: WorkspaceId, phoneNumberId: string, reason: string, messages: number): void;
  /** The poller ended (left sync, or the app stops): the workspace is not enrolled any more. */
  forget(workspaceId: WorkspaceId): void;
  onChanged(listener: (status: CloudRelayStatus) => void): () => void;
  stop(): void;
}

/**
 * What each workspace's relay poller is doing, for the Cloud number card: kept in memory (it describes
 * this process's connection to the central server; counts start at zero with the app). A change of
 * state is announced at once; deliveries only, which can be many a second, at most once a second.
 */
export function createRelayStatusBoard(timers: Timers): RelayStatusBoard {
  const statuses = new Map<WorkspaceId, CloudRelayStatus>();
  const current = (workspaceId: WorkspaceId): CloudRelayStatus =>
    statuses.get(workspaceId) ?? initialStatus(workspaceId);
  const announcer = createAnnouncer(timers, current);
  const { announce, announceSoon } = announcer;

  return {
    get: (workspaceId) => ({ ...current(workspaceId) }),
    set(workspaceId, state, details = {}) {
      const before = current(workspaceId);
      const next = enter(before, state, details, timers.now());
      const same =
        before.state === next.state &&
        before.serverUrl === next.serverUrl &&
        before.problem === next.problem &&
        before.failures === next.failures &&
        before.nextRetryAt === next.nextRetryAt &&
        statuses.has(workspaceId);
      statuses.set(workspaceId, next);
      if (!same) announce(workspaceId);
    },
    delivered(workspaceId, count) {
      if (count <= 0) return;
      const before = current(workspaceId);
      statuses.set(workspaceId, {
        ...before,
        delivered: before.delivered + count,
        lastDeliveryAt: timers.now(),
      });
      announceSoon(workspaceId);
    },
    held(workspaceId, held) {
      const before = current(workspaceId);
      if (JSON.stringify(before.held) === JSON.stringify(held)) return;
      statuses.set(workspaceId, { ...before, held: held.map((h) => ({ ...h })) });
      announce(workspaceId);
    },
    keptUnroutable(workspaceId, phoneNumberId, reason, messages) {
      if (messages <= 0) return;
      const before = current(workspaceId);
      statuses.set(workspaceId, {
        ...before,
        keptUnroutable: before.keptUnroutable + messages,
        lastKeptUnroutable: { phoneNumberId, reason, at: timers.now() },
      });
      announceSoon(workspaceId);
    },
    forget(workspaceId) {
      if (!statuses.has(workspaceId)) return;
      const { delivered, lastDeliveryAt, keptUnroutable, lastKeptUnroutable, held } = current(workspaceId);
      statuses.set(workspaceId, {
        ...initialStatus(workspaceId),
        since: timers.now(),
        held,
        delivered,
        lastDeliveryAt,
        keptUnroutable,
        lastKeptUnroutable,
      });
      announce(workspaceId);
    },
    onChanged: (listener) => announcer.onChanged(listener),
    stop: () => announcer.stop(),
  };
}

type Details = Partial<Pick<CloudRelayStatus, 'serverUrl' | 'problem' | 'failures' | 'nextRetryAt'>>;

/** The status after entering `state`: `since` moves only when the state changes. */
function enter(
  before: CloudRelayStatus,
  state: CloudRelayState,
  details: Details,
  now: number,
): CloudRelayStatus {
  return {
    ...before,
    state,
    serverUrl: details.serverUrl !== undefined ? details.serverUrl : before.serverUrl,
    problem: details.problem ?? null,
    failures: details.failures ?? 0,
    nextRetryAt: details.nextRetryAt ?? null,
    since: before.state === state && before.since !== null ? before.since : now,
  };
}

function initialStatus(workspaceId: WorkspaceId): CloudRelayStatus {
  return {
    workspaceId,
    state: 'not-enrolled',
    serverUrl: null,
    since: null,
    problem: null,
    failures: 0,
    nextRetryAt: null,
    held: [],
    lastDeliveryAt: null,
    delivered: 0,
    keptUnroutable: 0,
    lastKeptUnroutable: null,
  };
}

/** Tells listeners a workspace's status: at once, or (`announceSoon`) at most once per throttle. */
function createAnnouncer(timers: Timers, current: (workspaceId: WorkspaceId) => CloudRelayStatus) {
  const listeners = new Set<(status: CloudRelayStatus) => void>();
  const pending = new Map<WorkspaceId, TimerHandle>();
  const lastAnnounced = new Map<WorkspaceId, number>();

  function announce(workspaceId: WorkspaceId): void {
    const timer = pending.get(workspaceId);
    if (timer !== undefined) timers.clearTimeout(timer);
    pending.delete(workspaceId);
    lastAnnounced.set(workspaceId, timers.now());
    const status = { ...current(workspaceId) };
    for (const listener of listeners) {
      try {
        listener(status);
      } catch {
        // A broken listener must not stop the poller that reports to it.
      }
    }
  }

  function announceSoon(workspaceId: WorkspaceId): void {
    if (pending.has(workspaceId)) return;
    const wait = (lastAnnounced.get(workspaceId) ?? -Infinity) + RELAY_STATUS_THROTTLE_MS - timers.now();
    if (wait <= 0) return announce(workspaceId);
    pending.set(
      workspaceId,
      timers.setTimeout(() => announce(workspaceId), wait),
    );
  }

  return {
    announce,
    announceSoon,
    onChanged(listener: (status: CloudRelayStatus) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop(): void {
      for (const timer of pending.values()) timers.clearTimeout(timer);
      pending.clear();
      listeners.clear();
    },
  };
}
