import { extractFeatures, type TextFeatures } from './features';
import { runAtOnce, runInSlices, type Steps } from './slices';
import { centroid, squaredNorm, vectorise, type FeatureLookup, type SparseVector } from './sparse-vector';
import { localTrainer, runTraining, type Trainer, type TrainingJob } from './training';

/**
 * The FAQ index and its learned weights.
 *
 * An FAQ scores a message with two parts:
 * - its centroid: the mean of its phrasings' TF-IDF vectors, with IDF counted over FAQs rather than
 *   phrasings (a word all of one FAQ's phrasings use is that FAQ's signature, not noise);
 * - a learned correction, trained from the phrasings themselves by a passive-aggressive learner
 *   (Crammer et al. 2006, a large-margin linear model): whenever a phrasing scores within `margin` of
 *   another FAQ, its own FAQ's correction moves towards it and the rival's away. That learns which words
 *   tell close FAQs apart ("arrived" vs "how long does delivery take") from nothing but what the owner
 *   typed. On Banking77 with 10 phrasings per intent it lifts top-1 accuracy by about 4 points.
 *
 * The correction lives in a dense row of `LEARNED_WIDTH` floats per FAQ, indexed by a hash of the
 * feature (16 KB per FAQ, 16 MB for 1,000): training touches it millions of times, and flat arrays are
 * ten times faster than maps there. Hash collisions only blur the small correction; the centroid part
 * stays exact. A query scores centroids through an inverted index, then adds the correction for the
 * best 40 only.
 *
 * Changes, two ways:
 * - `upsert`/`remove` apply at once (tests, benchmarks, a matcher being loaded): an upsert
 *   re-vectorises one FAQ and retrains it with its 10 nearest (25-80 ms at 1,000 FAQs of 10 phrasings);
 *   the full build (3-5 s there when the FAQs are near-duplicates of each other, under a second for
 *   1,000 distinct FAQs) runs on the first query after loading, or after changes to a fifth of the FAQs
 *   (IDF drifts as FAQs change).
 * - `edit` (a live bot) prepares the same change beside the index in slices of a few milliseconds, the
 *   phrasings, the rivals, the staged posting lists, while queries keep using the index as it is; the
 *   epochs run on a copy of the touched rows through a `Trainer` (a worker thread for big jobs); then
 *   one synchronous commit swaps it all in. A query sees every FAQ before or after an edit, never half.
 *   `buildInSlices` is the full build of a matcher nobody queries yet, the same way.
 * Both run the same steps, so an FAQ edited either way ends up with the same weights.
 */

export interface FaqIndexOptions {
  /** Passes over the phrasings. */
  epochs?: number;
  /** How far ahead of every rival a phrasing's own FAQ must score. */
  margin?: number;
  /** Largest step of one update (the PA-I aggressiveness). */
  maxStep?: number;
  /** Rivals considered per phrasing: the FAQs that score it best before training. */
  rivals?: number;
  /** FAQs retrained with an upserted one: its nearest neighbours. */
  neighbours?: number;
  /** How a phrasing becomes features (the matcher's reader carries the workspace's synonyms). */
  read?: (text: string) => TextFeatures;
}

export interface IndexedFaq {
  readonly id: string;
  readonly slot: number;
  readonly texts: string[];
  readonly features: TextFeatures[];
  /** Distinct interned features over all phrasings: what the FAQ adds to the FAQ frequencies. */
  readonly featureIds: Int32Array;
  vectors: SparseVector[];
  centroid: Map<number, number>;
}

export interface FaqIndexStats {
  faqs: number;
  phrasings: number;
  features: number;
  lastFullBuildMs: number;
  lastUpdateMs: number;
  fullBuilds: number;
}

interface CompiledPostings {
  slots: Int32Array;
  weights: Float64Array;
}

interface Example {
  vector: SparseVector;
  entry: IndexedFaq;
}

