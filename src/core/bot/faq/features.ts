import { normaliseText, type Rewrite } from './match-tokens';
import { stem } from './stemmer';
import {
  compileSynonyms,
  findSynonyms,
  ownerGroups,
  SYNONYM_GROUPS,
  type CompiledSynonyms,
} from './synonyms';

/**
 * The sparse features of one text, in three blocks that are weighted and normalised separately:
 * - word: stems ("delivered" -> "deliver"): meaning, robust to inflection;
 * - pair: adjacent stems ("top up", "not work"): a little word order, which bag-of-words loses;
 * - char: 3- to 5-letter pieces of each word with its edges ("<deli", "ery>"): typo tolerance, so
 *   "delivry" and "dilivery" still share most pieces with "delivery".
 * The word block also holds the meaning words of the synonym table (synonyms.ts): "store" adds
 * "location", so it meets "shop" and "address".
 */
export type FeatureBlock = 'word' | 'pair' | 'char';
export const FEATURE_BLOCKS: readonly FeatureBlock[] = ['word', 'pair', 'char'];

export interface TextFeatures {
  tokens: string[];
  stems: string[];
  rewrites: Rewrite[];
  /** Feature key -> count. Keys carry their block as a prefix: "w:", "p:", "c:". */
  counts: Map<string, number>;
  /** Stems of the meaning words the synonym tables added (not in `stems`, which follow the tokens). */
  meanings: string[];
  /** A token's stem -> the stem of the meaning word it added ("store" -> "location"). */
  meaningOf: Map<string, string>;
}

/** A correction for a normalised token (a spelling, a synonym), or undefined to keep it. */
export type Corrector = (token: string) => { to: string; why: string } | undefined;

/** Reads texts into features with the built-in synonym table and, after it, a workspace's own groups. */
export interface FeatureReader {
  /** `correct` (toward the FAQ words) runs after normalisation and before the synonyms. */
  read(text: string, correct?: Corrector): TextFeatures;
  /** The meaning word of a one-word synonym ("kilishi" -> "suya"), if the tables have one. */
  meaningOf(token: string): { means: string; why: string } | undefined;
  /** The features of tokens already normalised (after a spelling correction, say). */
  fromTokens(tokens: string[], rewrites?: Rewrite[]): TextFeatures;
}

let builtIn: CompiledSynonyms | undefined;
const builtInSynonyms = () => (builtIn ??= compileSynonyms(SYNONYM_GROUPS));

export function createFeatureReader(ownerSynonyms: readonly (readonly string[])[] = []): FeatureReader {
  const owner = ownerGroups(ownerSynonyms);
  const tables = owner.length === 0 ? [builtInSynonyms()] : [builtInSynonyms(), compileSynonyms(owner)];
  const fromTokens = (tokens: string[], rewrites: Rewrite[] = []) =>
    featuresOfTokens(tokens, rewrites, tables);
  return {
    read(text, correct) {
      const { tokens, rewrites } = normaliseText(text);
      if (correct === undefined) return fromTokens(tokens, rewrites);
      const read = tokens.map((token) => {
        const fixed = correct(token);
        if (fixed === undefined) return token;
        rewrites.push({ from: token, ...fixed });
        return fixed.to;
      });
      return fromTokens(read, rewrites);
    },
    meaningOf(token) {
      const s = stem(token);
      for (const table of tables) {
        const entry = table.byFirst.get(s)?.find((p) => p.stems.length === 1);
        if (entry !== undefined) return { means: entry.group.means, why: entry.group.why };
      }
      return undefined;
    },
    fromTokens,
  };
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

/** Features with the built-in synonym table only. */
export function extractFeatures(text: string): TextFeatures {
  const { tokens, rewrites } = normaliseText(text);
  return featuresOfTokens(tokens, rewrites);
}

export function featuresOfTokens(
  tokens: string[],
  rewrites: Rewrite[] = [],
  synonyms: readonly CompiledSynonyms[] = [builtInSynonyms()],
): TextFeatures {
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
  const meanings: string[] = [];
  const meaningOf = new Map<string, string>();
  const read = [...rewrites];
  for (const hit of findSynonyms(tokens, synonyms)) {
    const meaning = stem(hit.means);
    meanings.push(meaning);
    for (const word of hit.from.split(' ')) meaningOf.set(stem(word), meaning);
    add(`w:${meaning}`);
    read.push({ from: hit.from, to: hit.means, why: `same meaning: ${hit.why}` });
  }
  return { tokens, stems, rewrites: read, counts, meanings, meaningOf };
}
