import type { TextFeatures } from './features';
import { applyRows, examplesOf, prepareTraining, type PreparedTraining } from './faq-index-learning';
import { scoreCentroids, topSlots } from './faq-index-scoring';
import {
  ensureRows,
  idfOf,
  intern,
  LEARNED_WIDTH,
  frequencyIn,
  type CountedFeatures,
  type IndexedFaq,
  type IndexState,
  type View,
} from './faq-index-state';
import { removePosting, setPosting } from './posting-lists';
import type { Steps } from './slices';
import { centroidVector, toMap, vectoriseCounted, type SparseVector } from './sparse-vector';

/**
 * One change to the FAQ index (an upsert or a removal), prepared beside the index in use (`stage`:
 * the phrasings read, the changed FAQ's vectors under the IDF it will have, its neighbours, the
 * training job) and applied in one short synchronous step (`commit`: posting lists changed in place,
 * the trained rows copied in).
 */

export interface StagedChange {
  id: string;
  previous: IndexedFaq | undefined;
  entry: IndexedFaq | null;
  /** The retraining of the FAQ and its neighbours; null when nothing is trained now. */
  training: PreparedTraining | null;
  /** The trained rows, once the trainer has run. */
  rows: Float32Array | null;
}

const EMPTY_VECTOR = { ids: new Int32Array(0), vals: new Float64Array(0) };

/** The phrasings that read as something, with their features. */
function* readTexts(
  state: IndexState,
  texts: readonly string[] | null,
): Steps<{ kept: string[]; features: TextFeatures[] }> {
  const kept: string[] = [];
  const features: TextFeatures[] = [];
  for (const text of texts ?? []) {
    const f = state.read(text);
    yield;
    if (f.counts.size === 0) continue;
    kept.push(text);
    features.push(f);
  }
  return { kept, features };
}

/** The FAQ's features interned, per phrasing in the order they occur, and the distinct ones. */
function countFeatures(state: IndexState, features: readonly TextFeatures[]) {
  let total = 0;
  for (const f of features) total += f.counts.size;
  const counted: CountedFeatures = {
    offsets: new Int32Array(features.length + 1),
    ids: new Int32Array(total),
    counts: new Float64Array(total),
  };
  const distinct = new Set<number>();
  let at = 0;
  features.forEach((f, p) => {
    for (const [key, count] of f.counts) {
      const fid = intern(state, key);
      distinct.add(fid);
      counted.ids[at] = fid;
      counted.counts[at++] = count;
    }
    counted.offsets[p + 1] = at;
  });
  return { counted, distinct };
}

function newEntry(
  state: IndexState,
  id: string,
  slot: number,
  read: { kept: string[]; features: TextFeatures[] },
): { entry: IndexedFaq | null; distinct: Set<number> } {
  const { counted, distinct } = countFeatures(state, read.features);
  if (read.features.length === 0) return { entry: null, distinct };
  const entry: IndexedFaq = {
    id,
    slot,
    texts: read.kept,
    tokens: read.features.flatMap((f) => f.tokens),
    stems: read.features.flatMap((f) => [...f.stems, ...f.meanings]),
    counted,
    featureIds: Int32Array.from(distinct),
    vectors: [],
    centroid: EMPTY_VECTOR,
  };
  return { entry, distinct };
}

/** Re-weighs an FAQ's phrasings with `idf` and sets its centroid. */
export function weigh(state: IndexState, entry: IndexedFaq, idf: (id: number) => number): void {
  const { counted } = entry;
  const vectors: SparseVector[] = [];
  for (let p = 0; p + 1 < counted.offsets.length; p++)
    vectors.push(vectoriseCounted(counted, counted.offsets[p]!, counted.offsets[p + 1]!, idf, state.blocks));
  entry.vectors = vectors;
  entry.centroid = centroidVector(vectors);
}