/**
 * The index as it will be after one change, seen without applying it: the changed FAQ at `slot`
 * (null for a removal) and the FAQ frequencies that change with it.
 */
interface View {
  slot: number;
  entry: IndexedFaq | null;
  size: number;
  frequencyDelta: Map<number, number>;
}

/** One change, prepared beside the index; `commit` applies it in one synchronous step. */
interface StagedChange {
  id: string;
  previous: IndexedFaq | undefined;
  entry: IndexedFaq | null;
  /** The posting lists the change touches, compiled as they will be. */
  compiled: Map<number, CompiledPostings>;
  /** The retraining of the FAQ and its neighbours; null when nothing is trained now. */
  training: { job: TrainingJob; slots: Int32Array } | null;
  /** The trained rows, once the trainer has run. */
  rows: Float32Array | null;
}

const DEFAULTS: Required<Omit<FaqIndexOptions, 'read'>> = {
  epochs: 5,
  margin: 0.5,
  maxStep: 0.1,
  rivals: 10,
  neighbours: 10,
};

/** Floats per FAQ in the learned part (a power of two). */
export const LEARNED_WIDTH = 4096;
const LEARNED_SHIFT = 32 - Math.log2(LEARNED_WIDTH);
/** FAQs the centroid scores shortlist for the learned correction to reorder. */
const RERANK = 40;
/** Training stops early once an epoch changes fewer than this share of the phrasings. */
const STOP_UPDATE_SHARE = 0.01;
/** Query features scored between two yields when a change is prepared in slices. */
const FEATURES_PER_STEP = 8;
/** Posting lists staged between two yields (a letter piece's list can hold every FAQ). */
const LISTS_PER_STEP = 8;
const EMPTY: CompiledPostings = { slots: new Int32Array(0), weights: new Float64Array(0) };

/** Fibonacci hashing of an interned id: consecutive ids land far apart. */
export function learnedColumn(id: number): number {
  return Math.imul(id, 0x9e3779b1) >>> LEARNED_SHIFT;
}

export type FaqIndex = ReturnType<typeof createFaqIndex>;

