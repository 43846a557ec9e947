import { describe, expect, it } from 'vitest';
import { createBatchSizer, createFifo, createWorkQueue } from './work-queue';

type Item = { type: 'a'; n: number } | { type: 'b'; n: number };

describe('work queue', () => {
  it('handles items in arrival order; a run of one kind that arrived meanwhile is one batch', async () => {
    const seen: string[] = [];
    const queue = createWorkQueue<Item>(
      async (first) => {
        if (first.type === 'a') {
          seen.push(
            `a[${queue
              .take('a', 10)
              .map((i) => i.n)
              .join(',')}]`,
          );
        } else {
          queue.shift();
          seen.push(`b${first.n}`);
        }
        await Promise.resolve();
      },
      () => {},
    );
    for (const item of [
      { type: 'a', n: 1 }, // handled at once, alone
      { type: 'a', n: 2 },
      { type: 'a', n: 3 },
      { type: 'b', n: 4 },
      { type: 'a', n: 5 },
    ] as const)
      queue.enqueue(item);
    expect(queue.busy).toBe(true);
    await queue.drained();
    expect(seen).toEqual(['a[1]', 'a[2,3]', 'b4', 'a[5]']);
    expect(queue.busy).toBe(false);
  });

  it('a failing item is reported and the queue goes on', async () => {
    const errors: number[] = [];
    const done: number[] = [];
    const queue = createWorkQueue<Item>(
      async (first) => {
        queue.shift();
        if (first.n === 1) throw new Error('disk full');
        done.push(first.n);
        await Promise.resolve();
      },
      (first) => errors.push(first.n),
    );
    queue.enqueue({ type: 'b', n: 1 });
    queue.enqueue({ type: 'b', n: 2 });
    await queue.drained();
    expect(errors).toEqual([1]);
    expect(done).toEqual([2]);
  });

  it('take stops at the limit and at the first item of another kind', () => {
    const queue = createWorkQueue<Item>(
      () => new Promise<void>(() => {}),
      () => {},
    );
    for (const n of [1, 2, 3]) queue.enqueue({ type: 'a', n });
    queue.enqueue({ type: 'b', n: 4 });
    expect(queue.take('a', 2).map((i) => i.n)).toEqual([1, 2]);
    expect(queue.take('a', 5).map((i) => i.n)).toEqual([3]);
    expect(queue.take('a', 5)).toEqual([]);
  });
});

describe('batch sizer', () => {
  it('starts at 25, then takes what fits the budget, within [16, max]', () => {
    const sizer = createBatchSizer(100, 8);
    expect(sizer.next()).toBe(25);
    sizer.observe(10, 2); // 0.2 ms a message: 40 fit in 8 ms
    expect(sizer.next()).toBe(40);
    sizer.observe(10, 100); // slow disk: never below the floor
    expect(sizer.next()).toBe(16);
    sizer.observe(2, 1000); // a lone message says little about a burst: ignored
    expect(sizer.next()).toBe(16);
  });
});

describe('fifo', () => {
  it('keeps order across compaction', () => {
    const fifo = createFifo<number>();
    for (let i = 0; i < 5000; i++) fifo.push(i);
    for (let i = 0; i < 3000; i++) expect(fifo.shift()).toBe(i);
    fifo.push(5000);
    expect(fifo.length).toBe(2001);
    expect(fifo.peek()).toBe(3000);
  });
});
