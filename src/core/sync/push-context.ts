import type { WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import type { SyncStateRepository } from '../store/repositories/sync-state';
import type { Timers } from '../timers';
import type { BacklogCounter } from './backlog-counter';
import type { BackoffPolicy } from './backoff';
import type { BatchReader } from './batch-reader';
import type { BatchSizer } from './batch-sizer';
import type { FailureStreak } from './failure-streak';
import type { PushLoop } from './push-loop';
import type { SyncHttpResponse, SyncTransport } from './transport';

/** A catch-up in progress: a backlog larger than one batch, pushed batch after batch. */
export interface CatchUp {
  startedAt: number;
  done: number;
}

/** The parts one workspace's pusher is made of, and the settings they share. */
export interface PushContext {
  workspaceId: WorkspaceId;
  repo: SyncStateRepository;
  counter: BacklogCounter;
  timers: Timers;
  secrets: SecretBox;
  random: () => number;
  policy: BackoffPolicy;
  /** Events per batch at most. */
  maxEvents: number;
  idlePollMs: number;
  batchGapMs: number;
  lastSeq: () => Promise<number>;
  onChange: (important: boolean) => void;
  /** The workspace's own log (pushed later). */
  log: Logger;
  /** The machine's log (never pushed for this workspace). */
  machineLog: Logger;
  loop: PushLoop;
  sizer: BatchSizer;
  streak: FailureStreak;
  reader: BatchReader;
  request: IngestRequest;
  catchUp: CatchUp | null;
}

/** One ingest request at a time, which stopping the pusher cancels. */
export interface IngestRequest {
  /** Resolves with any HTTP status; rejects when no response came. */
  post(serverUrl: string, token: string, body: Buffer): Promise<SyncHttpResponse>;
  abort(): void;
}

export function createIngestRequest(transport: SyncTransport, timeoutMs: number): IngestRequest {
  let inFlight: AbortController | null = null;
  return {
    async post(serverUrl, token, body) {
      inFlight = new AbortController();
      try {
        return await transport.post({
          url: `${serverUrl}/api/v1/ingest`,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-encoding': 'gzip',
          },
          body,
          timeoutMs,
          signal: inFlight.signal,
        });
      } finally {
        inFlight = null;
      }
    },
    abort() {
      inFlight?.abort();
    },
  };
}
