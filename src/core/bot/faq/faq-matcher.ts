import type { Faq } from '../../../shared/dto';
import { DEFAULT_WORKSPACE_SETTINGS } from '../../../shared/settings';
import type { Logger } from '../../log/logger';
import { confidence, type ConfidenceInputs } from './calibration';
import { charGrams, createFeatureReader, type Corrector, type TextFeatures } from './features';
import { createFaqIndex, type FaqIndexOptions, type FaqIndexStats, type IndexedFaq } from './faq-index';
import { isFunctionWord, isPatternWord } from './function-words';
import { runInSlices, type Steps } from './slices';
import { createSpellingVocabulary } from './spelling';
import { stem } from './stemmer';
import { toMap } from './sparse-vector';
import { localTrainer, type Trainer } from './training';

export interface MatchExplanation {
  /** The FAQ's phrasing (or question) closest to the message. */
  matchedPhrasing: string;
  /** The message's words that carried the match, strongest first (after normalisation). */
  words: string[];
  /** How the message was read: Pidgin / chat rewrites and typo look-alikes, for the owner. */
  notes: string[];
}

export interface FaqMatch {
  faqId: string;
  /** Calibrated: the probability that this FAQ answers the message (see calibration.ts). */
  confidence: number;
  /** The raw signals the confidence was computed from: what a logged decision can be explained by. */
  signals: ConfidenceInputs;
  explanation: MatchExplanation;
}

export interface TriedMatch extends FaqMatch {
  /** Whether the bot would send this answer at the workspace's threshold. */
  wouldAnswer: boolean;
}

export interface MatchOptions {
  limit?: number;
  /** Abstain below this confidence; defaults to the matcher's threshold. */
  threshold?: number;
}

export interface FaqMatcherOptions {
  /** The workspace's `faq.threshold`. */
  threshold?: number;
  logger?: Logger;
  index?: Omit<FaqIndexOptions, 'read'>;
  /** The workspace's own synonym groups (`faq.synonyms`), read after the built-in table. */
  synonyms?: readonly (readonly string[])[];
}

export type FaqInput = Pick<Faq, 'id' | 'question' | 'phrasings' | 'enabled'>;

export type FaqMatcher = ReturnType<typeof createFaqMatcher>;

/**
 * The most a match carried only by pattern words ("do you sell") can claim when the message names
 * something no FAQ has ("wigs") or nothing at all ("hello"): below any sensible threshold.
 */
const GRAMMAR_ONLY_CAP = 0.1;
/** A word's share of the strongest word's contribution below which it is not named as a reason. */
const WORD_SHARE = 0.15;
const MAX_WORDS = 5;
/** How many FAQs compete when confidences are computed (the lead is over the best of them). */
const RANKED = 4;
/** Uncovered words named in an explanation: at least this share of the rarest one's weight. */
const UNCOVERED_SHARE = 0.6;
const MAX_UNCOVERED = 3;

/** A meaning-carrying word of the message, with how rare it is among the FAQs (IDF over FAQs). */
interface ContentWord {
  word: string;
  stem: string;
  /** The synonym table's meaning word for it, if any. */
  meaning: string | undefined;
  weight: number;
  /** Whether any FAQ has the word or its meaning word. */
  known: boolean;
}

/**
 * One workspace's FAQ matcher. Keep one per workspace in memory and feed it every FAQ change: upserts
 * are incremental (see faq-index.ts). Nothing here touches the network or the disk.
 */
