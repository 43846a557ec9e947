import { entryAt, frequencyIn, LEARNED_WIDTH, type IndexState, type View } from './faq-index-state';
import { addPostings } from './posting-lists';
import type { Steps } from './slices';
import type { SparseVector } from './sparse-vector';

/**
 * Scoring in the FAQ index: a vector's centroid scores through the inverted index (as the index is, or
 * as a staged change will make it), the best slots of them, and the learned correction of one FAQ.
 */

/** Query features scored between two yields when a change is prepared in slices. */
const FEATURES_PER_STEP = 8;

const skipped = (state: IndexState, view: View | undefined, id: number, common: number) =>
  state.charFeature[id] === 1 || frequencyIn(state, view, id) > common;

/**
 * Adds a vector's centroid scores for its features `from` to `to` into `scores`. `wordsOnly` skips
 * the letter pieces and words a quarter of the FAQs have: candidate rivals for training come from
 * the rarer words alone, at a tenth of the cost (letter pieces like "<th" sit in almost every FAQ's
 * posting list).
 */
export function accumulate(
  state: IndexState,
  scores: Float64Array,
  vector: SparseVector,
  range: { from: number; to: number; wordsOnly: boolean },
  view: View | undefined,
): void {
  const { ids, vals } = vector;
  const common = (view?.size ?? state.byId.size) / 4;
  for (let i = range.from; i < range.to; i++) {
    const id = ids[i]!;
    if (range.wordsOnly && skipped(state, view, id, common)) continue;
    addPostings(state.postings, id, vals[i]!, scores);
  }
}

/** Every slot's centroid score for a vector, as the index is or (with a view) will be. */
export function* scoreCentroids(
  state: IndexState,
  vector: SparseVector,
  wordsOnly: boolean,
  view?: View,
  reuse?: Float64Array,
): Steps<Float64Array> {
  const length = Math.max(state.bySlot.length, (view?.slot ?? -1) + 1);
  const scores = reuse?.length === length ? reuse.fill(0) : new Float64Array(length);
  const features = vector.ids.length;
  for (let from = 0; from < features; from += FEATURES_PER_STEP) {
    const to = Math.min(features, from + FEATURES_PER_STEP);
    accumulate(state, scores, vector, { from, to, wordsOnly }, view);
    yield;
  }
  if (view !== undefined && view.slot >= 0) {
    // The changed FAQ scores as it will be: its staged centroid, the same features in the same order.
    const common = view.size / 4;
    let sum = 0;
    for (let i = 0; i < features; i++) {
      const id = vector.ids[i]!;
      if (wordsOnly && skipped(state, view, id, common)) continue;
      sum += vector.vals[i]! * (view.weights.get(id) ?? 0);
    }
    scores[view.slot] = sum;
  }
  return scores;
}

export function learnedScore(state: IndexState, slot: number, cols: Int32Array, vals: Float64Array): number {
  const row = state.learned;
  const base = slot * LEARNED_WIDTH;
  let sum = 0;
  for (let k = 0; k < cols.length; k++) sum += vals[k]! * row[base + cols[k]!]!;
  return sum;
}

/** The `limit` best-scoring slots that hold an FAQ (as the view has it), best first. */
export function topSlots(
  state: IndexState,
  scores: Float64Array,
  limit: number,
  exclude = -1,
  view?: View,
): { slot: number; score: number }[] {
  const top: { slot: number; score: number }[] = [];
  for (let slot = 0; slot < scores.length; slot++) {
    if (slot === exclude || entryAt(state, slot, view) === undefined) continue;
    const score = scores[slot]!;
    if (top.length === limit && score <= top[limit - 1]!.score) continue;
    let i = top.length < limit ? top.length : limit - 1;
    if (top.length < limit) top.push({ slot, score });
    while (i > 0 && top[i - 1]!.score < score) {
      top[i] = top[i - 1]!;
      i--;
    }
    top[i] = { slot, score };
  }
  return top;
}
