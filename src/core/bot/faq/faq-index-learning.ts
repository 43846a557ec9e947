import {
  ensureRows,
  entryAt,
  LEARNED_WIDTH,
  type IndexedFaq,
  type IndexState,
  type View,
} from './faq-index-state';
import { scoreCentroids, topSlots } from './faq-index-scoring';
import type { Steps } from './slices';
import { squaredNorm, type SparseVector } from './sparse-vector';
import type { TrainingJob } from './training';

/**
 * Learning in the FAQ index: the training job for some phrasings (each against its strongest rivals,
 * the fixed centroid scores, copies of the learned rows it touches), and the trained rows put back.
 * The epochs themselves are training.ts, on this thread or a worker's.
 */

/** Training stops early once an epoch changes fewer than this share of the phrasings. */
const STOP_UPDATE_SHARE = 0.01;

export interface Example {
  vector: SparseVector;
  entry: IndexedFaq;
}

export interface PreparedTraining {
  job: TrainingJob;
  slots: Int32Array;
}

export function examplesOf(entries: Iterable<IndexedFaq>): Example[] {
  const out: Example[] = [];
  for (const entry of entries) for (const vector of entry.vectors) out.push({ vector, entry });
  return out;
}

/** Each example's strongest rivals by the rarer words, as the view has the index. */
function* findRivals(state: IndexState, examples: readonly Example[], view?: View): Steps<Int32Array[]> {
  const rivalsOf: Int32Array[] = [];
  let scores: Float64Array | undefined; // one buffer for all: less garbage, shorter collections
  for (const { vector, entry } of examples) {
    scores = yield* scoreCentroids(state, vector, true, view, scores);
    const top = topSlots(state, scores, state.config.rivals, entry.slot, view);
    rivalsOf.push(Int32Array.from(top, (r) => r.slot));
  }
  return rivalsOf;
}

interface BaseScores {
  base: Float64Array;
  rivalOffsets: Int32Array;
  rivalBase: Float64Array;
  /** The slots touched, in the order their rows are numbered in the job. */
  slots: number[];
}

/**
 * The centroid part does not change while training: score it once per (phrasing, FAQ). Grouped by
 * FAQ, with its centroid spread into a flat array, that is array reads rather than look-ups.
 */
function* baseScores(
  state: IndexState,
  examples: readonly Example[],
  rivalsOf: readonly Int32Array[],
  view?: View,
): Steps<BaseScores> {
  const base = new Float64Array(examples.length);
  const rivalOffsets = new Int32Array(examples.length + 1);
  for (let e = 0; e < examples.length; e++) rivalOffsets[e + 1] = rivalOffsets[e]! + rivalsOf[e]!.length;
  const rivalBase = new Float64Array(rivalOffsets[examples.length]!);
  const uses = new Map<number, number[]>(); // slot -> example index (own) or -(1 + rival position)
  const use = (slot: number, code: number) => {
    const list = uses.get(slot);
    if (list === undefined) uses.set(slot, [code]);
    else list.push(code);
  };
  examples.forEach(({ entry }, e) => {
    use(entry.slot, e);
    rivalsOf[e]!.forEach((slot, r) => use(slot, -(1 + rivalOffsets[e]! + r)));
  });
  const owner = new Int32Array(rivalBase.length);
  examples.forEach((_, e) => owner.fill(e, rivalOffsets[e], rivalOffsets[e + 1]));
  const scratch = new Float64Array(state.interner.size);
  for (const [slot, codes] of uses) {
    const { ids: cIds, vals: cVals } = entryAt(state, slot, view)!.centroid;
    for (let k = 0; k < cIds.length; k++) scratch[cIds[k]!] = cVals[k]!;
    for (const code of codes) {
      const e = code >= 0 ? code : owner[-code - 1]!;
      const { ids, vals } = examples[e]!.vector;
      let sum = 0;
      for (let k = 0; k < ids.length; k++) sum += vals[k]! * scratch[ids[k]!]!;
      if (code >= 0) base[e] = sum;
      else rivalBase[-code - 1] = sum;
    }
    for (let k = 0; k < cIds.length; k++) scratch[cIds[k]!] = 0;
    yield;
  }
  return { base, rivalOffsets, rivalBase, slots: [...uses.keys()] };
}

