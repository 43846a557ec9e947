import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { SYNC_PROTOCOL_VERSION, type SyncedNumber } from '../../shared/sync-protocol';
import type { WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { SyncStateRepository, SyncStateRow } from '../store/repositories/sync-state';
import type { BacklogCounter } from './backlog-counter';
import { buildBatch, type Batch } from './batch';

const gzip = promisify(gzipCallback);

export interface ReadLimits {
  /** JSON bytes per request body, envelope included. */
  maxBytes: number;
  /** Gzip bytes on the wire. */
  maxRequestBytes: number;
  windowSeqs: number;
  pageRows: number;
}

/** A batch ready to send: its events, the gzip request body, and the backlog before it. */
export interface PreparedBatch {
  batch: Batch;
  body: Buffer;
  backlogBefore: number;
}

/**
 * Reads the next batch of a workspace's events and wraps it in the ingest envelope, compressed. It
 * remembers ranges that held none of the workspace's events, so the next read starts after them.
 */
export interface BatchReader {
  /** Where the next read starts. */
  startAfter(row: SyncStateRow): number;
  /** Null: nothing of the workspace's in (from, lastSeq]. */
  read(
    row: SyncStateRow,
    from: number,
    lastSeq: number,
    maxEvents: number,
    withheld: ReadonlyMap<number, string>,
  ): Promise<PreparedBatch | null>;
  /** Forget the empty ranges (the acknowledged seq went back, or retention deleted events). */
  forget(): void;
}

export interface BatchReaderOptions {
  repo: SyncStateRepository;
  workspaceId: WorkspaceId;
  installationId: string;
  numbers: () => Promise<SyncedNumber[]>;
  counter: BacklogCounter;
  limits: ReadLimits;
  /** The machine's log. */
  log: Logger;
}

export function createBatchReader(options: BatchReaderOptions): BatchReader {
  const { repo, workspaceId, counter, limits } = options;
  /** The workspace has no events in (lastAckedSeq, noneThrough]. */
  let noneThrough = 0;

  const envelope = async (): Promise<{ head: string; numbersJson: string; bytes: number }> => {
    const numbersJson = JSON.stringify((await options.numbers()).slice(0, 100));
    const head = `{"protocol":${SYNC_PROTOCOL_VERSION},"installationId":${JSON.stringify(options.installationId)},"events":[`;
    // 20 digits is more than any backlog count; the rest is the closing of the envelope.
    return { head, numbersJson, bytes: Buffer.byteLength(head) + Buffer.byteLength(numbersJson) + 64 };
  };

  return {
    startAfter: (row) => Math.max(row.lastAckedSeq, noneThrough),
    async read(row, from, lastSeq, maxEvents, withheld) {
      const { head, numbersJson, bytes: envelopeBytes } = await envelope();
      let max = maxEvents;
      for (;;) {
        const batch = await buildBatch({
          repo,
          workspaceId,
          afterSeq: from,
          throughSeq: lastSeq,
          maxEvents: max,
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
        max = Math.ceil(batch.events.length / 2);
        options.log.debug(
          'sync.batch_shrunk',
          `A batch compressed to ${body.length} bytes; sending ${max} events`,
          {
            gzipBytes: body.length,
            events: batch.events.length,
          },
        );
      }
    },
    forget() {
      noneThrough = 0;
    },
  };
}
