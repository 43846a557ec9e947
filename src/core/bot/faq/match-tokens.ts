import {
  CONTRACTIONS,
  PHRASE_RULES,
  SYMBOL_WORDS,
  WORD_RULES,
  type NormalisationRule,
} from './normalisation-table';

/** A rule that changed the customer's words, kept so a match can say what it understood. */
export interface Rewrite {
  from: string;
  to: string;
  why: string;
}

export interface NormalisedText {
  /** Lowercase ASCII-folded tokens, after the Pidgin / chat table: what the features are built from. */
  tokens: string[];
  rewrites: Rewrite[];
}

interface CompiledRules {
  /** Phrase rules by first token, longest first. */
  phrases: Map<string, { from: string[]; to: string[]; rule: NormalisationRule }[]>;
  words: Map<string, { to: string[]; rule: NormalisationRule }>;
}

let compiled: CompiledRules | undefined;

function rules(): CompiledRules {
  if (compiled !== undefined) return compiled;
  const phrases: CompiledRules['phrases'] = new Map();
  for (const rule of PHRASE_RULES) {
    const from = rule.from.split(' ');
    const list = phrases.get(from[0]!) ?? [];
    list.push({ from, to: splitWords(rule.to), rule });
    phrases.set(from[0]!, list);
  }
  for (const list of phrases.values()) list.sort((a, b) => b.from.length - a.from.length);
  const words: CompiledRules['words'] = new Map();
  // The first rule for a word wins, so the table reads top-down like a dictionary.
  for (const rule of WORD_RULES) {
    if (!words.has(rule.from)) words.set(rule.from, { to: splitWords(rule.to), rule });
  }
  compiled = { phrases, words };
  return compiled;
}

function splitWords(text: string): string[] {
  return text.split(' ').filter((w) => w.length > 0);
}

const SYMBOLS = new RegExp(`[${Object.keys(SYMBOL_WORDS).join('').replace(/[$]/g, '\\$')}]`, 'g');

/**
 * Lowercase, Unicode-fold (NFKC, then accents off: "ọjà" -> "oja"), expand contractions, turn price
 * symbols into words, and drop emoji and punctuation. Returns a space-separated string of raw words.
 */
export function foldText(text: string): string {
  let s = text.normalize('NFKC').toLowerCase();
  s = s.replace(/[\u2018\u2019\u02bc`´]/g, "'").replace(/\be-mail/g, 'email');
  for (const [pattern, replacement] of CONTRACTIONS) s = s.replace(pattern, replacement);
  s = s.replace(SYMBOLS, (c) => SYMBOL_WORDS[c] ?? ' ');
  s = s.normalize('NFD').replace(/\p{M}+/gu, '');
  // Everything that is not a letter or a digit (emoji, punctuation, symbols) separates words.
  return s
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/**
 * Chat stretches words for emphasis: "pleaseee", "helloooo", "sooo". A run of three or more of one
 * letter at the end of a word becomes one letter ("pleaseee" -> "please"); inside a word it becomes two,
 * since English doubles letters but never triples them ("gooood" -> "good", "coool" -> "cool").
 */
export function squeezeRepeats(word: string): string {
  return word.replace(/(\p{L})\1{2,}/gu, (run: string, letter: string, offset: number) =>
    offset + run.length === word.length ? letter : letter + letter,
  );
}

/** "9am" -> "9 am", "2weeks" -> "2 weeks": digits and letters glued together are two words. */
function splitDigits(word: string): string[] {
  if (!/\d/.test(word) || !/\p{L}/u.test(word)) return [word];
  return word.split(/(?<=\d)(?=\p{L})|(?<=\p{L})(?=\d)/u);
}

/**
 * American "-ize" verbs as the British "-ise" ("customize" -> "customise"), for words of seven letters
 * or more so that "size" and "prize" stay as they are.
 */
function britishIse(word: string): { to: string[]; rule: NormalisationRule } | undefined {
  const match = /^([a-z]{4,})iz(e|es|ed|ing|ation|ations)$/.exec(word);
  if (match === null || word.length < 7) return undefined;
  const to = `${match[1]}is${match[2]}`;
  return { to: [to], rule: { from: word, to, why: 'British and American spelling' } };
}

export function normaliseText(text: string): NormalisedText {
  const { phrases, words } = rules();
  const raw = foldText(text)
    .split(' ')
    .filter((w) => w.length > 0)
    .map(squeezeRepeats);
  const tokens: string[] = [];
  const rewrites: Rewrite[] = [];
  let i = 0;
  while (i < raw.length) {
    const word = raw[i]!;
    const phrase = phrases.get(word)?.find((p) => p.from.every((w, k) => raw[i + k] === w));
    if (phrase !== undefined) {
      tokens.push(...phrase.to);
      rewrites.push({ from: phrase.rule.from, to: phrase.rule.to, why: phrase.rule.why });
      i += phrase.from.length;
      continue;
    }
    const rule = words.get(word) ?? britishIse(word);
    if (rule !== undefined) {
      tokens.push(...rule.to);
      rewrites.push({ from: rule.rule.from, to: rule.rule.to, why: rule.rule.why });
    } else {
      tokens.push(...splitDigits(word));
    }
    i++;
  }
  return { tokens, rewrites };
}

/** The normalised text as one string: the key unanswered questions are grouped and deduplicated by. */
export function normaliseToString(text: string): string {
  return normaliseText(text).tokens.join(' ');
}