/** The index as it will be once `entry` replaces `previous` at `slot`. */
function viewOf(
  state: IndexState,
  slot: number,
  previous: IndexedFaq | undefined,
  entry: IndexedFaq | null,
  distinct: ReadonlySet<number>,
): View {
  const frequencyDelta = new Map<number, number>();
  for (const fid of previous?.featureIds ?? []) frequencyDelta.set(fid, -1);
  for (const fid of distinct) frequencyDelta.set(fid, (frequencyDelta.get(fid) ?? 0) + 1);
  const size = state.byId.size + (entry === null ? 0 : 1) - (previous === undefined ? 0 : 1);
  const view: View = { slot, entry, weights: new Map(), size, frequencyDelta };
  if (entry !== null) {
    weigh(state, entry, (fid) => idfOf(size, frequencyIn(state, view, fid)));
    view.weights = toMap(entry.centroid);
  }
  return view;
}

/**
 * Prepares an upsert (texts) or a removal (null) beside the index. `train` false: the FAQ's
 * centroid is not computed either (an index not built yet weighs everything at its full build).
 */
export function* stage(
  state: IndexState,
  id: string,
  texts: readonly string[] | null,
  train: boolean,
): Steps<StagedChange> {
  const previous = state.byId.get(id);
  const read = yield* readTexts(state, texts);
  const slot = previous?.slot ?? state.freeSlots[state.freeSlots.length - 1] ?? state.bySlot.length;
  const { entry, distinct } = newEntry(state, id, slot, read);
  const change: StagedChange = { id, previous, entry, training: null, rows: null };
  if (!state.built) return change;
  const view = viewOf(state, slot, previous, entry, distinct);
  if (entry === null || !train) return change;
  // Its neighbours by the rarer words, as its rivals are found: a tenth of the cost of every feature.
  const nearScores = yield* scoreCentroids(state, entry.centroid, true, view);
  const near = topSlots(state, nearScores, state.config.neighbours, slot, view);
  const neighbours = near.map((s) => state.bySlot[s.slot]!);
  change.training = yield* prepareTraining(state, examplesOf([entry, ...neighbours]), view);
  return change;
}

function unindex(state: IndexState, previous: IndexedFaq): void {
  const { ids } = previous.centroid;
  for (let k = 0; k < ids.length; k++) removePosting(state.postings, ids[k]!, previous.slot);
  for (const fid of previous.featureIds) state.faqFrequency[fid]!--;
  state.byId.delete(previous.id);
  state.bySlot[previous.slot] = undefined;
  state.phrasingCount -= previous.texts.length;
}

function indexEntry(state: IndexState, entry: IndexedFaq): void {
  for (const fid of entry.featureIds) state.faqFrequency[fid]!++;
  const { ids, vals } = entry.centroid;
  for (let k = 0; k < ids.length; k++) setPosting(state.postings, ids[k]!, entry.slot, vals[k]!);
  const { freeSlots } = state;
  if (freeSlots[freeSlots.length - 1] === entry.slot) freeSlots.pop();
  state.bySlot[entry.slot] = entry;
  state.byId.set(entry.id, entry);
  state.phrasingCount += entry.texts.length;
}

/** Applies a staged change in one synchronous step. */
export function commit(state: IndexState, change: StagedChange): void {
  const { previous, entry } = change;
  if (previous !== undefined) unindex(state, previous);
  if (entry !== null) indexEntry(state, entry);
  else if (previous !== undefined) state.freeSlots.push(previous.slot);
  const slot = entry?.slot ?? previous?.slot;
  if (slot !== undefined) {
    ensureRows(state, Math.max(state.bySlot.length, slot + 1));
    state.learned.fill(0, slot * LEARNED_WIDTH, (slot + 1) * LEARNED_WIDTH);
  }
  if (change.training !== null && change.rows !== null) applyRows(state, change.training.slots, change.rows);
  if (previous !== undefined || entry !== null) state.changesSinceBuild++;
}
