import { blockOf, extractFeatures, type FeatureBlock, type TextFeatures } from './features';
import { createPostingLists, ensureFeatures, type PostingLists } from './posting-lists';
import type { FeatureLookup, SparseVector } from './sparse-vector';

/**
 * What the FAQ index's parts share (faq-index.ts puts them together): the interned features, the
 * FAQs by slot, the inverted index and the learned rows. Everything an FAQ keeps is flat (typed arrays,
 * one list of words), so a thousand FAQs are a few thousand objects for the garbage collector to walk.
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

/** Per phrasing (one after another), its interned features and how often each occurs in it. */
export interface CountedFeatures {
  /** Where each phrasing starts in `ids`/`counts` (one more entry than phrasings). */
  offsets: Int32Array;
  ids: Int32Array;
  counts: Float64Array;
}

export interface IndexedFaq {
  readonly id: string;
  readonly slot: number;
  readonly texts: string[];
  /** Every phrasing's tokens, one phrasing after another. */
  readonly tokens: string[];
  /** Every phrasing's word stems and the meaning words its synonyms added. */
  readonly stems: string[];
  /** What a full build weighs again with the IDF of the day. */
  readonly counted: CountedFeatures;
  /** Distinct interned features over all phrasings: what the FAQ adds to the FAQ frequencies. */
  readonly featureIds: Int32Array;
  vectors: SparseVector[];
  /** The unit-length mean of the vectors (ids in the order they first occur). */
  centroid: SparseVector;
}

export interface FaqIndexStats {
  faqs: number;
  phrasings: number;
  features: number;
  lastFullBuildMs: number;
  lastUpdateMs: number;
  fullBuilds: number;
}

/**
 * The index as it will be after one change, seen without applying it: the changed FAQ at `slot`
 * (null for a removal), its staged centroid weights and the FAQ frequencies that change with it.
 */
export interface View {
  slot: number;
  entry: IndexedFaq | null;
  weights: Map<number, number>;
  size: number;
  frequencyDelta: Map<number, number>;
}

export type IndexConfig = Required<Omit<FaqIndexOptions, 'read'>>;

export interface IndexState {
  config: IndexConfig;
  read: (text: string) => TextFeatures;
  readonly interner: Map<string, number>;
  /** Per feature id: how many FAQs use it. */
  readonly faqFrequency: number[];
  /** Per feature id: its column in the learned rows. */
  columns: number[];
  /** Per feature id: 1 for a letter piece. */
  charFeature: number[];
  /** Per feature id: its block. */
  blocks: FeatureBlock[];
  /** Per feature id: FAQ slot -> centroid weight. The inverted index a query is scored through. */
  postings: PostingLists;
  learned: Float32Array;
  bySlot: (IndexedFaq | undefined)[];
  readonly byId: Map<string, IndexedFaq>;
  freeSlots: number[];
  phrasingCount: number;
  built: boolean;
  changesSinceBuild: number;
  stats: { lastFullBuildMs: number; lastUpdateMs: number; fullBuilds: number };
  readonly lookup: FeatureLookup;
}

const DEFAULTS: IndexConfig = {
  epochs: 5,
  margin: 0.5,
  maxStep: 0.1,
  rivals: 10,
  neighbours: 10,
};

/** Floats per FAQ in the learned part (a power of two). */
export const LEARNED_WIDTH = 4096;
const LEARNED_SHIFT = 32 - Math.log2(LEARNED_WIDTH);

/** Fibonacci hashing of an interned id: consecutive ids land far apart. */
export function learnedColumn(id: number): number {
  return Math.imul(id, 0x9e3779b1) >>> LEARNED_SHIFT;
}

export const idfOf = (size: number, frequency: number) => Math.log((size + 1) / (frequency + 1)) + 1;

export function createIndexState(options: FaqIndexOptions): IndexState {
  const interner = new Map<string, number>();
  const faqFrequency: number[] = [];
  const byId = new Map<string, IndexedFaq>();
  return {
    config: { ...DEFAULTS, ...options },
    read: options.read ?? extractFeatures,
    interner,
    faqFrequency,
    columns: [],
    charFeature: [],
    blocks: [],
    postings: createPostingLists(),
    learned: new Float32Array(16 * LEARNED_WIDTH),
    bySlot: [],
    byId,
    freeSlots: [],
    phrasingCount: 0,
    built: false,
    changesSinceBuild: 0,
    stats: { lastFullBuildMs: 0, lastUpdateMs: 0, fullBuilds: 0 },
    lookup: {
      id: (key) => interner.get(key) ?? -1,
      idf: (id) => idfOf(byId.size, faqFrequency[id] ?? 0),
      unseenIdf: () => Math.log(byId.size + 1) + 1,
    },
  };
}

export function intern(state: IndexState, key: string): number {
  let id = state.interner.get(key);
  if (id === undefined) {
    id = state.interner.size;
    state.interner.set(key, id);
    state.faqFrequency.push(0);
    state.columns.push(learnedColumn(id));
    state.charFeature.push(key.startsWith('c:') ? 1 : 0);
    state.blocks.push(blockOf(key));
    ensureFeatures(state.postings, id + 1);
  }
  return id;
}

export function ensureRows(state: IndexState, slots: number): void {
  const needed = slots * LEARNED_WIDTH;
  if (needed > state.learned.length) {
    const grown = new Float32Array(Math.max(needed, state.learned.length * 2));
    grown.set(state.learned);
    state.learned = grown;
  }
}

export const frequencyIn = (state: IndexState, view: View | undefined, id: number) =>
  state.faqFrequency[id]! + (view?.frequencyDelta.get(id) ?? 0);

export const entryAt = (state: IndexState, slot: number, view?: View) =>
  view !== undefined && slot === view.slot ? (view.entry ?? undefined) : state.bySlot[slot];

/** A feature's weight in a sparse vector (0 when absent). */
export function weightIn(vector: SparseVector, id: number): number {
  const at = vector.ids.indexOf(id);
  return at < 0 ? 0 : vector.vals[at]!;
}
