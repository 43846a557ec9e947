/**
 * The pipeline's one queue: work is handled strictly in arrival order, one item (or one batch of
 * consecutive items of a kind) at a time, and between items the loop yields to the event loop so a
 * burst never starves timers and I/O. `handle` takes the first item and whatever follows it that it
 * wants (`take`); a failure is reported to `onError` and the queue goes on.
 */
export interface WorkQueue<W extends { type: string }> {
  enqueue(work: W): void;
  /** The first items of `type`, at most `limit` (consecutive, from the head). */
  take<K extends W['type']>(type: K, limit: number): Extract<W, { type: K }>[];
  /** Removes the head item (the one `handle` was given). */
  shift(): void;
  /** Resolves once the queue has run empty (immediately when it is). */
  drained(): Promise<void>;
  readonly busy: boolean;
}

export function createWorkQueue<W extends { type: string }>(
  handle: (first: W) => Promise<void>,
  onError: (first: W, error: unknown) => void,
): WorkQueue<W> {
  const queue = createFifo<W>();
  let draining: Promise<void> | null = null;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const first = queue.peek()!;
      try {
        await handle(first);
      } catch (error) {
        onError(first, error);
      }
      // Let timers and I/O run between batches: a 2,000-message burst must not freeze the app.
      if (queue.length > 0) await yieldToLoop();
    }
  }

  return {
    enqueue(work) {
      queue.push(work);
      if (draining === null) {
        draining = drain().finally(() => {
          draining = null;
        });
      }
    },
    take(type, limit) {
      const batch: Extract<W, { type: typeof type }>[] = [];
      while (batch.length < limit && queue.peek()?.type === type) {
        batch.push(queue.shift() as Extract<W, { type: typeof type }>);
      }
      return batch;
    },
    shift() {
      queue.shift();
    },
    async drained() {
      while (draining !== null) await draining;
    },
    get busy() {
      return draining !== null;
    },
  };
}

export function yieldToLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Group commit sized by time, not count: bigger batches amortise each commit's fsync, but a batch
 * holds the event loop for its whole ingest (and again for its decide). The cost per message is
 * tracked (moving average) and the next batch takes what fits the budget, never fewer than
 * MIN_BATCH: when the disk is slow (a commit's fsync dominates), smaller batches would only add commits.
 */
const MIN_BATCH = 16;

export interface BatchSizer {
  next(): number;
  observe(count: number, ms: number): void;
}

export function createBatchSizer(max: number, budgetMs: number): BatchSizer {
  let msPerMessage: number | null = null;
  const floor = Math.min(max, MIN_BATCH);
  return {
    next: () =>
      msPerMessage === null
        ? Math.min(max, 25)
        : Math.max(floor, Math.min(max, Math.floor(budgetMs / msPerMessage))),
    observe(count: number, ms: number) {
      if (count < 5) return; // a lone message costs mostly its commits: it says little about a burst
      const sample = ms / count;
      msPerMessage = msPerMessage === null ? sample : msPerMessage * 0.7 + sample * 0.3;
    },
  };
}

/** FIFO with O(1) shift: Array#shift moves every element, which a 20,000-message burst notices. */
export function createFifo<T>() {
  let items: (T | undefined)[] = [];
  let head = 0;
  return {
    push(item: T) {
      items.push(item);
    },
    peek: (): T | undefined => items[head],
    shift(): T | undefined {
      const item = items[head];
      items[head] = undefined;
      head += 1;
      if (head > 1024 && head * 2 > items.length) {
        items = items.slice(head);
        head = 0;
      }
      return item;
    },
    get length() {
      return items.length - head;
    },
  };
}