/** Copies of the learned rows of `slots`, one after another (the changed FAQ's own row from zero). */
function* copyRows(state: IndexState, slots: readonly number[], view?: View): Steps<Float32Array> {
  const rows = new Float32Array(slots.length * LEARNED_WIDTH);
  for (let row = 0; row < slots.length; row++) {
    const slot = slots[row]!;
    if (view !== undefined && slot === view.slot) continue; // retrained from zero
    if ((slot + 1) * LEARNED_WIDTH <= state.learned.length)
      rows.set(state.learned.subarray(slot * LEARNED_WIDTH, (slot + 1) * LEARNED_WIDTH), row * LEARNED_WIDTH);
    if (row % 16 === 15) yield;
  }
  return rows;
}

/** The examples' features as flat arrays, in learned-row columns, with their own rows. */
function* flatExamples(
  state: IndexState,
  examples: readonly Example[],
  rowOf: ReadonlyMap<number, number>,
): Steps<Pick<TrainingJob, 'offsets' | 'cols' | 'vals' | 'norms' | 'own'>> {
  let featureCount = 0;
  for (const { vector } of examples) featureCount += vector.ids.length;
  const offsets = new Int32Array(examples.length + 1);
  const cols = new Int32Array(featureCount);
  const vals = new Float64Array(featureCount);
  const norms = new Float64Array(examples.length);
  const own = new Int32Array(examples.length);
  for (let e = 0; e < examples.length; e++) {
    const { vector, entry } = examples[e]!;
    const at = offsets[e]!;
    for (let k = 0; k < vector.ids.length; k++) cols[at + k] = state.columns[vector.ids[k]!]!;
    vals.set(vector.vals, at);
    offsets[e + 1] = at + vector.ids.length;
    norms[e] = squaredNorm(vector);
    own[e] = rowOf.get(entry.slot)!;
    if (e % 256 === 255) yield;
  }
  return { offsets, cols, vals, norms, own };
}

/**
 * The training job for some phrasings, each against its strongest rivals, with copies of the learned
 * rows it touches (the changed FAQ's own row starts from zero).
 */
export function* prepareTraining(
  state: IndexState,
  examples: readonly Example[],
  view?: View,
): Steps<PreparedTraining> {
  const rivalsOf = yield* findRivals(state, examples, view);
  const { base, rivalOffsets, rivalBase, slots } = yield* baseScores(state, examples, rivalsOf, view);
  // Rows are numbered in the job: each touched FAQ's slot gets the next row.
  const rowOf = new Map(slots.map((slot, row) => [slot, row]));
  const rows = yield* copyRows(state, slots, view);
  const flat = yield* flatExamples(state, examples, rowOf);
  const rivals = new Int32Array(rivalBase.length);
  rivalsOf.forEach((list, e) => list.forEach((slot, r) => (rivals[rivalOffsets[e]! + r] = rowOf.get(slot)!)));
  const { config } = state;
  const job: TrainingJob = {
    ...flat,
    base,
    rivalOffsets,
    rivals,
    rivalBase,
    rows,
    width: LEARNED_WIDTH,
    epochs: config.epochs,
    margin: config.margin,
    maxStep: config.maxStep,
    stopShare: STOP_UPDATE_SHARE,
  };
  return { job, slots: Int32Array.from(slots) };
}

/** Puts trained rows back at their slots. */
export function applyRows(state: IndexState, slots: Int32Array, rows: Float32Array): void {
  ensureRows(state, Math.max(state.bySlot.length, ...slots) + 1);
  slots.forEach((slot, row) =>
    state.learned.set(rows.subarray(row * LEARNED_WIDTH, (row + 1) * LEARNED_WIDTH), slot * LEARNED_WIDTH),
  );
}
