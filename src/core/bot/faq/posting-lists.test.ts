import { describe, expect, it } from 'vitest';
import {
  addPostings,
  createPostingLists,
  layOutPostings,
  removePosting,
  setPosting,
  type PostingLists,
} from './posting-lists';

/** Each feature's list as slot -> weight, read back through a scoring pass. */
function scoresOf(lists: PostingLists, id: number, slots: number): Map<number, number> {
  const scores = new Float64Array(slots);
  addPostings(lists, id, 1, scores);
  const out = new Map<number, number>();
  scores.forEach((w, slot) => {
    if (w !== 0) out.set(slot, w);
  });
  return out;
}

describe('posting lists in flat pools', () => {
  it('hold what a map per feature would after random sets and removals, lists moving as they grow', () => {
    const lists = createPostingLists();
    const reference = new Map<number, Map<number, number>>();
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) % n;
    for (let step = 0; step < 20_000; step++) {
      const id = random(300);
      const slot = random(200);
      const list = reference.get(id) ?? new Map<number, number>();
      reference.set(id, list);
      if (random(3) === 0) {
        removePosting(lists, id, slot);
        list.delete(slot);
      } else {
        const weight = 1 + random(1000) / 7;
        setPosting(lists, id, slot, weight);
        list.set(slot, weight);
      }
    }
    for (const [id, list] of reference) expect(scoresOf(lists, id, 200)).toEqual(list);
    expect(lists.used).toBeGreaterThan(0);
  });

  it('lays every centroid out afresh, and an edit after that still lands', () => {
    const lists = createPostingLists();
    setPosting(lists, 3, 9, 0.5); // replaced by the layout
    layOutPostings(lists, 5, [
      { slot: 0, ids: Int32Array.from([1, 3]), vals: Float64Array.from([0.25, 0.75]) },
      { slot: 1, ids: Int32Array.from([3, 4]), vals: Float64Array.from([0.5, 0.125]) },
    ]);
    expect(scoresOf(lists, 3, 10)).toEqual(
      new Map([
        [0, 0.75],
        [1, 0.5],
      ]),
    );
    expect(scoresOf(lists, 2, 10).size).toBe(0);
    for (let slot = 2; slot < 10; slot++) setPosting(lists, 1, slot, slot);
    removePosting(lists, 1, 0);
    expect([...scoresOf(lists, 1, 10).keys()].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(scoresOf(lists, 4, 10)).toEqual(new Map([[1, 0.125]]));
  });
});
