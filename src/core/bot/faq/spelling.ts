/**
 * Spelling correction toward the shop's own words. A customer's "pregancy", "sreen" or "prescripton" is
 * read as the FAQ word it is one or two keystrokes from, so the word block (not only letter pieces)
 * matches and the word is not counted as something no FAQ knows.
 *
 * Only words of the FAQs are candidates: correcting toward a dictionary would turn a product the shop
 * does not sell into one it does. How far a word may be from its correction grows with its length,
 * since a short word is one letter from many others ("sell", "tell", "well"): none below five letters,
 * one edit up to seven, two from eight. An edit is an insertion, deletion, substitution or a swap of
 * neighbouring letters ("orignal").
 */

/** Edits allowed for a word of this length. */
export function allowedEdits(length: number): number {
  if (length < 5) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent swaps), or `max + 1` as soon as it must
 * exceed `max`: most candidates are rejected after a row or two.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/** The set of letters a word uses, as bits: an edit changes at most two of them (a swap none). */
function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) mask |= 1 << (word.charCodeAt(i) - 97);
  return mask;
}

function bitCount(n: number): number {
  let count = 0;
  for (let x = n; x !== 0; x &= x - 1) count++;
  return count;
}

/** The FAQ words, counted (a word in several phrasings is added once per phrasing and removed alike). */
export function createSpellingVocabulary() {
  const counts = new Map<string, number>();
  /** Candidates by length, each with its letter set: most are ruled out without an edit distance. */
  let byLength: Map<number, { word: string; mask: number }[]> | undefined;

  return {
    add(words: Iterable<string>): void {
      for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
      byLength = undefined;
    },
    remove(words: Iterable<string>): void {
      for (const w of words) {
        const n = (counts.get(w) ?? 0) - 1;
        if (n > 0) counts.set(w, n);
        else counts.delete(w);
      }
      byLength = undefined;
    },
    has: (word: string) => counts.has(word),

    /** The FAQ word this one is a misspelling of: fewest edits, then the most used; undefined if none. */
    correct(word: string): string | undefined {
      const max = allowedEdits(word.length);
      if (max === 0 || counts.has(word) || !/^[a-z]+$/.test(word)) return undefined;
      if (byLength === undefined) {
        byLength = new Map();
        for (const w of counts.keys()) {
          if (!/^[a-z]+$/.test(w) || allowedEdits(w.length) === 0) continue;
          const list = byLength.get(w.length) ?? [];
          list.push({ word: w, mask: letterMask(w) });
          byLength.set(w.length, list);
        }
      }
      const mask = letterMask(word);
      let best: string | undefined;
      let bestDistance = max + 1;
      let bestCount = 0;
      for (let length = word.length - max; length <= word.length + max; length++) {
        for (const { word: candidate, mask: letters } of byLength.get(length) ?? []) {
          if (bitCount(mask ^ letters) > 2 * max) continue;
          const d = editDistance(word, candidate, Math.min(max, bestDistance));
          const count = counts.get(candidate)!;
          if (d < bestDistance || (d === bestDistance && d <= max && count > bestCount)) {
            best = candidate;
            bestDistance = d;
            bestCount = count;
          }
        }
      }
      return bestDistance <= max ? best : undefined;
    },
  };
}

export type SpellingVocabulary = ReturnType<typeof createSpellingVocabulary>;
