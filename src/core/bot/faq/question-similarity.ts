import { extractFeatures, type TextFeatures } from './features';
import { toMap, vectorise, type FeatureLookup } from './sparse-vector';

/**
 * Similarity between customer questions, with the matcher's own features (normalised words, word
 * pairs, letter pieces) and IDF counted over the questions being compared: "una dey deliver to
 * Ikeja?" and "do you deliver to ikeja pls" come out close, "how much is delivery" less so.
 */
const PRIOR_QUESTIONS = 20;

export function questionVectors(texts: readonly string[]): Map<number, number>[] {
  const features: TextFeatures[] = texts.map((t) => extractFeatures(t));
  const ids = new Map<string, number>();
  const df: number[] = [];
  for (const f of features) {
    for (const key of f.counts.keys()) {
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
        df.push(0);
      }
      df[id]!++;
    }
  }
  // Pseudo-questions that share nothing: with only a few open questions, a word all of them use
  // ("size 44") still counts for something instead of getting no weight at all.
  const n = features.length + PRIOR_QUESTIONS;
  const lookup: FeatureLookup = {
    id: (key) => ids.get(key) ?? -1,
    idf: (id) => Math.log((n + 1) / ((df[id] ?? 0) + 1)) + 1,
    unseenIdf: () => Math.log(n + 1) + 1,
  };
  return features.map((f) => toMap(vectorise(f.counts, lookup)));
}

export function cosine(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  small.forEach((v, id) => {
    const w = large.get(id);
    if (w !== undefined) sum += v * w;
  });
  return sum;
}

/** Questions at least this similar share a group (checked by the grouping tests on shop questions). */
export const GROUP_SIMILARITY = 0.3;

/**
 * For each of `fresh` (new questions, in the order they came), the index in `[...open, ...fresh]` of the
 * question it belongs with (an open one, or a new one before it), or -1. One vectorisation for the whole
 * batch: a burst of unanswered questions costs one pass over the open window, not one each.
 */
export function closestForEach(open: readonly string[], fresh: readonly string[]): number[] {
  if (fresh.length === 0) return [];
  const vectors = questionVectors([...open, ...fresh]);
  return fresh.map((_, k) => {
    const own = vectors[open.length + k]!;
    let best = -1;
    let bestScore = GROUP_SIMILARITY;
    for (let i = 0; i < open.length + k; i++) {
      const score = cosine(own, vectors[i]!);
      if (score >= bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  });
}
