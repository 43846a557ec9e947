import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import {
  ingestResponse,
  SYNC_LIMITS,
  SYNC_PROTOCOL_VERSION,
  syncErrorBody,
  type IngestResponse,
  type SyncedNumber,
} from '../../shared/sync-protocol';
import type { WorkspaceId } from '../../shared/types';
import { assertNever } from '../errors';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import type { SyncStateRepository, SyncStateRow } from '../store/repositories/sync-state';
import type { TimerHandle, Timers } from '../timers';
import type { BacklogCounter } from './backlog-counter';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter, type BackoffPolicy } from './backoff';
import { buildBatch, type Batch } from './batch';
import { SyncNetworkError, type SyncHttpResponse, type SyncTransport } from './transport';

const gzip = promisify(gzipCallback);

/** The same batch failing with a server error this many times in a row is treated as a poison batch. */
export const POISON_AFTER = 3;

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

export type PusherPhase = 'idle' | 'pushing' | 'catching-up' | 'retrying' | 'needs-attention' | 'stopped';

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

/** What an ingest reply means for the pusher. */
export type IngestOutcome =
  | { kind: 'acked'; response: IngestResponse }
  | { kind: 'unauthorized'; status: number; message: string }
  | { kind: 'rejected'; status: number; message: string }
  | { kind: 'wait'; status: number; message: string; retryAfterMs: number | null }
  | { kind: 'failed'; status: number; message: string };

export function classifyIngestResponse(response: SyncHttpResponse, now: number): IngestOutcome {
  const body = parseJson(response.text);
  const serverMessage = errorMessageOf(body, response.text);
  const { status } = response;
  if (status === 200) {
    const parsed = ingestResponse.safeParse(body);
    if (parsed.success) return { kind: 'acked', response: parsed.data };
    return { kind: 'failed', status, message: 'the answer to the upload could not be read' };
  }
  if (status === 401 || status === 403) return { kind: 'unauthorized', status, message: serverMessage };
  if (status === 400 || status === 413) return { kind: 'rejected', status, message: serverMessage };
  if (status === 429 || status === 503) {
    return {
      kind: 'wait',
      status,
      message: serverMessage,
      retryAfterMs: parseRetryAfter(response.retryAfter, now),
    };
  }
  return { kind: 'failed', status, message: serverMessage };
}

