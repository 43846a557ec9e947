/**
 * The exact form two texts are compared in (FAQ phrasings, hand-off keywords, small talk): "Una dey
 * open?!" and "una  dey OPEN" are equal. No rewriting of words: the FAQ matcher's own, fuzzier
 * normalisation (Pidgin and chat spellings, typos) is bot/faq/match-tokens.ts. Apostrophes vanish
 * ("don't" = "dont"); other punctuation and symbols (emoji, currency signs) become spaces; case and
 * width are folded (NFKC).
 */
const APOSTROPHES = /['\u2019\u2018`\u00b4]/g;
const PUNCTUATION_AND_SYMBOLS = /[\p{P}\p{S}]+/gu;
const WHITESPACE = /\s+/g;

export function exactForm(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(PUNCTUATION_AND_SYMBOLS, ' ')
    .replace(WHITESPACE, ' ')
    .trim();
}

/** The first keyword that appears in the text as whole words (both already normalised). */
export function findKeyword(normalizedText: string, normalizedKeywords: readonly string[]): string | null {
  if (normalizedText === '') return null;
  const padded = ` ${normalizedText} `;
  for (const keyword of normalizedKeywords) {
    if (keyword !== '' && padded.includes(` ${keyword} `)) return keyword;
  }
  return null;
}

/**
 * One word as the small-talk and person-request tables compare it: tone marks dropped ("ẹ kú àárọ̀" ~
 * "e ku aaro": customers type Yoruba with and without them) and doubled letters folded ("hellooo" ~
 * "hello", "okk" ~ "ok", "somebodyy" ~ "somebody").
 */
export function foldWord(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/(\p{L})\1+/gu, '$1');
}

/** A text as folded words (exactForm, then foldWord). */
export const foldedWords = (text: string): string[] =>
  exactForm(text).split(' ').filter(Boolean).map(foldWord);
