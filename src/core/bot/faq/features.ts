import { normaliseText, type Rewrite } from './normalise';
import { stem } from './stemmer';

/**
 * The sparse features of one text, in three blocks that are weighted and normalised separately:
 * - word: stems ("delivered" -> "deliver"): meaning, robust to inflection;
 * - pair: adjacent stems ("top up", "not work"): a little word order, which bag-of-words loses;
 * - char: 3- to 5-letter pieces of each word with its edges ("<deli", "ery>"): typo tolerance, so
 *   "delivry" and "dilivery" still share most pieces with "delivery".
 */
export type FeatureBlock = 'word' | 'pair' | 'char';
export const FEATURE_BLOCKS: readonly FeatureBlock[] = ['word', 'pair', 'char'];

export interface TextFeatures {
  tokens: string[];
  stems: string[];
  rewrites: Rewrite[];
  /** Feature key -> count. Keys carry their block as a prefix: "w:", "p:", "c:". */
  counts: Map<string, number>;
}

export const CHAR_MIN = 3;
export const CHAR_MAX = 5;

export function blockOf(key: string): FeatureBlock {
  switch (key.charCodeAt(0)) {
    case 119: // w
      return 'word';
    case 112: // p
      return 'pair';
    default:
      return 'char';
  }
}

export function charGrams(token: string, out: string[] = []): string[] {
  const padded = `<${token}>`;
  for (let n = CHAR_MIN; n <= CHAR_MAX; n++) {
    for (let i = 0; i + n <= padded.length; i++) out.push(padded.slice(i, i + n));
  }
  // A one-letter word has no 3-gram of its own ("<a>" is one): keep it whole.
  if (padded.length < CHAR_MIN) out.push(padded);
  return out;
}

export function extractFeatures(text: string): TextFeatures {
  const { tokens, rewrites } = normaliseText(text);
  return featuresOfTokens(tokens, rewrites);
}

export function featuresOfTokens(tokens: string[], rewrites: Rewrite[] = []): TextFeatures {
  const stems = tokens.map(stem);
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (let i = 0; i < stems.length; i++) {
    add(`w:${stems[i]}`);
    if (i + 1 < stems.length) add(`p:${stems[i]}_${stems[i + 1]}`);
  }
  const grams: string[] = [];
  for (const token of tokens) charGrams(token, grams);
  for (const gram of grams) add(`c:${gram}`);
  return { tokens, stems, rewrites, counts };
}
