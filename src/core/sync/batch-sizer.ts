import type { Batch } from './batch';

/** The same batch failing with a server error this many times in a row is treated as a poison batch. */
export const POISON_AFTER = 3;

/** What a refused batch leads to: a smaller batch, a placeholder for its one event, or nothing left to try. */
export type Refusal =
  { kind: 'halved'; limit: number } | { kind: 'withheld'; seq: number } | { kind: 'exhausted'; seq: number };

/**
 * How many events go in the next batch, and which single events go as placeholders. A batch the
 * server refuses (or a poison batch) is halved down to its one event, which is then withheld: sent as
 * a stub that says so. Successes double the size back up to the limit.
 */
export interface BatchSizer {
  /** Events per batch now. */
  readonly limit: number;
  /** Single events the server refused (seq -> its message). */
  readonly withheld: ReadonlyMap<number, string>;
  /** A server error answered `batch`: true when it is a poison batch, to be halved like a refused one. */
  isPoison(batch: Batch, status: number): boolean;
  /** The server refused `batch` with `message`. */
  refuse(batch: Batch, message: string): Refusal;
  /** The server committed everything through `ackedSeq`. */
  acked(ackedSeq: number): void;
}

export function createBatchSizer(maxEvents: number): BatchSizer {
  let limit = maxEvents;
  const withheld = new Map<number, string>();
  /** The batch the last server error (5xx) answered, and how many times in a row it did. */
  let repeated: { first: number; last: number; count: number } | null = null;

  return {
    get limit() {
      return limit;
    },
    withheld,
    /**
     * A server error is taken as temporary, but the same batch failing with 500 POISON_AFTER times in
     * a row is more likely an event the server cannot store. Only 500, the server's own failure: a
     * proxy's 502/504 (the server down behind it) never costs an event. A server that fails every
     * request costs one event's content at most: its placeholder fails too and the pusher backs off.
     */
    isPoison(batch, status) {
      if (status !== 500) return false;
      const first = batch.events[0]!.seq;
      const last = batch.events.at(-1)!.seq;
      if (repeated?.first === first && repeated.last === last) repeated.count += 1;
      else repeated = { first, last, count: 1 };
      if (repeated.count < POISON_AFTER) return false;
      if (batch.events.length === 1 && withheld.has(first)) return false;
      repeated = null;
      return true;
    },
    refuse(batch, message) {
      const seq = batch.events[0]!.seq;
      if (batch.events.length > 1) {
        limit = Math.max(1, Math.floor(batch.events.length / 2));
        return { kind: 'halved', limit };
      }
      if (withheld.has(seq)) return { kind: 'exhausted', seq };
      withheld.set(seq, message.slice(0, 500));
      return { kind: 'withheld', seq };
    },
    acked(ackedSeq) {
      repeated = null;
      for (const seq of withheld.keys()) if (seq <= ackedSeq) withheld.delete(seq);
      limit = Math.min(maxEvents, limit * 2);
    },
  };
}