export function createFaqMatcher(options: FaqMatcherOptions = {}) {
  let threshold = options.threshold ?? DEFAULT_WORKSPACE_SETTINGS.faq.threshold;
  const reader = createFeatureReader(options.synonyms);
  const index = createFaqIndex({ ...options.index, read: (text) => reader.read(text) });
  const logger = options.logger;
  /** Each indexed FAQ's word stems, for coverage; an upsert makes a new entry, so nothing goes stale. */
  const stemsOf = new WeakMap<IndexedFaq, Set<string>>();
  /** The FAQs' words, which a misspelt word of a message is corrected toward. */
  const vocabulary = createSpellingVocabulary();

  /**
   * A message word no FAQ has, read as the FAQ word it means ("kilishi" -> "suya" in a shop that said
   * so; "pampers" -> "diaper") or as the FAQ word it is a typo of ("pregancy" -> "pregnancy"). Replaced
   * rather than added to: a word no FAQ has only dilutes the match.
   */
  const known = (word: string) =>
    index.lookup.idf(index.lookup.id(`w:${stem(word)}`)) < index.lookup.unseenIdf();
  const correct: Corrector = (token) => {
    if (isFunctionWord(token) || index.used(index.lookup.id(`w:${stem(token)}`))) return undefined;
    const meaning = reader.meaningOf(token);
    if (meaning !== undefined && known(meaning.means))
      return { to: meaning.means, why: `same meaning: ${meaning.why}` };
    const spelt = vocabulary.correct(token);
    return spelt === undefined ? undefined : { to: spelt, why: 'spelling: close to a word of the FAQs' };
  };

  function forget(id: string): void {
    const entry = index.get(id);
    if (entry === undefined) return;
    vocabulary.remove(entry.features.flatMap((f) => f.tokens));
  }

  function learn(id: string): void {
    const entry = index.get(id);
    if (entry === undefined) return;
    vocabulary.add(entry.features.flatMap((f) => f.tokens));
  }

  /** An FAQ's texts for the index: its question counts as one more phrasing; null when disabled. */
  const textsOf = (faq: FaqInput): string[] | null =>
    faq.enabled
      ? [...new Set([faq.question, ...faq.phrasings].map((t) => t.trim()).filter((t) => t !== ''))]
      : null;

  function rank(text: string, limit: number): FaqMatch[] {
    if (index.size === 0) return [];
    const features = reader.read(text, correct);
    if (features.counts.size === 0) return [];
    const vector = index.vectorise(features);
    const wasBuilt = index.built;
    const top = index.top(vector, Math.max(limit, RANKED));
    if (!wasBuilt) {
      const stats = index.stats();
      logger?.perf('faq.index_built', stats.lastFullBuildMs, {
        faqs: stats.faqs,
        phrasings: stats.phrasings,
      });
    }
    const queryWeights = toMap(vector);
    const content = contentWords(features);
    const unknown = unknownShare(content);
    const shop = {
      faqs: Math.log(index.size),
      phrasings: Math.log(Math.max(1, index.stats().phrasings / index.size)),
    };
    return top.slice(0, limit).map(({ entry, score }, i) => {
      const best = Math.max(...top.filter((_, j) => j !== i).map((t) => t.score), 0);
      const nearest = nearestPhrasing(entry, queryWeights);
      const explanation = explain(entry, features, queryWeights, nearest.index);
      const covered = coverage(entry, content);
      const signals: ConfidenceInputs = {
        score,
        margin: score - best,
        nearest: nearest.similarity,
        coverage: covered.share,
        unknown,
        ...shop,
      };
      const calibrated = confidence(signals);
      if (covered.uncovered.length > 0) {
        const quoted = covered.uncovered.map((w) => `"${w}"`).join(', ');
        explanation.notes.push(`not in this FAQ's phrasings: ${quoted}`);
      }
      // Carried only by words like "do you sell": not a match when the message names something no FAQ
      // knows ("wigs") or nothing at all ("hello"), however rare those words are in this shop.
      const grammarOnly = explanation.words.every(isPatternWord) && (unknown > 0 || content.length === 0);
      if (grammarOnly) explanation.notes.push('matched on common words only');
      return {
        faqId: entry.id,
        confidence: grammarOnly ? Math.min(calibrated, GRAMMAR_ONLY_CAP) : calibrated,
        signals,
        explanation,
      };
    });
  }

  function faqStems(entry: IndexedFaq): Set<string> {
    let stems = stemsOf.get(entry);
    if (stems === undefined) {
      stems = new Set(entry.features.flatMap((f) => [...f.stems, ...f.meanings]));
      stemsOf.set(entry, stems);
    }
    return stems;
  }

  /** A word's IDF over the FAQs; a word no FAQ has (or every FAQ has dropped) gets the rarest weight. */
  function wordWeight(s: string): { weight: number; known: boolean } {
    const id = index.lookup.id(`w:${s}`);
    const weight = id < 0 ? index.lookup.unseenIdf() : index.lookup.idf(id);
    return { weight, known: weight < index.lookup.unseenIdf() };
  }

  /** The words that say what is wanted: not grammar, fillers or request verbs; question words count. */
  function contentWords(features: TextFeatures): ContentWord[] {
    const out: ContentWord[] = [];
    const seen = new Set<string>();
    for (const word of features.tokens) {
      const s = stem(word);
      if (isPatternWord(word) || seen.has(s)) continue;
      seen.add(s);
      const meaning = features.meaningOf.get(s);
      const own = wordWeight(s);
      // A synonym of a word the FAQs use is known through its meaning word ("store" -> "location").
      const known = own.known || (meaning !== undefined && wordWeight(meaning).known);
      out.push({ word, stem: s, meaning, weight: own.weight, known });
    }
    return out;
  }

  /** The weight share of the rarest message word no FAQ has: 0 when every word is known somewhere. */
  function unknownShare(content: readonly ContentWord[]): number {
    const total = content.reduce((sum, c) => sum + c.weight, 0);
    const rarest = Math.max(0, ...content.filter((c) => !c.known).map((c) => c.weight));
    return total === 0 ? 0 : rarest / total;
  }

  /**
   * How much of the message's meaning the FAQ's phrasings use: the IDF-weighted share of its content
   * words found among them. A message that shares the FAQ's topic words but adds a rare one the FAQ
   * never mentions ("my refund is not showing" against "how do I get a refund") is often a different
   * question; the calibration weighs that in. The rarest words missing are named for the owner, who can
   * add a phrasing with them or a new FAQ.
   */
  function coverage(
    entry: IndexedFaq,
    content: readonly ContentWord[],
  ): { share: number; uncovered: string[] } {
    const stems = faqStems(entry);
    let total = 0;
    let found = 0;
    const missing: ContentWord[] = [];
    for (const c of content) {
      total += c.weight;
      if (stems.has(c.stem) || (c.meaning !== undefined && stems.has(c.meaning))) found += c.weight;
      else missing.push(c);
    }
    missing.sort((a, b) => b.weight - a.weight);
    const rarest = missing[0]?.weight ?? 0;
    const uncovered = missing
      .filter((c) => c.weight >= rarest * UNCOVERED_SHARE)
      .slice(0, MAX_UNCOVERED)
      .map((c) => c.word);
    // Only function words ("how do I"): nothing to miss; the grammar-only cap handles such messages.
    return { share: total === 0 ? 1 : found / total, uncovered };
  }

  function nearestPhrasing(
    entry: IndexedFaq,
    query: Map<number, number>,
  ): { index: number; similarity: number } {
    let bestIndex = 0;
    let best = -Infinity;
    entry.vectors.forEach((phrasing, i) => {
      let sum = 0;
      for (let k = 0; k < phrasing.ids.length; k++)
        sum += phrasing.vals[k]! * (query.get(phrasing.ids[k]!) ?? 0);
      if (sum > best) {
        best = sum;
        bestIndex = i;
      }
    });
    return { index: bestIndex, similarity: Math.max(0, best) };
  }

  function explain(
    entry: IndexedFaq,
    features: TextFeatures,
    queryWeights: Map<number, number>,
    phrasingIndex: number,
  ): MatchExplanation {
    const contribution = (key: string): number => {
      const id = index.lookup.id(key);
      return id < 0 ? 0 : (queryWeights.get(id) ?? 0) * index.weight(entry, id);
    };
    const byWord = new Map<string, number>();
    for (const token of new Set(features.tokens)) {
      const meaning = features.meaningOf.get(stem(token));
      let sum = contribution(`w:${stem(token)}`) + (meaning === undefined ? 0 : contribution(`w:${meaning}`));
      for (const gram of new Set(charGrams(token))) sum += contribution(`c:${gram}`);
      byWord.set(token, sum);
    }
    const ranked = [...byWord].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
    const top = ranked[0]?.[1] ?? 0;
    const words = ranked
      .filter(([, v]) => v >= top * WORD_SHARE)
      .slice(0, MAX_WORDS)
      .map(([w]) => w);

    const notes = features.rewrites.map((r) =>
      r.to === '' ? `"${r.from}" ignored (${r.why})` : `"${r.from}" read as "${r.to}" (${r.why})`,
    );
    const phrasingStems = faqStems(entry);
    for (const word of words) {
      if (phrasingStems.has(stem(word))) continue;
      const lookAlike = closestWord(
        word,
        entry.features.flatMap((f) => f.tokens),
      );
      if (lookAlike !== undefined) notes.push(`"${word}" looks like "${lookAlike}"`);
    }
    return { matchedPhrasing: entry.texts[phrasingIndex]!, words, notes };
  }

  return {
    /** Adds or replaces an FAQ. Its question counts as one more phrasing; a disabled FAQ is removed. */
    upsert(faq: FaqInput): void {
      forget(faq.id);
      const texts = textsOf(faq);
      if (texts === null) index.remove(faq.id);
      else index.upsert(faq.id, texts);
      learn(faq.id);
    },

    /**
     * The same change as `upsert` (or `remove`, with null) for a matcher in use: prepared in slices of
     * the event loop while messages are matched against the FAQs as they were, trained through
     * `trainer`, then applied whole; `around` runs that step, with what else must change with it.
     * One at a time.
     */
    async edit(
      id: string,
      faq: FaqInput | null,
      trainer: Trainer = localTrainer,
      around: (apply: () => void) => void = (apply) => apply(),
    ): Promise<void> {
      await index.edit(id, faq === null ? null : textsOf(faq), trainer, (apply) =>
        around(() => {
          forget(id);
          apply();
          learn(id);
        }),
      );
    },

    /** Many edits since the last full build: a matcher built afresh would match a little better. */
    get drifted() {
      return index.drifted;
    },

    remove(faqId: string): boolean {
      forget(faqId);
      return index.remove(faqId);
    },

    /** The FAQs that answer the message, best first; empty when the matcher abstains. */
    match(text: string, matchOptions: MatchOptions = {}): FaqMatch[] {
      const limit = matchOptions.limit ?? 1;
      const floor = matchOptions.threshold ?? threshold;
      return rank(text, limit).filter((m) => m.confidence >= floor);
    },

    /** The FAQ editor's "try a message": the top three whatever their confidence, with reasons. */
    tryMessage(text: string): TriedMatch[] {
      return rank(text, 3).map((m) => ({ ...m, wouldAnswer: m.confidence >= threshold }));
    },

    setThreshold(value: number): void {
      threshold = value;
    },
    get threshold() {
      return threshold;
    },
    get size() {
      return index.size;
    },
    /** Trains now rather than on the first message (after loading a workspace's FAQs). */
    warmUp(): void {
      index.ensureBuilt();
    },
    /** Trains now in slices of the event loop, the epochs through `trainer`, before the matcher is used. */
    async warmUpInSlices(trainer: Trainer = localTrainer): Promise<void> {
      await index.buildInSlices(trainer);
    },
    stats(): FaqIndexStats {
      return index.stats();
    },
  };
}

