import { blockOf, FEATURE_BLOCKS, type FeatureBlock } from './features';

/**
 * How much each feature block counts in a similarity. Each block is normalised to unit length and
 * scaled by the square root of its share, so a cosine stays in [0, 1]: word stems and letter pieces
 * count equally, adjacent-word pairs half as much (they are sparse and mostly confirm the words).
 */
export const BLOCK_WEIGHTS: Readonly<Record<FeatureBlock, number>> = { word: 1, pair: 0.5, char: 1 };

/** A sparse vector over interned feature ids. */
export interface SparseVector {
  ids: Int32Array;
  vals: Float64Array;
}

/** What the vectoriser needs to know about a feature key: its id (if indexed) and its weight. */
export interface FeatureLookup {
  /** The interned id, or -1 for a feature no FAQ has (it still counts in the query's length). */
  id(key: string): number;
  idf(id: number): number;
  /** The weight of a feature no FAQ has: the rarest possible. */
  unseenIdf(): number;
}

/**
 * TF-IDF with sublinear term frequency, per-block unit length and block weights. Features unknown to
 * the index keep their share of the length: a message full of words no FAQ uses scores low everywhere,
 * which is what lets confidence stay meaningful for questions the shop never answered.
 */
export function vectorise(counts: ReadonlyMap<string, number>, lookup: FeatureLookup): SparseVector {
  const ids: number[] = [];
  const vals: number[] = [];
  const blocks: FeatureBlock[] = [];
  const norms: Record<FeatureBlock, number> = { word: 0, pair: 0, char: 0 };
  for (const [key, count] of counts) {
    const id = lookup.id(key);
    const block = blockOf(key);
    const value = (1 + Math.log(count)) * (id < 0 ? lookup.unseenIdf() : lookup.idf(id));
    norms[block] += value * value;
    if (id < 0) continue;
    ids.push(id);
    vals.push(value);
    blocks.push(block);
  }
  let share = 0;
  for (const block of FEATURE_BLOCKS) if (norms[block] > 0) share += BLOCK_WEIGHTS[block];
  const out = new Float64Array(vals.length);
  for (let i = 0; i < vals.length; i++) {
    const block = blocks[i]!;
    out[i] = (vals[i]! / Math.sqrt(norms[block])) * Math.sqrt(BLOCK_WEIGHTS[block] / share);
  }
  return { ids: Int32Array.from(ids), vals: out };
}

export function dotMap(vector: SparseVector, weights: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (let i = 0; i < vector.ids.length; i++) {
    const w = weights.get(vector.ids[i]!);
    if (w !== undefined) sum += vector.vals[i]! * w;
  }
  return sum;
}

export function squaredNorm(vector: SparseVector): number {
  let sum = 0;
  for (const v of vector.vals) sum += v * v;
  return sum;
}

/** The unit-length mean of some vectors: an FAQ's centroid over its phrasings. */
export function centroid(vectors: readonly SparseVector[]): Map<number, number> {
  const sum = new Map<number, number>();
  for (const vector of vectors) {
    for (let i = 0; i < vector.ids.length; i++) {
      const id = vector.ids[i]!;
      sum.set(id, (sum.get(id) ?? 0) + vector.vals[i]!);
    }
  }
  let norm = 0;
  for (const v of sum.values()) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [id, v] of sum) sum.set(id, v / norm);
  return sum;
}

export function toMap(vector: SparseVector): Map<number, number> {
  const map = new Map<number, number>();
  for (let i = 0; i < vector.ids.length; i++) map.set(vector.ids[i]!, vector.vals[i]!);
  return map;
}

/**
 * `vectorise` of features already interned (every one known): ids `from` to `to` with their counts,
 * the same arithmetic in the same order, so the same vector.
 */
export function vectoriseCounted(
  counted: { ids: Int32Array; counts: Float64Array },
  from: number,
  to: number,
  idf: (id: number) => number,
  blocks: readonly FeatureBlock[],
): SparseVector {
  const { ids, counts } = counted;
  const norms: Record<FeatureBlock, number> = { word: 0, pair: 0, char: 0 };
  const out = new Float64Array(to - from);
  for (let k = from; k < to; k++) {
    const value = (1 + Math.log(counts[k]!)) * idf(ids[k]!);
    norms[blocks[ids[k]!]!] += value * value;
    out[k - from] = value;
  }
  let share = 0;
  for (const block of FEATURE_BLOCKS) if (norms[block] > 0) share += BLOCK_WEIGHTS[block];
  for (let i = 0; i < out.length; i++) {
    const block = blocks[ids[from + i]!]!;
    out[i] = (out[i]! / Math.sqrt(norms[block])) * Math.sqrt(BLOCK_WEIGHTS[block] / share);
  }
  return { ids: ids.slice(from, to), vals: out };
}

/** `centroid` as a sparse vector, its ids in the order they first occur. */
export function centroidVector(vectors: readonly SparseVector[]): SparseVector {
  const sum = centroid(vectors);
  return { ids: Int32Array.from(sum.keys()), vals: Float64Array.from(sum.values()) };
}
