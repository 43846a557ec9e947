import type { SyncStatus } from '../../shared/sync-contract';
import type { Workspace } from '../../shared/dto';
import type { WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import type { Store } from '../store/open-database';
import type { EventLogRepository } from '../store/repositories/event-log';
import { createPhoneNumberRepository } from '../store/repositories/phone-numbers';
import { createSyncDirectory, createSyncStateRepository } from '../store/repositories/sync-state';
import { realTimers, type Timers } from '../timers';
import { createChangeNotifier } from './change-notifier';
import { enroll, leave, setShareMessageText, type EnrollmentContext } from './enrollment';
import { heldToken } from './enrollment-request';
import { createPusherPool, type PusherSettings } from './pusher-pool';
import { enrolledStatus, offStatus } from './sync-status';
import { createFetchTransport, type SyncTransport } from './transport';

/**
 * The push client: enrolls workspaces with a central server, runs one pusher per enrolled workspace,
 * and answers the Settings screen's status questions. The wire protocol is
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
  pusher?: PusherSettings;
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
  const { logger } = options;
  const timers = options.timers ?? realTimers;
  const repo = createSyncStateRepository(options.store.db);
  const directory = createSyncDirectory(options.store.db);
  const notifier = createChangeNotifier(timers, options.notifyIntervalMs ?? 1_000, logger);
  let installation: string | undefined;
  const installationId = async (): Promise<string> => (installation ??= await directory.installationId());
  const transport = options.transport ?? createFetchTransport();
  const pool = createPusherPool({
    ...options,
    repo,
    phoneNumbers: createPhoneNumberRepository(options.store.db),
    lastSeq: () => options.events.lastSeq(),
    transport,
    installationId,
    timers,
    random: options.random ?? Math.random,
    settings: options.pusher,
    notify: (workspaceId, important) => notifier.notify(workspaceId, important),
  });
  let started = false;
  let stopped = false;

  const status = async (workspaceId: WorkspaceId): Promise<SyncStatus> => {
    await options.getWorkspace(workspaceId);
    const row = await repo.get(workspaceId);
    if (row === undefined) {
      await pool.stop(workspaceId);
      return offStatus(workspaceId);
    }
    const running = pool.state(workspaceId);
    const backlog =
      running?.backlog ??
      (await pool.idleBacklog(workspaceId, row.lastAckedSeq, await options.events.lastSeq()));
    return enrolledStatus(row, running, backlog);
  };

  const ctx: EnrollmentContext = {
    ...options,
    repo,
    directory,
    transport,
    installationId,
    timeoutMs: options.enrollTimeoutMs ?? 20_000,
    timers,
    pool,
    notifier,
    status,
    pushing: () => started && !stopped,
  };

  return {
    async start() {
      if (started || stopped) return;
      started = true;
      await startEnrolled(ctx);
    },
    async stop() {
      stopped = true;
      await pool.stopAll();
      notifier.close();
    },
    status,
    enroll: (workspaceId, serverUrl, code, choice = {}) =>
      enroll(ctx, workspaceId, serverUrl, code, choice.allowInsecure === true),
    leave: (workspaceId) => leave(ctx, workspaceId),
    setShareMessageText: (workspaceId, share) => setShareMessageText(ctx, workspaceId, share),
    nudge: (workspaceId) => pool.nudge(workspaceId),
    backlogDropped: (workspaceIds) => pool.backlogDropped(workspaceIds),
    onChanged: (listener) => notifier.onChanged(listener),
    installationId,
    updateFeed: () => heldToken(ctx),
    settled: () => pool.settled(),
  };
}

/** Starts a pusher for every active enrollment. */
async function startEnrolled(ctx: EnrollmentContext): Promise<void> {
  for (const { workspaceId, state } of await ctx.directory.listEnrolled()) {
    if (state !== 'active') continue;
    const row = await ctx.repo.get(workspaceId);
    if (row !== undefined) {
      ctx.logger
        .child({ workspaceId })
        .info('sync.started', `Pushing this workspace's log to ${row.serverUrl}`, {
          serverUrl: row.serverUrl,
          lastAckedSeq: row.lastAckedSeq,
        });
    }
    await ctx.pool.start(workspaceId);
  }
}