export function createPusher(options: PusherOptions): Pusher {
  const { workspaceId, repo, counter, timers } = options;
  const limits = { ...DEFAULT_PUSH_LIMITS, ...options.limits };
  limits.maxEvents = clampInt(limits.maxEvents, 1, SYNC_LIMITS.maxEventsPerBatch);
  limits.maxBytes = clampInt(limits.maxBytes, 4 * 1024, SYNC_LIMITS.maxBatchBytes);
  limits.maxRequestBytes = clampInt(limits.maxRequestBytes, 1024, SYNC_LIMITS.maxRequestBytes);
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const idlePollMs = Math.max(100, options.idlePollMs ?? 5_000);
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const batchGapMs = Math.max(0, options.batchGapMs ?? 100);
  // The workspace's own log (pushed later) and the machine's (never pushed for this workspace).
  const log = options.logger.child({ workspaceId });
  const machineLog = options.logger.child({ workspaceId: null, meta: { workspaceId } });

  let phase: PusherPhase = 'idle';
  let nextAttemptAt: number | null = null;
  let timer: TimerHandle | null = null;
  let running: Promise<void> | null = null;
  let inFlight: AbortController | null = null;
  let stopped = false;
  let started = false;
  /** Consecutive failed attempts (0 after a success). */
  let failures = 0;
  /** The last failure's message, to log a streak of the same failure once. */
  let failingWith: string | null = null;
  /** Events per batch now: halved when the server refuses a batch, doubled back after successes. */
  let batchLimit = limits.maxEvents;
  /** The workspace has no events in (lastAckedSeq, noneThrough]: the next read starts after it. */
  let noneThrough = 0;
  /** Single events the server refused (seq -> its message): sent as a stub that says so. */
  const withheld = new Map<number, string>();
  /** The batch the last server error (5xx) answered, and how many times in a row it did. */
  let repeated: { first: number; last: number; count: number } | null = null;
  let catchUp: { startedAt: number; done: number } | null = null;

  const setPhase = (next: PusherPhase): void => {
    if (phase === next) return;
    phase = next;
    options.onChange(true);
  };

  const schedule = (delayMs: number): void => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    if (stopped) return;
    timer = timers.setTimeout(() => {
      timer = null;
      run();
    }, delayMs);
  };

  const run = (): void => {
    if (running !== null || stopped) return;
    running = step()
      .catch((error: unknown) => {
        // A bug or a closed database: never a tight loop, never an unhandled rejection.
        if (stopped) return;
        failures += 1;
        const delay = backoffDelay(failures, options.random, policy);
        machineLog.error('sync.failed', `Pushing failed unexpectedly; trying again in ${delay} ms`, {
          error,
          retryInMs: delay,
        });
        retryIn(delay);
      })
      .finally(() => {
        running = null;
      });
  };

  const retryIn = (delayMs: number): void => {
    nextAttemptAt = timers.now() + delayMs;
    phase = 'retrying';
    options.onChange(true);
    schedule(delayMs);
  };

  const goIdle = (): void => {
    nextAttemptAt = null;
    if (catchUp !== null) {
      log.info('sync.caught_up', `Caught up: ${catchUp.done} waiting events reached the central server`, {
        events: catchUp.done,
        durationMs: timers.now() - catchUp.startedAt,
      });
      catchUp = null;
    }
    setPhase('idle');
    schedule(idlePollMs);
  };

  async function step(): Promise<void> {
    const row = await repo.get(workspaceId);
    if (stopped) return;
    if (row === undefined) {
      setPhase('stopped');
      return;
    }
    if (row.state !== 'active') {
      setPhase('needs-attention');
      return;
    }
    let token: string;
    try {
      token = options.secrets.open(row.tokenSealed);
    } catch (error) {
      await needsAttention(
        row,
        `This computer could not read its stored key for the central server (${(error as Error).message}). ` +
          'Enroll again with a new code from your administrator.',
        { error },
      );
      return;
    }

    const lastSeq = await options.lastSeq();
    const from = Math.max(row.lastAckedSeq, noneThrough);
    if (lastSeq <= from) {
      counter.markEmpty(row.lastAckedSeq, lastSeq);
      goIdle();
      return;
    }

    const prepared = await prepare(row, from, lastSeq);
    if (stopped) return;
    if (prepared === null) {
      goIdle();
      return;
    }
    const { batch, body, backlogBefore } = prepared;
    if (catchUp !== null || backlogBefore > limits.maxEvents) setPhase('catching-up');
    else setPhase('pushing');

    let response: SyncHttpResponse;
    inFlight = new AbortController();
    try {
      response = await options.transport.post({
        url: `${row.serverUrl}/api/v1/ingest`,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        },
        body,
        timeoutMs: requestTimeoutMs,
        signal: inFlight.signal,
      });
    } catch (error) {
      if (stopped) return;
      const reason = error instanceof SyncNetworkError ? error.message : (error as Error).message;
      await failed(
        row,
        `Could not reach the central server: ${reason}. The events wait on this computer and go out when ` +
          "it can be reached again; check this computer's internet connection if this lasts.",
        { status: null, reason },
        null,
      );
      return;
    } finally {
      inFlight = null;
    }
    if (stopped) return;

    const outcome = classifyIngestResponse(response, timers.now());
    switch (outcome.kind) {
      case 'acked':
        return acked(row, batch, outcome.response, lastSeq, body.length);
      case 'unauthorized':
        return needsAttention(row, refusedKeyMessage(outcome.status, outcome.message), {
          status: outcome.status,
          serverMessage: outcome.message,
        });
      case 'rejected':
        return rejected(row, batch, outcome.status, outcome.message);
      case 'wait':
        return failed(
          row,
          `The central server asked to wait (HTTP ${outcome.status}: ${outcome.message}). The events wait on ` +
            'this computer; Switchboard tries again by itself.',
          { status: outcome.status, serverMessage: outcome.message, retryAfterMs: outcome.retryAfterMs },
          outcome.retryAfterMs,
        );
      case 'failed':
        if (isPoison(batch, outcome.status)) {
          return rejected(
            row,
            batch,
            outcome.status,
            `the same upload failed ${POISON_AFTER} times in a row: ${outcome.message}`,
            'repeated',
          );
        }
        return failed(
          row,
          outcome.status === 404
            ? `The central server at ${row.serverUrl} does not know the upload address (HTTP 404). Check the ` +
                'server address with your administrator, and enroll again if it changed.'
            : `The central server had a problem (HTTP ${outcome.status}: ${outcome.message}). The events wait ` +
                'on this computer; Switchboard tries again by itself.',
          { status: outcome.status, serverMessage: outcome.message },
          null,
        );
      default:
        return assertNever(outcome, 'ingest outcome');
    }
  }

  /** Reads a batch and compresses it, halving it until it fits the wire limit. Null: nothing to send. */
  async function prepare(
    row: SyncStateRow,
    from: number,
    lastSeq: number,
  ): Promise<{ batch: Batch; body: Buffer; backlogBefore: number } | null> {
    const numbers = (await options.numbers()).slice(0, 100);
    const numbersJson = JSON.stringify(numbers);
    const head = `{"protocol":${SYNC_PROTOCOL_VERSION},"installationId":${JSON.stringify(options.installationId)},"events":[`;
    // 20 digits is more than any backlog count; the rest is the closing of the envelope.
    const envelopeBytes = Buffer.byteLength(head) + Buffer.byteLength(numbersJson) + 64;
    let maxEvents = batchLimit;
    for (;;) {
      const batch = await buildBatch({
        repo,
        workspaceId,
        afterSeq: from,
        throughSeq: lastSeq,
        maxEvents,
        maxBytes: limits.maxBytes - envelopeBytes,
        shareMessageText: row.shareMessageText,
        withheld,
        windowSeqs: limits.windowSeqs,
        pageRows: limits.pageRows,
      });
      if (batch.events.length === 0) {
        noneThrough = Math.max(noneThrough, batch.scannedThrough);
        counter.markEmpty(row.lastAckedSeq, batch.scannedThrough);
        return null;
      }
      noneThrough = Math.max(noneThrough, batch.events[0]!.seq - 1);
      const backlogBefore = await counter.update(row.lastAckedSeq, lastSeq);
      const after = Math.max(0, backlogBefore - batch.events.length);
      const json = `${head}${batch.json.join(',')}],"numbers":${numbersJson},"backlog":${after}}`;
      const body = await gzip(Buffer.from(json));
      if (body.length <= limits.maxRequestBytes || batch.events.length === 1) {
        return { batch, body, backlogBefore };
      }
      // Incompressible text (photos' captions, other scripts) can pass the wire limit: send fewer.
      maxEvents = Math.ceil(batch.events.length / 2);
      machineLog.debug(
        'sync.batch_shrunk',
        `A batch compressed to ${body.length} bytes; sending ${maxEvents} events`,
        {
          gzipBytes: body.length,
          events: batch.events.length,
        },
      );
    }
  }

  async function acked(
    row: SyncStateRow,
    batch: Batch,
    response: IngestResponse,
    lastSeq: number,
    gzipBytes: number,
  ): Promise<void> {
    const now = timers.now();
    const ackedSeq = response.ackedSeq;
    const firstSent = batch.events[0]!.seq;
    const lastSent = batch.events.at(-1)!.seq;
    if (ackedSeq < firstSent) {
      // The server kept none of what was sent, or has less than it acknowledged before (restored from
      // a backup). Resume from what it says it has, but never in a tight loop.
      if (ackedSeq < row.lastAckedSeq) {
        await repo.recordAck(workspaceId, row.enrolledAt, ackedSeq, now);
        noneThrough = 0;
        counter.reset();
      }
      await failed(
        row,
        `The central server accepted the upload but confirmed only events up to ${ackedSeq} ` +
          `(sent ${firstSent}-${lastSent}). Switchboard sends them again after a pause.`,
        { ackedSeq, previousAckedSeq: row.lastAckedSeq, firstSent, lastSent, stored: response.stored },
        null,
        'sync.ack_anomaly',
      );
      return;
    }
    const saved = await repo.recordAck(workspaceId, row.enrolledAt, ackedSeq, now);
    if (!saved) {
      // Left or enrolled again while the request was out: this answer belongs to the old enrollment.
      machineLog.debug(
        'sync.pushed',
        'An upload finished after the enrollment changed; its answer is dropped',
        {
          ackedSeq,
        },
      );
      return;
    }
    failures = 0;
    repeated = null;
    for (const seq of withheld.keys()) if (seq <= ackedSeq) withheld.delete(seq);
    batchLimit = Math.min(limits.maxEvents, batchLimit * 2);
    if (failingWith !== null) {
      log.info('sync.recovered', 'The central server is receiving events again', { ackedSeq });
      failingWith = null;
    }
    const backlog = await counter.update(ackedSeq, lastSeq);
    const pushed = batch.events.filter((e) => e.seq <= ackedSeq).length;
    if (catchUp === null && backlog >= limits.maxEvents) catchUp = { startedAt: now, done: 0 };
    if (catchUp !== null) catchUp.done += pushed;
    machineLog.debug('sync.pushed', `Pushed ${batch.events.length} events of workspace ${workspaceId}`, {
      events: batch.events.length,
      stored: response.stored,
      duplicates: response.duplicates,
      ackedSeq,
      jsonBytes: batch.bytes,
      gzipBytes,
      backlog,
    });
    if (backlog > 0 || batch.full) {
      nextAttemptAt = null;
      options.onChange(false);
      schedule(batchGapMs);
      return;
    }
    options.onChange(false);
    goIdle();
  }

  /**
   * A server error is taken as temporary, but the same batch failing with 500 POISON_AFTER times in a
   * row is more likely an event the server cannot store (a poison batch): it is then halved like a
   * refused batch, down to the one event, which goes as a placeholder. Only 500, the server's own
   * failure: a proxy's 502/504 (the server down behind it) never costs an event. A server that fails
   * every request costs one event's content at most: its placeholder fails too and the pusher backs off
   * as usual.
   */
  function isPoison(batch: Batch, status: number): boolean {
    if (status !== 500) return false;
    const first = batch.events[0]!.seq;
    const last = batch.events.at(-1)!.seq;
    if (repeated?.first === first && repeated.last === last) repeated.count += 1;
    else repeated = { first, last, count: 1 };
    if (repeated.count < POISON_AFTER) return false;
    if (batch.events.length === 1 && withheld.has(first)) return false;
    repeated = null;
    // Each half gets the same few quick attempts, not the streak's long backoff.
    failures = 0;
    return true;
  }

  async function rejected(
    row: SyncStateRow,
    batch: Batch,
    status: number,
    serverMessage: string,
    how: 'refused' | 'repeated' = 'refused',
  ): Promise<void> {
    const first = batch.events[0]!.seq;
    const what = how === 'refused' ? 'refused' : 'keeps failing on';
    if (batch.events.length > 1) {
      batchLimit = Math.max(1, Math.floor(batch.events.length / 2));
      log.warn(
        'sync.batch_shrunk',
        `The central server ${what} a batch of ${batch.events.length} events (HTTP ${status}: ${serverMessage}); ` +
          `sending ${batchLimit} at a time`,
        {
          status,
          serverMessage,
          events: batch.events.length,
          firstSeq: first,
          lastSeq: batch.events.at(-1)!.seq,
        },
      );
      // Halving ends at one event within ten steps: a short pause each, not an escalating backoff.
      retryIn(backoffDelay(1, options.random, policy));
      return;
    }
    if (!withheld.has(first)) {
      withheld.set(first, serverMessage.slice(0, 500));
      log.warn(
        'sync.event_withheld',
        `The central server ${what} event ${first} (HTTP ${status}: ${serverMessage}); a placeholder is sent in its place`,
        { status, serverMessage, seq: first },
      );
      retryIn(backoffDelay(1, options.random, policy));
      return;
    }
    // Even the placeholder is refused: the request itself is wrong (a protocol mismatch). Back off.
    await failed(
      row,
      `The central server refuses this computer's uploads (HTTP ${status}: ${serverMessage}). Updating ` +
        'Switchboard may be needed; tell your administrator.',
      { status, serverMessage, seq: first },
      null,
    );
  }

  async function failed(
    row: SyncStateRow,
    message: string,
    meta: Record<string, unknown>,
    retryAfterMs: number | null,
    type: 'sync.failed' | 'sync.ack_anomaly' = 'sync.failed',
  ): Promise<void> {
    failures += 1;
    const delay = retryAfterMs ?? backoffDelay(failures, options.random, policy);
    await repo.recordError(workspaceId, row.enrolledAt, message, timers.now());
    const logMeta = { ...meta, attempt: failures, retryInMs: delay };
    if (failingWith !== message) {
      log.warn(type, message, logMeta);
      failingWith = message;
    } else {
      // The same failure again: the streak is already in the workspace's log once.
      machineLog.debug(type, message, logMeta);
    }
    if (retryAfterMs !== null) {
      machineLog.debug('sync.retry_after', `Waiting ${delay} ms as the central server asked`, {
        retryInMs: delay,
      });
    }
    retryIn(delay);
  }

  async function needsAttention(
    row: SyncStateRow,
    message: string,
    meta: Record<string, unknown>,
  ): Promise<void> {
    await repo.markNeedsAttention(workspaceId, row.enrolledAt, message, timers.now());
    log.warn('sync.needs_attention', message, meta);
    nextAttemptAt = null;
    catchUp = null;
    setPhase('needs-attention');
    options.onChange(true);
  }

  return {
    workspaceId,
    start() {
      if (started || stopped) return;
      started = true;
      schedule(0);
    },
    nudge() {
      if (stopped || !started || phase !== 'idle' || running !== null) return;
      schedule(0);
    },
    recount() {
      counter.reset();
      noneThrough = 0;
    },
    state: () => ({
      phase,
      backlog: counter.value,
      nextAttemptAt: phase === 'retrying' ? nextAttemptAt : null,
      catchingUp:
        catchUp === null
          ? null
          : { done: catchUp.done, total: catchUp.done + Math.max(0, counter.value ?? 0) },
    }),
    settled: async () => {
      await running;
    },
    async stop() {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      inFlight?.abort();
      await running;
      phase = 'stopped';
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The server's `{ error: { message } }`, or the start of whatever it sent (a proxy's HTML page). */
export function errorMessageOf(body: unknown, text: string): string {
  const parsed = syncErrorBody.safeParse(body);
  if (parsed.success) return parsed.data.error.message.slice(0, 500);
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain === '' ? 'no details' : plain.slice(0, 200);
}

/** The server's own words, and how to fix it unless they already say (a new code). */
export function refusedKeyMessage(status: number, serverMessage: string): string {
  const words = /[.!?]$/.test(serverMessage) ? serverMessage : `${serverMessage}.`;
  const advice = /new code/i.test(serverMessage)
    ? ''
    : ' Enroll again with a new code from your administrator.';
  return `The central server no longer accepts this computer's key (HTTP ${status}): ${words}${advice}`;
}

function clampInt(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(Number.isFinite(value) ? value : max)));
}