/**
 * A matcher for some FAQs, indexed and trained without holding the event loop (the epochs through
 * `trainer`, a worker thread for a big shop): what a bot is built or rebuilt with while another keeps
 * answering.
 */
export async function buildFaqMatcher(
  faqs: Iterable<FaqInput>,
  options: FaqMatcherOptions,
  trainer: Trainer = localTrainer,
): Promise<FaqMatcher> {
  const matcher = createFaqMatcher(options);
  function* load(): Steps<void> {
    for (const faq of faqs) {
      matcher.upsert(faq); // not trained yet: reads the phrasings, nothing more
      yield;
    }
  }
  await runInSlices(load());
  await matcher.warmUpInSlices(trainer);
  return matcher;
}

/** The phrasing word sharing the most letter pieces with a (misspelt) word, if it shares enough (Dice over 0.4). */
function closestWord(word: string, candidates: readonly string[]): string | undefined {
  const grams = new Set(charGrams(word));
  let best: string | undefined;
  let bestScore = 0.4;
  for (const candidate of new Set(candidates)) {
    if (candidate === word) return undefined;
    const other = new Set(charGrams(candidate));
    let shared = 0;
    for (const g of grams) if (other.has(g)) shared++;
    const dice = (2 * shared) / (grams.size + other.size);
    if (dice > bestScore) {
      bestScore = dice;
      best = candidate;
    }
  }
  return best;
}
