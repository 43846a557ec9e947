import { charGrams, type TextFeatures } from './features';
import type { FaqIndex, IndexedFaq } from './faq-index';
import { isPatternWord } from './function-words';
import { stem } from './stemmer';

/**
 * What the FAQ matcher says about a match besides its score: the message's content words and how much
 * of them an FAQ covers, the phrasing nearest to it, and the words that carried it, for the owner.
 */

export interface MatchExplanation {
  /** The FAQ's phrasing (or question) closest to the message. */
  matchedPhrasing: string;
  /** The message's words that carried the match, strongest first (after normalisation). */
  words: string[];
  /** How the message was read: Pidgin / chat rewrites and typo look-alikes, for the owner. */
  notes: string[];
}
/** A word's share of the strongest word's contribution below which it is not named as a reason. */
const WORD_SHARE = 0.15;
const MAX_WORDS = 5;
/** Uncovered words named in an explanation: at least this share of the rarest one's weight. */
const UNCOVERED_SHARE = 0.6;
const MAX_UNCOVERED = 3;

/** A meaning-carrying word of the message, with how rare it is among the FAQs (IDF over FAQs). */
export interface ContentWord {
  word: string;
  stem: string;
  /** The synonym table's meaning word for it, if any. */
  meaning: string | undefined;
  weight: number;
  /** Whether any FAQ has the word or its meaning word. */
  known: boolean;
}

/** Each indexed FAQ's word stems, for coverage; an upsert makes a new entry, so nothing goes stale. */
const stemsOf = new WeakMap<IndexedFaq, Set<string>>();

function faqStems(entry: IndexedFaq): Set<string> {
  let stems = stemsOf.get(entry);
  if (stems === undefined) {
    stems = new Set(entry.stems);
    stemsOf.set(entry, stems);
  }
  return stems;
}

/** A word's IDF over the FAQs; a word no FAQ has (or every FAQ has dropped) gets the rarest weight. */
function wordWeight(index: FaqIndex, s: string): { weight: number; known: boolean } {
  const id = index.lookup.id(`w:${s}`);
  const weight = id < 0 ? index.lookup.unseenIdf() : index.lookup.idf(id);
  return { weight, known: weight < index.lookup.unseenIdf() };
}

/** The words that say what is wanted: not grammar, fillers or request verbs; question words count. */
export function contentWords(index: FaqIndex, features: TextFeatures): ContentWord[] {
  const out: ContentWord[] = [];
  const seen = new Set<string>();
  for (const word of features.tokens) {
    const s = stem(word);
    if (isPatternWord(word) || seen.has(s)) continue;
    seen.add(s);
    const meaning = features.meaningOf.get(s);
    const own = wordWeight(index, s);
    // A synonym of a word the FAQs use is known through its meaning word ("store" -> "location").
    const known = own.known || (meaning !== undefined && wordWeight(index, meaning).known);
    out.push({ word, stem: s, meaning, weight: own.weight, known });
  }
  return out;
}

/** The weight share of the rarest message word no FAQ has: 0 when every word is known somewhere. */
export function unknownShare(content: readonly ContentWord[]): number {
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
export function coverage(
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

export function nearestPhrasing(
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

export function explain(
  index: FaqIndex,
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
    const lookAlike = closestWord(word, entry.tokens);
    if (lookAlike !== undefined) notes.push(`"${word}" looks like "${lookAlike}"`);
  }
  return { matchedPhrasing: entry.texts[phrasingIndex]!, words, notes };
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
