import type { SyncedNumber } from '../../shared/sync-protocol';
import type { WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import type { PhoneNumberRepository } from '../store/repositories/phone-numbers';
import type { SyncStateRepository } from '../store/repositories/sync-state';
import type { Timers } from '../timers';
import { createBacklogCounter, type BacklogCounter } from './backlog-counter';
import type { BackoffPolicy } from './backoff';
import { createPusher, type Pusher, type PusherState, type PushLimits } from './pusher';
import type { SyncTransport } from './transport';

export interface PusherSettings {
  limits?: Partial<PushLimits>;
  backoff?: BackoffPolicy;
  idlePollMs?: number;
  requestTimeoutMs?: number;
  batchGapMs?: number;
}

/**
 * One pusher per enrolled workspace that is pushing, and backlog counters for the workspaces that are
 * not (needs attention, or not started).
 */
export interface PusherPool {
  /** Starts (or restarts) the workspace's pusher. */
  start(workspaceId: WorkspaceId): Promise<void>;
  stop(workspaceId: WorkspaceId): Promise<void>;
  stopAll(): Promise<void>;
  state(workspaceId: WorkspaceId): PusherState | undefined;
  /** The backlog of a workspace whose pusher has not counted one. */
  idleBacklog(workspaceId: WorkspaceId, ackedSeq: number, lastSeq: number): Promise<number>;
  /** The workspace's enrollment changed: its idle count starts again. */
  forgetIdle(workspaceId: WorkspaceId): void;
  nudge(workspaceId?: WorkspaceId): void;
  /** Retention deleted unpushed events of these workspaces. */
  backlogDropped(workspaceIds: readonly string[]): void;
  settled(): Promise<void>;
}

export interface PusherPoolOptions {
  repo: SyncStateRepository;
  phoneNumbers: PhoneNumberRepository;
  lastSeq: () => Promise<number>;
  secrets: SecretBox;
  transport: SyncTransport;
  installationId: () => Promise<string>;
  logger: Logger;
  timers: Timers;
  random: () => number;
  settings: PusherSettings | undefined;
  notify: (workspaceId: WorkspaceId, important: boolean) => void;
}

export function createPusherPool(options: PusherPoolOptions): PusherPool {
  const { repo, settings } = options;
  const pushers = new Map<WorkspaceId, Pusher>();
  const idleCounters = new Map<WorkspaceId, BacklogCounter>();

  const counterFor = (workspaceId: WorkspaceId): BacklogCounter =>
    createBacklogCounter(
      (after, through) => repo.countEvents(workspaceId, after, through),
      settings?.limits?.windowSeqs,
    );

  const numbersOf = async (workspaceId: WorkspaceId): Promise<SyncedNumber[]> =>
    (await options.phoneNumbers.list(workspaceId)).map((n) => ({
      number: n.e164,
      provider: n.provider,
      status: n.status,
      updatedAt: n.updatedAt,
    }));

  const pool: PusherPool = {
    async start(workspaceId) {
      await pool.stop(workspaceId);
      const pusher = createPusher({
        ...options,
        ...settings,
        workspaceId,
        numbers: () => numbersOf(workspaceId),
        installationId: await options.installationId(),
        counter: counterFor(workspaceId),
        onChange: (important) => options.notify(workspaceId, important),
      });
      pushers.set(workspaceId, pusher);
      idleCounters.delete(workspaceId);
      pusher.start();
    },
    async stop(workspaceId) {
      const pusher = pushers.get(workspaceId);
      if (pusher === undefined) return;
      pushers.delete(workspaceId);
      await pusher.stop();
    },
    async stopAll() {
      await Promise.all([...pushers.keys()].map((id) => pool.stop(id)));
    },
    state: (workspaceId) => pushers.get(workspaceId)?.state(),
    async idleBacklog(workspaceId, ackedSeq, lastSeq) {
      let counter = idleCounters.get(workspaceId);
      if (counter === undefined) {
        counter = counterFor(workspaceId);
        idleCounters.set(workspaceId, counter);
      }
      return counter.update(ackedSeq, lastSeq);
    },
    forgetIdle(workspaceId) {
      idleCounters.delete(workspaceId);
    },
    nudge(workspaceId) {
      if (workspaceId !== undefined) pushers.get(workspaceId)?.nudge();
      else for (const pusher of pushers.values()) pusher.nudge();
    },
    backlogDropped(workspaceIds) {
      for (const id of workspaceIds) {
        pushers.get(id as WorkspaceId)?.recount();
        idleCounters.get(id as WorkspaceId)?.reset();
        options.notify(id as WorkspaceId, false);
      }
    },
    async settled() {
      await Promise.all([...pushers.values()].map((p) => p.settled()));
    },
  };
  return pool;
}
