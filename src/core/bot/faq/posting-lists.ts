/**
 * The FAQ index's inverted index: per feature id, the FAQ slots whose centroid has it and the weight
 * there, all in two flat pools (slots, weights) with a start, length and capacity per feature. At
 * 1,000 FAQs that is about half a million postings: as tens of thousands of Maps (or small arrays)
 * they were most of what the garbage collector walked; as a few typed arrays they are nothing to it.
 *
 * An edit changes lists in place (`set`, `remove`): a few hundred lists of one FAQ, well under a
 * millisecond, so the index's commit stays one short synchronous step. A list that outgrows its room
 * moves to the end of the pool with twice the room; a full build lays everything out afresh.
 * The order of the slots in a list is of no consequence: a score adds one weight per (feature, slot).
 */
export interface PostingLists {
  start: Int32Array;
  length: Int32Array;
  capacity: Int32Array;
  slots: Int32Array;
  weights: Float64Array;
  /** Pool entries handed out (the next list that moves goes here). */
  used: number;
}

export function createPostingLists(): PostingLists {
  return {
    start: new Int32Array(1024),
    length: new Int32Array(1024),
    capacity: new Int32Array(1024),
    slots: new Int32Array(4096),
    weights: new Float64Array(4096),
    used: 0,
  };
}

function grownInt(array: Int32Array, size: number): Int32Array {
  const grown = new Int32Array(size);
  grown.set(array);
  return grown;
}

/** Makes room for feature ids below `count`. */
export function ensureFeatures(lists: PostingLists, count: number): void {
  if (count <= lists.start.length) return;
  const size = Math.max(count, lists.start.length * 2);
  lists.start = grownInt(lists.start, size);
  lists.length = grownInt(lists.length, size);
  lists.capacity = grownInt(lists.capacity, size);
}

function ensurePool(lists: PostingLists, size: number): void {
  if (size <= lists.slots.length) return;
  const grown = Math.max(size, Math.ceil(lists.slots.length * 1.5));
  lists.slots = grownInt(lists.slots, grown);
  const weights = new Float64Array(grown);
  weights.set(lists.weights);
  lists.weights = weights;
}

function indexOfSlot(lists: PostingLists, id: number, slot: number): number {
  if (id >= lists.start.length) return -1;
  const from = lists.start[id]!;
  const to = from + lists.length[id]!;
  const slots = lists.slots;
  for (let k = from; k < to; k++) if (slots[k] === slot) return k;
  return -1;
}

/** Sets `slot`'s weight in feature `id`'s list, adding it when absent. */
export function setPosting(lists: PostingLists, id: number, slot: number, weight: number): void {
  ensureFeatures(lists, id + 1);
  const at = indexOfSlot(lists, id, slot);
  if (at >= 0) {
    lists.weights[at] = weight;
    return;
  }
  const length = lists.length[id]!;
  if (length === lists.capacity[id]) {
    const capacity = Math.max(4, length * 2);
    ensurePool(lists, lists.used + capacity);
    const from = lists.start[id]!;
    lists.slots.copyWithin(lists.used, from, from + length);
    lists.weights.copyWithin(lists.used, from, from + length);
    lists.start[id] = lists.used;
    lists.capacity[id] = capacity;
    lists.used += capacity;
  }
  const end = lists.start[id]! + length;
  lists.slots[end] = slot;
  lists.weights[end] = weight;
  lists.length[id] = length + 1;
}

/** Takes `slot` out of feature `id`'s list (the last entry fills its place). */
export function removePosting(lists: PostingLists, id: number, slot: number): void {
  const at = indexOfSlot(lists, id, slot);
  if (at < 0) return;
  const last = lists.start[id]! + lists.length[id]! - 1;
  lists.slots[at] = lists.slots[last]!;
  lists.weights[at] = lists.weights[last]!;
  lists.length[id] = lists.length[id]! - 1;
}

/** Adds `q` times each weight of feature `id`'s list into its slot's score. */
export function addPostings(lists: PostingLists, id: number, q: number, scores: Float64Array): void {
  if (id >= lists.start.length) return;
  const from = lists.start[id]!;
  const to = from + lists.length[id]!;
  const { slots, weights } = lists;
  for (let k = from; k < to; k++) {
    const slot = slots[k]!;
    scores[slot] = scores[slot]! + q * weights[k]!;
  }
}

/**
 * Lays the lists out afresh from every FAQ's centroid (a full build): each list gets its exact size
 * and a little room to grow by edits.
 */
export function layOutPostings(
  lists: PostingLists,
  features: number,
  centroids: Iterable<{ slot: number; ids: Int32Array; vals: Float64Array }>,
): void {
  ensureFeatures(lists, features);
  const counts = new Int32Array(lists.start.length);
  const all = [...centroids];
  for (const { ids } of all) for (let k = 0; k < ids.length; k++) counts[ids[k]!]!++;
  let used = 0;
  for (let id = 0; id < counts.length; id++) {
    const capacity = counts[id] === 0 ? 0 : counts[id]! + 2 + (counts[id]! >> 3);
    lists.start[id] = used;
    lists.capacity[id] = capacity;
    lists.length[id] = 0;
    used += capacity;
  }
  lists.used = used;
  if (lists.slots.length < used) {
    lists.slots = new Int32Array(used);
    lists.weights = new Float64Array(used);
  }
  for (const { slot, ids, vals } of all) {
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      const at = lists.start[id]! + lists.length[id]!;
      lists.slots[at] = slot;
      lists.weights[at] = vals[k]!;
      lists.length[id] = lists.length[id]! + 1;
    }
  }
}
