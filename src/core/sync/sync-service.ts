import { hostname } from 'node:os';
import { sendsInClear, type SyncStatus } from '../../shared/sync-contract';
import {
  enrollResponse,
  syncErrorBody,
  type EnrollRequest,
  type EnrollResponse,
  type SyncedNumber,
} from '../../shared/sync-protocol';
import type { Workspace } from '../../shared/dto';
import type { WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import type { Store } from '../store/open-database';
import type { EventLogRepository } from '../store/repositories/event-log';
import { createPhoneNumberRepository } from '../store/repositories/phone-numbers';
import {
  createSyncDirectory,
  createSyncStateRepository,
  type SyncStateRow,
} from '../store/repositories/sync-state';
import { realTimers, type TimerHandle, type Timers } from '../timers';
import { createBacklogCounter, type BacklogCounter } from './backlog-counter';
import type { BackoffPolicy } from './backoff';
import { errorMessageOf } from './ingest-outcome';
import { createPusher, type Pusher, type PushLimits } from './pusher';
import { createFetchTransport, SyncNetworkError, type SyncTransport } from './transport';

/**
 * The push client of issue #7: enrolls workspaces with a central server, runs one pusher per enrolled
 * workspace, and answers the Settings screen's status questions. The wire protocol is
 * src/shared/sync-protocol.ts; the state is in the database (sync_state, installation, events).
 */

export interface SyncServiceOptions {
  store: Store;
  logger: Logger;
  secrets: SecretBox;
  events: Pick<EventLogRepository, 'lastSeq'>;
  /** The workspace or NOT_FOUND (its name goes to the server at enrollment). */
  getWorkspace: (workspaceId: WorkspaceId) => Promise<Workspace>;
  transport?: SyncTransport;
  timers?: Timers;
  random?: () => number;
  appVersion?: string;
  /** Shown on the central dashboard; default the computer's host name. */
  installationName?: string;
  enrollTimeoutMs?: number;
  pusher?: {
    limits?: Partial<PushLimits>;
    backoff?: BackoffPolicy;
    idlePollMs?: number;
    requestTimeoutMs?: number;
    batchGapMs?: number;
  };
  /** Least time between two progress notifications of one workspace (phase changes go at once). */
  notifyIntervalMs?: number;
}

export interface SyncService {
  /** Starts a pusher for every active enrollment. */
  start(): Promise<void>;
  /** Stops every pusher (requests in flight are cancelled; nothing is lost: they resume on start). */
  stop(): Promise<void>;
  status(workspaceId: WorkspaceId): Promise<SyncStatus>;
  /**
   * Refuses plain http to another computer (the code and token would travel in clear) unless
   * `allowInsecure`, which is logged as a warning.
   */
  enroll(
    workspaceId: WorkspaceId,
    serverUrl: string,
    code: string,
    options?: { allowInsecure?: boolean },
  ): Promise<SyncStatus>;
  leave(workspaceId: WorkspaceId): Promise<SyncStatus>;
  setShareMessageText(workspaceId: WorkspaceId, share: boolean): Promise<SyncStatus>;
  /** New events may be waiting: idle pushers look now instead of at their next poll. */
  nudge(workspaceId?: WorkspaceId): void;
  /** Retention deleted unpushed events of these workspaces: their backlogs are counted again. */
  backlogDropped(workspaceIds: readonly string[]): void;
  /** A workspace's status changed (throttled for progress; phase changes at once). */
  onChanged(listener: (workspaceId: WorkspaceId) => void): () => void;
  installationId(): Promise<string>;
  /**
   * The central server this installation is enrolled with and a workspace token it holds there: the
   * update feed is served per installation. Undefined when not enrolled.
   */
  updateFeed(): Promise<{ serverUrl: string; token: string } | undefined>;
  /** Resolves when no pusher is in the middle of a step (tests with fake timers). */
  settled(): Promise<void>;
}

export function createSyncService(options: SyncServiceOptions): SyncService {
  const { store, logger, secrets } = options;
  const timers = options.timers ?? realTimers;
  const random = options.random ?? Math.random;
  const transport = options.transport ?? createFetchTransport();
  const repo = createSyncStateRepository(store.db);
  const directory = createSyncDirectory(store.db);
  const phoneNumbers = createPhoneNumberRepository(store.db);
  const notifyIntervalMs = options.notifyIntervalMs ?? 1_000;
  const pushers = new Map<WorkspaceId, Pusher>();
  /** Backlog counters for workspaces without a running pusher (needs attention, or not started). */
  const idleCounters = new Map<WorkspaceId, BacklogCounter>();
  const listeners = new Set<(workspaceId: WorkspaceId) => void>();
  const pendingNotes = new Map<WorkspaceId, TimerHandle>();
  let installation: string | undefined;
  let started = false;
  let stopped = false;

  const installationId = async (): Promise<string> => (installation ??= await directory.installationId());

  const emit = (workspaceId: WorkspaceId): void => {
    for (const listener of [...listeners]) {
      try {
        listener(workspaceId);
      } catch (error) {
        logger.error('error', 'a sync.changed listener failed', { error });
      }
    }
  };

  const notify = (workspaceId: WorkspaceId, important: boolean): void => {
    const pending = pendingNotes.get(workspaceId);
    if (important) {
      if (pending !== undefined) timers.clearTimeout(pending);
      pendingNotes.delete(workspaceId);
      emit(workspaceId);
      return;
    }
    if (pending !== undefined) return;
    pendingNotes.set(
      workspaceId,
      timers.setTimeout(() => {
        pendingNotes.delete(workspaceId);
        emit(workspaceId);
      }, notifyIntervalMs),
    );
  };

  const numbersOf = async (workspaceId: WorkspaceId): Promise<SyncedNumber[]> =>
    (await phoneNumbers.list(workspaceId)).map((n) => ({
      number: n.e164,
      provider: n.provider,
      status: n.status,
      updatedAt: n.updatedAt,
    }));

  const countFor = (workspaceId: WorkspaceId) => (after: number, through: number) =>
    repo.countEvents(workspaceId, after, through);

  const startPusher = async (workspaceId: WorkspaceId): Promise<void> => {
    await stopPusher(workspaceId);
    const pusher = createPusher({
      workspaceId,
      repo,
      lastSeq: () => options.events.lastSeq(),
      numbers: () => numbersOf(workspaceId),
      secrets,
      transport,
      installationId: await installationId(),
      counter: createBacklogCounter(countFor(workspaceId), options.pusher?.limits?.windowSeqs),
      logger,
      timers,
      random,
      ...(options.pusher?.limits !== undefined && { limits: options.pusher.limits }),
      ...(options.pusher?.backoff !== undefined && { backoff: options.pusher.backoff }),
      ...(options.pusher?.idlePollMs !== undefined && { idlePollMs: options.pusher.idlePollMs }),
      ...(options.pusher?.requestTimeoutMs !== undefined && {
        requestTimeoutMs: options.pusher.requestTimeoutMs,
      }),
      ...(options.pusher?.batchGapMs !== undefined && { batchGapMs: options.pusher.batchGapMs }),
      onChange: (important) => notify(workspaceId, important),
    });
    pushers.set(workspaceId, pusher);
    idleCounters.delete(workspaceId);
    pusher.start();
  };

  const stopPusher = async (workspaceId: WorkspaceId): Promise<void> => {
    const pusher = pushers.get(workspaceId);
    if (pusher === undefined) return;
    pushers.delete(workspaceId);
    await pusher.stop();
  };

  const status = async (workspaceId: WorkspaceId): Promise<SyncStatus> => {
    await options.getWorkspace(workspaceId);
    const row = await repo.get(workspaceId);
    if (row === undefined) {
      await stopPusher(workspaceId);
      return offStatus(workspaceId);
    }
    const running = pushers.get(workspaceId)?.state();
    let backlog = running?.backlog ?? null;
    if (backlog === null) {
      let counter = idleCounters.get(workspaceId);
      if (counter === undefined) {
        counter = createBacklogCounter(countFor(workspaceId), options.pusher?.limits?.windowSeqs);
        idleCounters.set(workspaceId, counter);
      }
      backlog = await counter.update(row.lastAckedSeq, await options.events.lastSeq());
    }
    const phase =
      row.state === 'needs-attention'
        ? 'needs-attention'
        : running !== undefined && running.phase !== 'stopped' && running.phase !== 'needs-attention'
          ? running.phase
          : row.lastError !== null
            ? 'retrying'
            : 'idle';
    return {
      workspaceId,
      enrolled: true,
      phase,
      serverUrl: row.serverUrl,
      centralWorkspaceId: row.centralWorkspaceId,
      centralWorkspaceName: row.centralWorkspaceName,
      enrolledAt: row.enrolledAt,
      shareMessageText: row.shareMessageText,
      lastAckedSeq: row.lastAckedSeq,
      backlog,
      lastSuccessAt: row.lastSuccessAt,
      lastError:
        row.lastError === null || row.lastErrorAt === null
          ? null
          : { message: row.lastError, at: row.lastErrorAt },
      nextAttemptAt: phase === 'retrying' ? (running?.nextAttemptAt ?? null) : null,
      catchingUp: phase === 'catching-up' || phase === 'pushing' ? (running?.catchingUp ?? null) : null,
    };
  };

  /**
   * A workspace token this installation holds (for `serverUrl` when given), the newest enrollment's: the
   * server binds an installation id to its tokens, so enrolling another workspace there must show one,
   * and the update feed knows the installation by it.
   */
  async function heldToken(serverUrl?: string): Promise<{ serverUrl: string; token: string } | undefined> {
    let newest: SyncStateRow | undefined;
    let newestActive = false;
    for (const { workspaceId, state } of await directory.listEnrolled()) {
      const row = await repo.get(workspaceId);
      if (row === undefined || (serverUrl !== undefined && row.serverUrl !== serverUrl)) continue;
      // A token the server still takes (not "needs attention") first, then the newest.
      const active = state === 'active';
      if (
        newest === undefined ||
        (active && !newestActive) ||
        (active === newestActive && row.enrolledAt > newest.enrolledAt)
      ) {
        newest = row;
        newestActive = active;
      }
    }
    if (newest === undefined) return undefined;
    try {
      return { serverUrl: newest.serverUrl, token: secrets.open(newest.tokenSealed) };
    } catch {
      return undefined;
    }
  }
  const installationToken = async (serverUrl: string): Promise<string | undefined> =>
    (await heldToken(serverUrl))?.token;

  async function requestEnrollment(
    workspaceId: WorkspaceId,
    serverUrl: string,
    code: string,
    workspace: Workspace,
  ): Promise<EnrollResponse> {
    const log = logger.child({ workspaceId });
    const refuse = (
      code: SwitchboardError['code'],
      message: string,
      meta: Record<string, unknown>,
    ): never => {
      log.warn('sync.enroll_failed', message, { serverUrl, ...meta });
      throw new SwitchboardError(code, message, { serverUrl });
    };
    const request: EnrollRequest = {
      code,
      installation: {
        id: await installationId(),
        name: (options.installationName ?? safeHostname()).slice(0, 200),
        appVersion: (options.appVersion ?? '0.0.0').slice(0, 50),
        platform: `${process.platform}-${process.arch}`.slice(0, 50),
      },
      localWorkspaceName: workspace.name.slice(0, 200),
    };
    let response;
    try {
      const proof = await installationToken(serverUrl);
      response = await transport.post({
        url: `${serverUrl}/api/v1/enroll`,
        headers: {
          'content-type': 'application/json',
          ...(proof !== undefined && { authorization: `Bearer ${proof}` }),
        },
        body: JSON.stringify(request),
        timeoutMs: options.enrollTimeoutMs ?? 20_000,
      });
    } catch (error) {
      const reason = error instanceof SyncNetworkError ? error.message : (error as Error).message;
      return refuse(
        'UNAVAILABLE',
        `Could not reach the central server at ${serverUrl}: ${reason}. Check the address and this ` +
          "computer's internet connection, then try again.",
        { reason },
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text) as unknown;
    } catch {
      body = undefined;
    }
    const { status } = response;
    if (status === 200 || status === 201) {
      const parsed = enrollResponse.safeParse(body);
      if (parsed.success) return parsed.data;
    }
    const isCentralError = syncErrorBody.safeParse(body).success;
    const serverMessage = errorMessageOf(body, response.text);
    if (!isCentralError || status < 400) {
      return refuse(
        'UNAVAILABLE',
        `The server at ${serverUrl} answered (HTTP ${status}), but not like a Switchboard central server. ` +
          'Check the server address with your administrator.',
        { status },
      );
    }
    if (status === 429) {
      return refuse(
        'UNAVAILABLE',
        'The central server is receiving too many attempts right now. Wait a minute, then try again.',
        { status, serverMessage },
      );
    }
    if (status >= 500) {
      return refuse(
        'UNAVAILABLE',
        `The central server had a problem (HTTP ${status}: ${serverMessage}). Try again in a few minutes; if ` +
          'it keeps failing, tell your administrator.',
        { status, serverMessage },
      );
    }
    return refuse('VALIDATION', `The central server refused the code: ${serverMessage}`, {
      status,
      serverMessage,
    });
  }

  return {
    async start() {
      if (started || stopped) return;
      started = true;
      for (const { workspaceId, state } of await directory.listEnrolled()) {
        if (state !== 'active') continue;
        const row = await repo.get(workspaceId);
        if (row !== undefined) {
          logger
            .child({ workspaceId })
            .info('sync.started', `Pushing this workspace's log to ${row.serverUrl}`, {
              serverUrl: row.serverUrl,
              lastAckedSeq: row.lastAckedSeq,
            });
        }
        await startPusher(workspaceId);
      }
    },

    async stop() {
      stopped = true;
      await Promise.all([...pushers.keys()].map((id) => stopPusher(id)));
      for (const handle of pendingNotes.values()) timers.clearTimeout(handle);
      pendingNotes.clear();
      listeners.clear();
    },

    status,

    async enroll(workspaceId, serverUrl, code, choice = {}) {
      const workspace = await options.getWorkspace(workspaceId);
      if (sendsInClear(serverUrl)) {
        const log = logger.child({ workspaceId });
        if (choice.allowInsecure !== true) {
          log.warn('sync.enroll_failed', 'Refused to enroll over plain http to another computer', {
            serverUrl,
            reason: 'insecure',
          });
          throw new SwitchboardError(
            'VALIDATION',
            `${serverUrl} is plain http on another computer: the enrollment code and this computer's key ` +
              'would cross the network unencrypted. Use the https:// address, or tick "Send over plain ' +
              'http" if this network is yours alone.',
            { serverUrl },
          );
        }
        log.warn(
          'sync.insecure_enroll',
          `The owner chose to enroll over plain http with ${serverUrl}: the code and key travel unencrypted`,
          { serverUrl },
        );
      }
      const response = await requestEnrollment(workspaceId, serverUrl, code, workspace);
      const previous = await repo.get(workspaceId);
      // The same central workspace again (enrolling again after "needs attention"): resume where the
      // server is; it would drop the repeats anyway, but they need not travel.
      const resumeFrom = sameTarget(previous, serverUrl, response.workspaceId) ? previous!.lastAckedSeq : 0;
      await stopPusher(workspaceId);
      const now = Math.max(timers.now(), (previous?.enrolledAt ?? 0) + 1);
      await repo.save(
        workspaceId,
        {
          serverUrl,
          centralWorkspaceId: response.workspaceId,
          centralWorkspaceName: response.workspaceName,
          tokenSealed: secrets.seal(response.workspaceToken),
          lastAckedSeq: resumeFrom,
        },
        now,
      );
      idleCounters.delete(workspaceId);
      logger
        .child({ workspaceId })
        .info(
          'sync.enrolled',
          `Enrolled with the central server at ${serverUrl} as "${response.workspaceName}"`,
          {
            serverUrl,
            centralWorkspaceId: response.workspaceId,
            centralWorkspaceName: response.workspaceName,
            resumeFromSeq: resumeFrom,
          },
        );
      if (started && !stopped) await startPusher(workspaceId);
      notify(workspaceId, true);
      return status(workspaceId);
    },

    async leave(workspaceId) {
      await options.getWorkspace(workspaceId);
      await stopPusher(workspaceId);
      const row = await repo.get(workspaceId);
      if (await repo.remove(workspaceId)) {
        logger
          .child({ workspaceId })
          .info('sync.left', `Stopped pushing to the central server at ${row?.serverUrl ?? '?'}`, {
            serverUrl: row?.serverUrl ?? null,
            lastAckedSeq: row?.lastAckedSeq ?? null,
          });
      }
      idleCounters.delete(workspaceId);
      notify(workspaceId, true);
      return offStatus(workspaceId);
    },

    async setShareMessageText(workspaceId, share) {
      await options.getWorkspace(workspaceId);
      if (!(await repo.setShareMessageText(workspaceId, share, timers.now()))) {
        throw new SwitchboardError(
          'CONFLICT',
          'This business is not enrolled with a central server. Enroll it first, then choose what to share.',
        );
      }
      logger
        .child({ workspaceId })
        .info(
          'sync.settings',
          share
            ? 'Message texts will be shared with the central server from now on'
            : 'Message texts will no longer be shared with the central server',
          { shareMessageText: share },
        );
      notify(workspaceId, true);
      return status(workspaceId);
    },

    nudge(workspaceId) {
      if (workspaceId !== undefined) pushers.get(workspaceId)?.nudge();
      else for (const pusher of pushers.values()) pusher.nudge();
    },

    backlogDropped(workspaceIds) {
      for (const id of workspaceIds) {
        pushers.get(id as WorkspaceId)?.recount();
        idleCounters.get(id as WorkspaceId)?.reset();
        notify(id as WorkspaceId, false);
      }
    },

    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    installationId,
    updateFeed: () => heldToken(),

    async settled() {
      await Promise.all([...pushers.values()].map((p) => p.settled()));
    },
  };
}

function sameTarget(
  previous: SyncStateRow | undefined,
  serverUrl: string,
  centralWorkspaceId: string,
): boolean {
  return (
    previous !== undefined &&
    previous.serverUrl === serverUrl &&
    previous.centralWorkspaceId === centralWorkspaceId
  );
}

function offStatus(workspaceId: WorkspaceId): SyncStatus {
  return {
    workspaceId,
    enrolled: false,
    phase: 'off',
    serverUrl: null,
    centralWorkspaceId: null,
    centralWorkspaceName: null,
    enrolledAt: null,
    shareMessageText: false,
    lastAckedSeq: 0,
    backlog: 0,
    lastSuccessAt: null,
    lastError: null,
    nextAttemptAt: null,
    catchingUp: null,
  };
}

function safeHostname(): string {
  try {
    return hostname() || 'unknown computer';
  } catch {
    return 'unknown computer';
  }
}