export function createFaqIndex(options: FaqIndexOptions = {}) {
  const config = { ...DEFAULTS, ...options };
  const read = options.read ?? extractFeatures;
  const interner = new Map<string, number>();
  /** Per feature id: how many FAQs use it. */
  const faqFrequency: number[] = [];
  /** Per feature id: FAQ slot -> centroid weight. The inverted index a query is scored through. */
  const postings: (Map<number, number> | undefined)[] = [];
  /** The same lists as flat arrays, rebuilt lazily after a change: much faster to scan than a Map. */
  const compiled: (CompiledPostings | undefined)[] = [];
  /** Per feature id: its column in the learned rows. */
  const columns: number[] = [];
  /** Per feature id: 1 for a letter piece. */
  const charFeature: number[] = [];
  let learned = new Float32Array(16 * LEARNED_WIDTH);
  const bySlot: (IndexedFaq | undefined)[] = [];
  const byId = new Map<string, IndexedFaq>();
  const freeSlots: number[] = [];
  let phrasingCount = 0;
  let built = false;
  let changesSinceBuild = 0;
  const stats = { lastFullBuildMs: 0, lastUpdateMs: 0, fullBuilds: 0 };

  const idfOf = (size: number, frequency: number) => Math.log((size + 1) / (frequency + 1)) + 1;
  const lookup: FeatureLookup = {
    id: (key) => interner.get(key) ?? -1,
    idf: (id) => idfOf(byId.size, faqFrequency[id] ?? 0),
    unseenIdf: () => Math.log(byId.size + 1) + 1,
  };

  function intern(key: string): number {
    let id = interner.get(key);
    if (id === undefined) {
      id = interner.size;
      interner.set(key, id);
      faqFrequency.push(0);
      postings.push(undefined);
      compiled.push(undefined);
      columns.push(learnedColumn(id));
      charFeature.push(key.startsWith('c:') ? 1 : 0);
    }
    return id;
  }

  function compile(id: number): CompiledPostings {
    const list = postings[id];
    if (list === undefined || list.size === 0) return (compiled[id] = EMPTY);
    const slots = new Int32Array(list.size);
    const weights = new Float64Array(list.size);
    let i = 0;
    list.forEach((w, slot) => {
      slots[i] = slot;
      weights[i++] = w;
    });
    return (compiled[id] = { slots, weights });
  }

  /**
   * A posting list as it will be once `slot` holds `weight` (or nothing, when undefined): a copy of
   * the compiled list with one entry changed, a memory copy rather than a walk through the Map (the
   * lists of letter pieces hold most FAQs).
   */
  function compileWith(id: number, slot: number, weight: number | undefined): CompiledPostings {
    const live = compiled[id] ?? compile(id);
    const { slots, weights } = live;
    const at = slots.indexOf(slot);
    if (at < 0 && weight === undefined) return live;
    if (at >= 0 && weight !== undefined) {
      const changed = weights.slice();
      changed[at] = weight;
      return { slots, weights: changed };
    }
    if (at >= 0) {
      if (slots.length === 1) return EMPTY;
      const fewerSlots = new Int32Array(slots.length - 1);
      const fewerWeights = new Float64Array(slots.length - 1);
      fewerSlots.set(slots.subarray(0, at));
      fewerSlots.set(slots.subarray(at + 1), at);
      fewerWeights.set(weights.subarray(0, at));
      fewerWeights.set(weights.subarray(at + 1), at);
      return { slots: fewerSlots, weights: fewerWeights };
    }
    const moreSlots = new Int32Array(slots.length + 1);
    const moreWeights = new Float64Array(slots.length + 1);
    moreSlots.set(slots);
    moreWeights.set(weights);
    moreSlots[slots.length] = slot;
    moreWeights[slots.length] = weight!;
    return { slots: moreSlots, weights: moreWeights };
  }

  function ensureRows(slots: number): void {
    const needed = slots * LEARNED_WIDTH;
    if (needed > learned.length) {
      const grown = new Float32Array(Math.max(needed, learned.length * 2));
      grown.set(learned);
      learned = grown;
    }
  }

  const frequencyIn = (view: View | undefined, id: number) =>
    faqFrequency[id]! + (view?.frequencyDelta.get(id) ?? 0);

  /**
   * Adds a vector's centroid scores for its features `from` to `to` into `scores`. `wordsOnly` skips
   * the letter pieces and words a quarter of the FAQs have: candidate rivals for training come from
   * the rarer words alone, at a tenth of the cost (letter pieces like "<th" sit in almost every FAQ's
   * posting list).
   */
  function accumulate(
    scores: Float64Array,
    vector: SparseVector,
    from: number,
    to: number,
    wordsOnly: boolean,
    view: View | undefined,
  ): void {
    const { ids, vals } = vector;
    const common = (view?.size ?? byId.size) / 4;
    for (let i = from; i < to; i++) {
      const id = ids[i]!;
      if (wordsOnly && (charFeature[id] === 1 || frequencyIn(view, id) > common)) continue;
      const { slots, weights } = compiled[id] ?? compile(id);
      const q = vals[i]!;
      for (let k = 0; k < slots.length; k++) {
        const slot = slots[k]!;
        scores[slot] = scores[slot]! + q * weights[k]!;
      }
    }
  }

  /** Every slot's centroid score for a vector, as the index is or (with a view) will be. */
  function* scoreCentroids(
    vector: SparseVector,
    wordsOnly: boolean,
    view?: View,
    reuse?: Float64Array,
  ): Steps<Float64Array> {
    const length = Math.max(bySlot.length, (view?.slot ?? -1) + 1);
    const scores = reuse?.length === length ? reuse.fill(0) : new Float64Array(length);
    const features = vector.ids.length;
    for (let from = 0; from < features; from += FEATURES_PER_STEP) {
      accumulate(scores, vector, from, Math.min(features, from + FEATURES_PER_STEP), wordsOnly, view);
      yield;
    }
    if (view !== undefined && view.slot >= 0) {
      // The changed FAQ scores as it will be: its staged centroid, the same features in the same order.
      const common = view.size / 4;
      const weights = view.entry?.centroid;
      let sum = 0;
      for (let i = 0; i < features; i++) {
        const id = vector.ids[i]!;
        if (wordsOnly && (charFeature[id] === 1 || frequencyIn(view, id) > common)) continue;
        sum += vector.vals[i]! * (weights?.get(id) ?? 0);
      }
      scores[view.slot] = sum;
    }
    return scores;
  }

  const entryAt = (slot: number, view?: View) =>
    view !== undefined && slot === view.slot ? (view.entry ?? undefined) : bySlot[slot];

  function learnedScore(slot: number, cols: Int32Array, vals: Float64Array): number {
    const row = learned;
    const base = slot * LEARNED_WIDTH;
    let sum = 0;
    for (let k = 0; k < cols.length; k++) sum += vals[k]! * row[base + cols[k]!]!;
    return sum;
  }

  function topSlots(
    scores: Float64Array,
    limit: number,
    exclude = -1,
    view?: View,
  ): { slot: number; score: number }[] {
    const top: { slot: number; score: number }[] = [];
    for (let slot = 0; slot < scores.length; slot++) {
      if (slot === exclude || entryAt(slot, view) === undefined) continue;
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

  /**
   * The training job for some phrasings, each against its strongest rivals, with copies of the learned
   * rows it touches (the changed FAQ's own row starts from zero).
   */
  function* prepareTraining(
    examples: readonly Example[],
    view?: View,
  ): Steps<{ job: TrainingJob; slots: Int32Array }> {
    const rivalsOf: Int32Array[] = [];
    let scores: Float64Array | undefined; // one buffer for all: less garbage, shorter collections
    for (const { vector, entry } of examples) {
      scores = yield* scoreCentroids(vector, true, view, scores);
      rivalsOf.push(Int32Array.from(topSlots(scores, config.rivals, entry.slot, view), (r) => r.slot));
    }
    // The centroid part does not change while training: score it once per (phrasing, FAQ). Grouped by
    // FAQ, with its centroid spread into a flat array, that is array reads rather than map look-ups.
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
    const scratch = new Float64Array(interner.size);
    for (const [slot, codes] of uses) {
      const weights = entryAt(slot, view)!.centroid;
      weights.forEach((w, id) => (scratch[id] = w));
      for (const code of codes) {
        const e = code >= 0 ? code : owner[-code - 1]!;
        const { ids, vals } = examples[e]!.vector;
        let sum = 0;
        for (let k = 0; k < ids.length; k++) sum += vals[k]! * scratch[ids[k]!]!;
        if (code >= 0) base[e] = sum;
        else rivalBase[-code - 1] = sum;
      }
      weights.forEach((_, id) => (scratch[id] = 0));
      yield;
    }
    // Rows are numbered in the job: each touched FAQ's slot gets the next row.
    const slots = [...uses.keys()];
    const rowOf = new Map(slots.map((slot, row) => [slot, row]));
    const rows = new Float32Array(slots.length * LEARNED_WIDTH);
    for (let row = 0; row < slots.length; row++) {
      const slot = slots[row]!;
      if (view !== undefined && slot === view.slot) continue; // retrained from zero
      if ((slot + 1) * LEARNED_WIDTH <= learned.length)
        rows.set(learned.subarray(slot * LEARNED_WIDTH, (slot + 1) * LEARNED_WIDTH), row * LEARNED_WIDTH);
      if (row % 16 === 15) yield;
    }
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
      for (let k = 0; k < vector.ids.length; k++) cols[at + k] = columns[vector.ids[k]!]!;
      vals.set(vector.vals, at);
      offsets[e + 1] = at + vector.ids.length;
      norms[e] = squaredNorm(vector);
      own[e] = rowOf.get(entry.slot)!;
      if (e % 256 === 255) yield;
    }
    const rivals = new Int32Array(rivalBase.length);
    rivalsOf.forEach((list, e) =>
      list.forEach((slot, r) => (rivals[rivalOffsets[e]! + r] = rowOf.get(slot)!)),
    );
    const job: TrainingJob = {
      offsets,
      cols,
      vals,
      norms,
      own,
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

  function applyRows(slots: Int32Array, rows: Float32Array): void {
    ensureRows(Math.max(bySlot.length, ...slots) + 1);
    slots.forEach((slot, row) =>
      learned.set(rows.subarray(row * LEARNED_WIDTH, (row + 1) * LEARNED_WIDTH), slot * LEARNED_WIDTH),
    );
  }

  function examplesOf(entries: Iterable<IndexedFaq>): Example[] {
    const out: Example[] = [];
    for (const entry of entries) for (const vector of entry.vectors) out.push({ vector, entry });
    return out;
  }

  /** Vectorises the phrasings and sets the centroid into the inverted index. */
  function attach(entry: IndexedFaq): void {
    entry.vectors = entry.features.map((f) => vectorise(f.counts, lookup));
    entry.centroid = centroid(entry.vectors);
    entry.centroid.forEach((value, id) => {
      let list = postings[id];
      if (list === undefined) postings[id] = list = new Map();
      list.set(entry.slot, value);
      compiled[id] = undefined;
    });
  }

  /** The full build's preparation: every FAQ re-vectorised with today's IDF, corrections from zero. */
  function* fullBuildSteps(): Steps<{ job: TrainingJob; slots: Int32Array }> {
    for (const list of postings) list?.clear();
    compiled.fill(undefined);
    learned.fill(0);
    for (const entry of byId.values()) {
      attach(entry);
      yield;
    }
    return yield* prepareTraining(examplesOf(byId.values()));
  }

  function fullBuild(): void {
    const started = performance.now();
    const { job, slots } = runAtOnce(fullBuildSteps());
    applyRows(slots, runTraining(job));
    finishBuild(started);
  }

  function finishBuild(started: number): void {
    built = true;
    changesSinceBuild = 0;
    stats.fullBuilds++;
    stats.lastFullBuildMs = performance.now() - started;
  }

  /** Whether a change now would push the index past the drift a full build corrects. */
  const overDrift = () => changesSinceBuild + 1 > Math.max(4, byId.size / 5);

  /**
   * Prepares an upsert (texts) or a removal (null) beside the index. `train` false: the FAQ's
   * centroid is not computed either (an index not built yet attaches everything at its full build).
   */
  function* stage(id: string, texts: readonly string[] | null, train: boolean): Steps<StagedChange> {
    const previous = byId.get(id);
    const kept: string[] = [];
    const features: TextFeatures[] = [];
    for (const text of texts ?? []) {
      const f = read(text);
      yield;
      if (f.counts.size === 0) continue;
      kept.push(text);
      features.push(f);
    }
    const slot = previous?.slot ?? freeSlots[freeSlots.length - 1] ?? bySlot.length;
    const distinct = new Set<number>();
    for (const f of features) for (const key of f.counts.keys()) distinct.add(intern(key));
    const entry: IndexedFaq | null =
      features.length === 0
        ? null
        : {
            id,
            slot,
            texts: kept,
            features,
            featureIds: Int32Array.from(distinct),
            vectors: [],
            centroid: new Map(),
          };
    const change: StagedChange = { id, previous, entry, compiled: new Map(), training: null, rows: null };
    if (!built) return change;
    const frequencyDelta = new Map<number, number>();
    for (const fid of previous?.featureIds ?? []) frequencyDelta.set(fid, -1);
    for (const fid of distinct) frequencyDelta.set(fid, (frequencyDelta.get(fid) ?? 0) + 1);
    const size = byId.size + (entry === null ? 0 : 1) - (previous === undefined ? 0 : 1);
    const view: View = { slot, entry, size, frequencyDelta };
    if (entry !== null) {
      const staged: FeatureLookup = {
        id: (key) => lookup.id(key),
        idf: (fid) => idfOf(size, frequencyIn(view, fid)),
        unseenIdf: () => Math.log(size + 1) + 1,
      };
      entry.vectors = features.map((f) => vectorise(f.counts, staged));
      entry.centroid = centroid(entry.vectors);
    }
    const touched = new Set([...(previous?.centroid.keys() ?? []), ...(entry?.centroid.keys() ?? [])]);
    let count = 0;
    for (const fid of touched) {
      change.compiled.set(fid, compileWith(fid, slot, entry?.centroid.get(fid)));
      if (++count % LISTS_PER_STEP === 0) yield;
    }
    if (entry === null || !train) return change;
    const own: SparseVector = {
      ids: Int32Array.from(entry.centroid.keys()),
      vals: Float64Array.from(entry.centroid.values()),
    };
    // Its neighbours by the rarer words, as its rivals are found: a tenth of the cost of every feature.
    const nearScores = yield* scoreCentroids(own, true, view);
    const near = topSlots(nearScores, config.neighbours, slot, view).map((s) => bySlot[s.slot]!);
    change.training = yield* prepareTraining(examplesOf([entry, ...near]), view);
    return change;
  }

  /** Applies a staged change in one synchronous step. */
  function commit(change: StagedChange): void {
    const { previous, entry } = change;
    if (previous !== undefined) {
      for (const fid of previous.centroid.keys()) postings[fid]?.delete(previous.slot);
      for (const fid of previous.featureIds) faqFrequency[fid]!--;
      byId.delete(previous.id);
      bySlot[previous.slot] = undefined;
      phrasingCount -= previous.texts.length;
    }
    if (entry !== null) {
      for (const fid of entry.featureIds) faqFrequency[fid]!++;
      entry.centroid.forEach((value, fid) => {
        let list = postings[fid];
        if (list === undefined) postings[fid] = list = new Map();
        list.set(entry.slot, value);
      });
      if (freeSlots[freeSlots.length - 1] === entry.slot) freeSlots.pop();
      bySlot[entry.slot] = entry;
      byId.set(entry.id, entry);
      phrasingCount += entry.texts.length;
    } else if (previous !== undefined) {
      freeSlots.push(previous.slot);
    }
    const slot = entry?.slot ?? previous?.slot;
    if (slot !== undefined) {
      ensureRows(Math.max(bySlot.length, slot + 1));
      learned.fill(0, slot * LEARNED_WIDTH, (slot + 1) * LEARNED_WIDTH);
    }
    if (built) {
      // Staged lists are exact; any other touched list recompiles on its next use.
      change.compiled.forEach((list, fid) => (compiled[fid] = list));
      for (const fid of previous?.centroid.keys() ?? [])
        if (!change.compiled.has(fid)) compiled[fid] = undefined;
    }
    if (change.training !== null && change.rows !== null) applyRows(change.training.slots, change.rows);
    if (previous !== undefined || entry !== null) changesSinceBuild++;
  }

  /** Whether a change through `upsert`/`remove` is retrained now, or left to the next full build. */
  function trainNow(): boolean {
    if (!built) return false;
    if (overDrift()) {
      built = false; // the next query rebuilds everything once
      return false;
    }
    return true;
  }

  function applyAtOnce(id: string, texts: readonly string[] | null): void {
    if (texts === null && !byId.has(id)) return;
    const started = performance.now();
    const train = trainNow();
    const change = runAtOnce(stage(id, texts, train));
    if (change.training !== null) change.rows = runTraining(change.training.job);
    commit(change);
    if (change.training !== null) stats.lastUpdateMs = performance.now() - started;
  }

  return {
    /** Adds or replaces an FAQ's phrasings at once. Texts that normalise to nothing are ignored. */
    upsert(id: string, texts: readonly string[]): void {
      applyAtOnce(id, texts);
    },

    remove(id: string): boolean {
      if (!byId.has(id)) return false;
      applyAtOnce(id, null);
      return true;
    },

    /**
     * The same change as `upsert` (texts) or `remove` (null), prepared in slices while queries keep
     * using the index as it is, trained through `trainer`, then applied whole. A built index stays
     * built however many changes it takes: `drifted` says when a full build would be worth it. Call
     * one at a time (the bot queues them). `around` runs the commit, with what must change with it.
     */
    async edit(
      id: string,
      texts: readonly string[] | null,
      trainer: Trainer = localTrainer,
      around: (apply: () => void) => void = (apply) => apply(),
    ): Promise<void> {
      if (texts === null && !byId.has(id)) return;
      const started = performance.now();
      const change = await runInSlices(stage(id, texts, built));
      if (change.training !== null) change.rows = await trainer(change.training.job);
      around(() => commit(change));
      if (change.training !== null) stats.lastUpdateMs = performance.now() - started;
    },

    /** Many changes since the last full build: IDF has drifted, a rebuild would match better. */
    get drifted(): boolean {
      return built && changesSinceBuild > Math.max(4, byId.size / 5);
    },

    has: (id: string) => byId.has(id),
    get: (id: string) => byId.get(id),
    ids: () => [...byId.keys()],
    get size() {
      return byId.size;
    },
    get built() {
      return built;
    },

    /** Builds lazily: the first query after loading (or after many changes) trains everything once. */
    ensureBuilt(): void {
      if (!built) fullBuild();
    },

    /**
     * The full build in slices of the event loop, the epochs through `trainer`: for an index no query
     * uses yet (a query meanwhile would see it half built).
     */
    async buildInSlices(trainer: Trainer = localTrainer): Promise<void> {
      const started = performance.now();
      const { job, slots } = await runInSlices(fullBuildSteps());
      applyRows(slots, await trainer(job));
      finishBuild(started);
    },

    vectorise(features: TextFeatures): SparseVector {
      return vectorise(features.counts, lookup);
    },

    /**
     * The best FAQs for a vector, best first: the centroids shortlist `RERANK` FAQs, the learned
     * correction reorders them (it is small next to the centroid score, so the right FAQ is on the
     * shortlist; scoring only the shortlist keeps a query at 1,000 FAQs well under a millisecond).
     */
    top(vector: SparseVector, limit: number): { entry: IndexedFaq; score: number }[] {
      if (!built) fullBuild();
      const scores = new Float64Array(bySlot.length);
      accumulate(scores, vector, 0, vector.ids.length, false, undefined);
      const shortlist = topSlots(scores, Math.max(RERANK, limit));
      const cols = Int32Array.from(vector.ids, (id) => columns[id]!);
      for (const s of shortlist) s.score += learnedScore(s.slot, cols, vector.vals);
      shortlist.sort((a, b) => b.score - a.score);
      return shortlist.slice(0, limit).map((s) => ({ entry: bySlot[s.slot]!, score: s.score }));
    },

    /** One feature's weight in an FAQ (centroid plus correction): what explanations add up. */
    weight(entry: IndexedFaq, featureId: number): number {
      return (
        (entry.centroid.get(featureId) ?? 0) + learned[entry.slot * LEARNED_WIDTH + columns[featureId]!]!
      );
    },

    /** Whether any FAQ has the feature (an id stays interned after its FAQs are gone). */
    used: (featureId: number) => featureId >= 0 && (faqFrequency[featureId] ?? 0) > 0,

    lookup,

    stats(): FaqIndexStats {
      return { faqs: byId.size, phrasings: phrasingCount, features: interner.size, ...stats };
    },
  };
}
