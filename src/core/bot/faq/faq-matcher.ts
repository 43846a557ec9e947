import type { Faq } from '../../../shared/dto';
import { DEFAULT_WORKSPACE_SETTINGS } from '../../../shared/settings';
import type { Logger } from '../../log/logger';
import { confidence, type ConfidenceInputs } from './calibration';
import { createFeatureReader, type Corrector, type FeatureReader } from './features';
import { createFaqIndex, type FaqIndex, type FaqIndexOptions, type FaqIndexStats } from './faq-index';
import { isFunctionWord, isPatternWord } from './function-words';
import {
  contentWords,
  coverage,
  explain,
  nearestPhrasing,
  unknownShare,
  type MatchExplanation,
} from './match-reasons';
import { runInSlices, type Steps } from './slices';
import { createSpellingVocabulary, type SpellingVocabulary } from './spelling';
import { stem } from './stemmer';
import { toMap } from './sparse-vector';
import { localTrainer, type Trainer } from './training';

export type { MatchExplanation } from './match-reasons';

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
/** How many FAQs compete when confidences are computed (the lead is over the best of them). */
const RANKED = 4;

interface MatcherParts {
  index: FaqIndex;
  reader: FeatureReader;
  correct: Corrector;
  logger: Logger | undefined;
}

/** The best FAQs for a message with their calibrated confidence, signals and reasons, best first. */
function rankMessage(parts: MatcherParts, text: string, limit: number): FaqMatch[] {
  const { index, reader, correct, logger } = parts;
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
  const content = contentWords(index, features);
  const unknown = unknownShare(content);
  const shop = {
    faqs: Math.log(index.size),
    phrasings: Math.log(Math.max(1, index.stats().phrasings / index.size)),
  };
  return top.slice(0, limit).map(({ entry, score }, i) => {
    const best = Math.max(...top.filter((_, j) => j !== i).map((t) => t.score), 0);
    const nearest = nearestPhrasing(entry, queryWeights);
    const explanation = explain(index, entry, features, queryWeights, nearest.index);
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

/**
 * A message word no FAQ has, read as the FAQ word it means ("kilishi" -> "suya" in a shop that said
 * so; "pampers" -> "diaper") or as the FAQ word it is a typo of ("pregancy" -> "pregnancy"). Replaced
 * rather than added to: a word no FAQ has only dilutes the match.
 */
function createCorrector(index: FaqIndex, reader: FeatureReader, vocabulary: SpellingVocabulary): Corrector {
  const known = (word: string) =>
    index.lookup.idf(index.lookup.id(`w:${stem(word)}`)) < index.lookup.unseenIdf();
  return (token) => {
    if (isFunctionWord(token) || index.used(index.lookup.id(`w:${stem(token)}`))) return undefined;
    const meaning = reader.meaningOf(token);
    if (meaning !== undefined && known(meaning.means))
      return { to: meaning.means, why: `same meaning: ${meaning.why}` };
    const spelt = vocabulary.correct(token);
    return spelt === undefined ? undefined : { to: spelt, why: 'spelling: close to a word of the FAQs' };
  };
}

/** An FAQ's texts for the index: its question counts as one more phrasing; null when disabled. */
const textsOf = (faq: FaqInput): string[] | null =>
  faq.enabled
    ? [...new Set([faq.question, ...faq.phrasings].map((t) => t.trim()).filter((t) => t !== ''))]
    : null;

/**
 * One workspace's FAQ matcher. Keep one per workspace in memory and feed it every FAQ change: upserts
 * are incremental (see faq-index.ts). Nothing here touches the network or the disk.
 */
export function createFaqMatcher(options: FaqMatcherOptions = {}) {
  let threshold = options.threshold ?? DEFAULT_WORKSPACE_SETTINGS.faq.threshold;
  const reader = createFeatureReader(options.synonyms);
  const index = createFaqIndex({ ...options.index, read: (text) => reader.read(text) });
  const logger = options.logger;
  /** The FAQs' words, which a misspelt word of a message is corrected toward. */
  const vocabulary = createSpellingVocabulary();

  const correct = createCorrector(index, reader, vocabulary);

  function forget(id: string): void {
    const entry = index.get(id);
    if (entry === undefined) return;
    vocabulary.remove(entry.tokens);
  }

  function learn(id: string): void {
    const entry = index.get(id);
    if (entry === undefined) return;
    vocabulary.add(entry.tokens);
  }

  const rank = (text: string, limit: number) => rankMessage({ index, reader, correct, logger }, text, limit);

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
