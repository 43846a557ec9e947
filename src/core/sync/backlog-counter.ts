import { yieldIfStarved } from '../loop-yield';

/**
 * How many of a workspace's events wait to be pushed, kept up to date without recounting the whole
 * backlog after every batch (counting a million rows takes ~70 ms of the event loop). The first count
 * walks the backlog once in small seq windows with yields between them; after that only the rows just
 * acknowledged are subtracted and the rows written since are added.
 *
 * Retention may delete unpushed rows (the hard cap), which would leave the count too high: `reset()`
 * makes the next update count again from scratch, and `markEmpty()` records a read that found nothing.
 */
export interface BacklogCounter {
  /** The backlog once the server has acknowledged `ackedSeq` and the log has reached `lastSeq`. */
  update(ackedSeq: number, lastSeq: number): Promise<number>;
  /** A read found none of the workspace's events in (ackedSeq, throughSeq]. */
  markEmpty(ackedSeq: number, throughSeq: number): void;
  reset(): void;
  /** The last value computed (null before the first update). */
  readonly value: number | null;
}

/** Counts the workspace's events with after < seq <= through (one bounded query). */
export type CountRange = (afterSeq: number, throughSeq: number) => Promise<number>;

export function createBacklogCounter(count: CountRange, windowSeqs = 20_000): BacklogCounter {
  const window = Math.max(1, windowSeqs);
  /** value = the workspace's events in (base, countedTo]. */
  let base = 0;
  let countedTo = 0;
  let value: number | null = null;
  let fresh = true;

  const countRange = async (after: number, through: number): Promise<number> => {
    let total = 0;
    for (let from = after; from < through; from += window) {
      total += await count(from, Math.min(through, from + window));
      await yieldIfStarved();
    }
    return total;
  };

  return {
    async update(ackedSeq, lastSeq) {
      if (fresh || ackedSeq < base || ackedSeq > countedTo) {
        fresh = false;
        base = ackedSeq;
        countedTo = ackedSeq;
        value = 0;
      } else if (ackedSeq > base) {
        value = (value ?? 0) - (await countRange(base, ackedSeq));
        base = ackedSeq;
      }
      if (lastSeq > countedTo) {
        value = (value ?? 0) + (await countRange(countedTo, lastSeq));
        countedTo = lastSeq;
      }
      value = Math.max(0, value ?? 0);
      return value;
    },
    markEmpty(ackedSeq, throughSeq) {
      fresh = false;
      base = ackedSeq;
      countedTo = Math.max(ackedSeq, throughSeq);
      value = 0;
    },
    reset() {
      fresh = true;
    },
    get value() {
      return value;
    },
  };
}
