import { commit, stage, weigh } from './faq-index-edit';
import { applyRows, examplesOf, prepareTraining, type PreparedTraining } from './faq-index-learning';
import { accumulate, learnedScore, topSlots } from './faq-index-scoring';
import {
  createIndexState,
  LEARNED_WIDTH,
  weightIn,
  type FaqIndexOptions,
  type FaqIndexStats,
  type IndexedFaq,
  type IndexState,
} from './faq-index-state';
import type { TextFeatures } from './features';
import { layOutPostings } from './posting-lists';
import { runAtOnce, runInSlices, type Steps } from './slices';
import { vectorise, type SparseVector } from './sparse-vector';
import { localTrainer, runTraining, type Trainer } from './training';

export { LEARNED_WIDTH, learnedColumn } from './faq-index-state';
export type { FaqIndexOptions, FaqIndexStats, IndexedFaq } from './faq-index-state';

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
 *   phrasings, the neighbours, the rivals, while queries keep using the index as it is; the
 *   epochs run on a copy of the touched rows through a `Trainer` (a worker thread for big jobs); then
 *   one synchronous commit swaps it all in. A query sees every FAQ before or after an edit, never half.
 *   `buildInSlices` is the full build of a matcher nobody queries yet, the same way.
 * Both run the same steps, so an FAQ edited either way ends up with the same weights.
 */

/** FAQs the centroid scores shortlist for the learned correction to reorder. */
const RERANK = 40;

/** The full build's preparation: every FAQ weighed with today's IDF, corrections from zero. */
function* fullBuildSteps(state: IndexState): Steps<PreparedTraining> {
  state.learned.fill(0);
  for (const entry of state.byId.values()) {
    weigh(state, entry, (id) => state.lookup.idf(id));
    yield;
  }
  const centroids = [...state.byId.values()].map(({ slot, centroid }) => ({ slot, ...centroid }));
  layOutPostings(state.postings, state.interner.size, centroids);
  yield;
  return yield* prepareTraining(state, examplesOf(state.byId.values()));
}

function finishBuild(state: IndexState, started: number): void {
  state.built = true;
  state.changesSinceBuild = 0;
  state.stats.fullBuilds++;
  state.stats.lastFullBuildMs = performance.now() - started;
}

function fullBuild(state: IndexState): void {
  const started = performance.now();
  const { job, slots } = runAtOnce(fullBuildSteps(state));
  applyRows(state, slots, runTraining(job));
  finishBuild(state, started);
}

/** Whether a change through `upsert`/`remove` is retrained now, or left to the next full build. */
function trainNow(state: IndexState): boolean {
  if (!state.built) return false;
  if (state.changesSinceBuild + 1 > Math.max(4, state.byId.size / 5)) {
    state.built = false; // the next query rebuilds everything once
    return false;
  }
  return true;
}

function applyAtOnce(state: IndexState, id: string, texts: readonly string[] | null): void {
  if (texts === null && !state.byId.has(id)) return;
  const started = performance.now();
  const change = runAtOnce(stage(state, id, texts, trainNow(state)));
  if (change.training !== null) change.rows = runTraining(change.training.job);
  commit(state, change);
  if (change.training !== null) state.stats.lastUpdateMs = performance.now() - started;
}

/**
 * The best FAQs for a vector, best first: the centroids shortlist `RERANK` FAQs, the learned
 * correction reorders them (it is small next to the centroid score, so the right FAQ is on the
 * shortlist; scoring only the shortlist keeps a query at 1,000 FAQs well under a millisecond).
 */
function top(state: IndexState, vector: SparseVector, limit: number): { entry: IndexedFaq; score: number }[] {
  if (!state.built) fullBuild(state);
  const scores = new Float64Array(state.bySlot.length);
  accumulate(state, scores, vector, { from: 0, to: vector.ids.length, wordsOnly: false }, undefined);
  const shortlist = topSlots(state, scores, Math.max(RERANK, limit));
  const cols = Int32Array.from(vector.ids, (id) => state.columns[id]!);
  for (const s of shortlist) s.score += learnedScore(state, s.slot, cols, vector.vals);
  shortlist.sort((a, b) => b.score - a.score);
  return shortlist.slice(0, limit).map((s) => ({ entry: state.bySlot[s.slot]!, score: s.score }));
}

export type FaqIndex = ReturnType<typeof createFaqIndex>;

export function createFaqIndex(options: FaqIndexOptions = {}) {
  const state = createIndexState(options);
  const { byId } = state;
  return {
    /** Adds or replaces an FAQ's phrasings at once. Texts that normalise to nothing are ignored. */
    upsert(id: string, texts: readonly string[]): void {
      applyAtOnce(state, id, texts);
    },

    remove(id: string): boolean {
      if (!byId.has(id)) return false;
      applyAtOnce(state, id, null);
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
      const change = await runInSlices(stage(state, id, texts, state.built));
      if (change.training !== null) change.rows = await trainer(change.training.job);
      around(() => commit(state, change));
      if (change.training !== null) state.stats.lastUpdateMs = performance.now() - started;
    },

    /** Many changes since the last full build: IDF has drifted, a rebuild would match better. */
    get drifted(): boolean {
      return state.built && state.changesSinceBuild > Math.max(4, byId.size / 5);
    },

    has: (id: string) => byId.has(id),
    get: (id: string) => byId.get(id),
    ids: () => [...byId.keys()],
    get size() {
      return byId.size;
    },
    get built() {
      return state.built;
    },

    /** Builds lazily: the first query after loading (or after many changes) trains everything once. */
    ensureBuilt(): void {
      if (!state.built) fullBuild(state);
    },

    /**
     * The full build in slices of the event loop, the epochs through `trainer`: for an index no query
     * uses yet (a query meanwhile would see it half built).
     */
    async buildInSlices(trainer: Trainer = localTrainer): Promise<void> {
      const started = performance.now();
      const { job, slots } = await runInSlices(fullBuildSteps(state));
      applyRows(state, slots, await trainer(job));
      finishBuild(state, started);
    },

    vectorise(features: TextFeatures): SparseVector {
      return vectorise(features.counts, state.lookup);
    },

    top: (vector: SparseVector, limit: number) => top(state, vector, limit),

    /** One feature's weight in an FAQ (centroid plus correction): what explanations add up. */
    weight(entry: IndexedFaq, featureId: number): number {
      const learned = state.learned[entry.slot * LEARNED_WIDTH + state.columns[featureId]!]!;
      return weightIn(entry.centroid, featureId) + learned;
    },

    /** Whether any FAQ has the feature (an id stays interned after its FAQs are gone). */
    used: (featureId: number) => featureId >= 0 && (state.faqFrequency[featureId] ?? 0) > 0,

    lookup: state.lookup,

    stats(): FaqIndexStats {
      return {
        faqs: byId.size,
        phrasings: state.phrasingCount,
        features: state.interner.size,
        ...state.stats,
      };
    },
  };
}
