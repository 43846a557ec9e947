import { SYNC_LIMITS, type SyncedNumber } from '../../shared/sync-protocol';
import type { WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import type { SyncStateRepository } from '../store/repositories/sync-state';
import type { Timers } from '../timers';
import type { BacklogCounter } from './backlog-counter';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { createBatchReader } from './batch-reader';
import { createBatchSizer } from './batch-sizer';
import { createFailureStreak } from './failure-streak';
import { createIngestRequest, type PushContext } from './push-context';
import { createPushLoop, type PusherPhase } from './push-loop';
import { failedUnexpectedly } from './push-reactions';
import { pushStep } from './push-step';
import type { SyncTransport } from './transport';

export type { PusherPhase } from './push-loop';
export { POISON_AFTER } from './batch-sizer';

/**
 * One workspace's push loop: read the events after the last acknowledged seq, send them as one gzip
 * batch, store the seq the server says it committed, repeat; wait and retry on failure. Everything it
 * needs to resume lives in the database (the events table is the queue, sync_state the cursor), so a
 * crash, a restart or days offline lose nothing and send nothing twice that the server would keep twice
 * (ingest is idempotent on seq).
 *
 * Feedback loop: the pusher logs what it decides, and the workspace's log is what it pushes. A success
 * therefore never writes to the workspace's log (only `sync.pushed` at debug level to the machine's
 * log, workspaceId null); only state changes do (a first failure, recovery, catch-up done, needs
 * attention), and pushing those is itself a plain success. So the loop always comes to rest.
 */

export interface PusherState {
  phase: PusherPhase;
  /** Events waiting (null until first counted). */
  backlog: number | null;
  nextAttemptAt: number | null;
  catchingUp: { done: number; total: number } | null;
}

export interface PushLimits {
  /** Events per batch (at most SYNC_LIMITS.maxEventsPerBatch). */
  maxEvents: number;
  /** JSON bytes per request body, envelope included (at most SYNC_LIMITS.maxBatchBytes). */
  maxBytes: number;
  /** Gzip bytes on the wire (at most SYNC_LIMITS.maxRequestBytes). */
  maxRequestBytes: number;
  /** Seqs per read query and rows per page: how long one query may hold the database. */
  windowSeqs: number;
  pageRows: number;
}

/**
 * Below the protocol's limits on purpose: a small batch stringifies and compresses in a few
 * milliseconds, so pushing a backlog never holds up the messaging pipeline on the same event loop.
 */
export const DEFAULT_PUSH_LIMITS: PushLimits = {
  maxEvents: 500,
  maxBytes: 1024 * 1024,
  maxRequestBytes: SYNC_LIMITS.maxRequestBytes,
  windowSeqs: 20_000,
  pageRows: 200,
};

export interface PusherOptions {
  workspaceId: WorkspaceId;
  repo: SyncStateRepository;
  /** The highest seq the events table has issued. */
  lastSeq: () => Promise<number>;
  /** The workspace's numbers and their connection state, sent with each batch. */
  numbers: () => Promise<SyncedNumber[]>;
  secrets: SecretBox;
  transport: SyncTransport;
  installationId: string;
  counter: BacklogCounter;
  /** The machine's logger (no workspace): the pusher takes its own children. */
  logger: Logger;
  timers: Timers;
  random: () => number;
  limits?: Partial<PushLimits>;
  backoff?: BackoffPolicy;
  /** How often an idle pusher looks for new events. */
  idlePollMs?: number;
  requestTimeoutMs?: number;
  /**
   * Pause between batches while catching up (default 100 ms): the event loop turns between them and
   * the server's per-token rate limit (20 a second) is never reached.
   */
  batchGapMs?: number;
  /** Its state changed; `important` for phase changes (the UI hears those at once). */
  onChange: (important: boolean) => void;
}

export interface Pusher {
  readonly workspaceId: WorkspaceId;
  /** Starts pushing (at once). */
  start(): void;
  /** New events may be waiting: push now unless a retry is pending. */
  nudge(): void;
  /** Retention deleted unpushed events: count the backlog again. */
  recount(): void;
  state(): PusherState;
  /** Resolves when the step running now (if any) has ended; tests use it with fake timers. */
  settled(): Promise<void>;
  /** Stops: cancels a request in flight and waits for the current step to end. */
  stop(): Promise<void>;
}

export function createPusher(options: PusherOptions): Pusher {
  const { workspaceId, counter, timers } = options;
  const limits = resolveLimits(options.limits);
  const machineLog = options.logger.child({ workspaceId: null, meta: { workspaceId } });
  const request = createIngestRequest(options.transport, options.requestTimeoutMs ?? 60_000);
  const ctx: PushContext = {
    workspaceId,
    repo: options.repo,
    counter,
    timers,
    secrets: options.secrets,
    random: options.random,
    policy: options.backoff ?? DEFAULT_BACKOFF,
    maxEvents: limits.maxEvents,
    idlePollMs: Math.max(100, options.idlePollMs ?? 5_000),
    batchGapMs: Math.max(0, options.batchGapMs ?? 100),
    lastSeq: options.lastSeq,
    onChange: options.onChange,
    log: options.logger.child({ workspaceId }),
    machineLog,
    loop: createPushLoop({
      timers,
      step: () => pushStep(ctx),
      onError: (error) => failedUnexpectedly(ctx, error),
      onChange: options.onChange,
    }),
    sizer: createBatchSizer(limits.maxEvents),
    streak: createFailureStreak(),
    reader: createBatchReader({ ...options, limits, log: machineLog }),
    request,
    catchUp: null,
  };
  const { loop } = ctx;

  return {
    workspaceId,
    start: () => loop.start(),
    nudge: () => loop.nudge(),
    recount() {
      counter.reset();
      ctx.reader.forget();
    },
    state: () => ({
      phase: loop.phase,
      backlog: counter.value,
      nextAttemptAt: loop.phase === 'retrying' ? loop.nextAttemptAt : null,
      catchingUp:
        ctx.catchUp === null
          ? null
          : { done: ctx.catchUp.done, total: ctx.catchUp.done + Math.max(0, counter.value ?? 0) },
    }),
    settled: () => loop.settled(),
    stop: () => loop.stop(() => request.abort()),
  };
}

function resolveLimits(given: Partial<PushLimits> | undefined): PushLimits {
  const limits = { ...DEFAULT_PUSH_LIMITS, ...given };
  limits.maxEvents = clampInt(limits.maxEvents, 1, SYNC_LIMITS.maxEventsPerBatch);
  limits.maxBytes = clampInt(limits.maxBytes, 4 * 1024, SYNC_LIMITS.maxBatchBytes);
  limits.maxRequestBytes = clampInt(limits.maxRequestBytes, 1024, SYNC_LIMITS.maxRequestBytes);
  return limits;
}

function clampInt(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(Number.isFinite(value) ? value : max)));
}
