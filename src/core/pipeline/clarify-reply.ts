import { clarifyListRows } from '../bot/faq/clarify';
import { exactForm } from './exact-form';

/**
 * How a customer answers "Do you mean 1) ... or 2) ...?": a pick ("1", "the second one", "2nd",
 * "na the first one", the option's own words, a Cloud API list row "1) Delivery days"), a refusal
 * ("neither", "none of them", "no be am", "something else"), or anything else (a rephrased question,
 * decided as a question).
 */
export type ClarifyReply = { kind: 'pick'; index: number } | { kind: 'none' } | { kind: 'other' };

const PICKS: Readonly<Record<string, number>> = {
  '1': 0,
  first: 0,
  '1st': 0,
  fist: 0,
  frist: 0,
  '2': 1,
  two: 1,
  second: 1,
  '2nd': 1,
  secon: 1,
  seccond: 1,
  '3': 2,
  three: 2,
  third: 2,
  '3rd': 2,
};
/** "one" counts only when nothing else names the pick: "the second one" is the second. */
const ONE = new Set(['one', 'on']);
const LAST = new Set(['last', 'lastone']);

/** Words around a pick that say nothing more: English, Nigerian English, Pidgin. */
const FILLER = new Set(
  (
    'the d de di da na nah its it is i mean meant want wan choose chose pick take number num no nos option ' +
    'choice pls plz please abeg biko sir ma mah o oh oo ok okay yes yeah yea yep sure jare thanks thank you ' +
    'that this dat dis one ooo e be am mine for me my answer a an'
  ).split(' '),
);
/** Words of a refusal; at least one of CORE must be there. */
const REFUSAL = new Set(
  (
    'neither none non nothing nope nah no not nor else something another other thing wrong of them dem ' +
    'those these dose any be am e dey there inside na of all both question my is it its i want wan ask ' +
    'dat that ones o'
  ).split(' '),
);
const REFUSAL_CORE = new Set([
  'neither',
  'none',
  'non',
  'nothing',
  'nope',
  'no',
  'not',
  'nor',
  'else',
  'another',
  'wrong',
]);

export function readClarifyReply(text: string, offered: readonly string[]): ClarifyReply {
  // A keycap emoji ("2️⃣") is the digit, a variation selector and a combining keycap.
  // A row picked from the Cloud API list arrives as its title, which may be cut short.
  const row = clarifyListRows(offered).findIndex((r) => r.title === text.trim());
  if (row >= 0) return { kind: 'pick', index: row };
  const normal = exactForm(text.replace(/[\uFE0F\u20E3]/g, ''));
  if (normal === '') return { kind: 'other' };
  const words = normal.split(' ');

  // The option's own words (typed back, or a Cloud API list row titled "1) Delivery days").
  for (const [i, question] of offered.entries()) {
    const q = exactForm(question);
    if (q !== '' && (normal === q || normal === `${i + 1} ${q}`)) return { kind: 'pick', index: i };
  }

  const picks = new Set<number>();
  let ones = 0;
  let rest = 0;
  for (const word of words) {
    const pick = PICKS[word];
    if (pick !== undefined) picks.add(pick);
    else if (LAST.has(word)) picks.add(offered.length - 1);
    else if (ONE.has(word)) ones++;
    else if (!FILLER.has(word)) rest++;
  }
  if (picks.size === 0 && ones > 0 && rest === 0) picks.add(0);
  if (picks.size === 1 && rest === 0) {
    const index = [...picks][0]!;
    return index < offered.length ? { kind: 'pick', index } : { kind: 'none' };
  }
  if (picks.size === 0 && words.every((w) => REFUSAL.has(w)) && words.some((w) => REFUSAL_CORE.has(w))) {
    return { kind: 'none' };
  }
  return { kind: 'other' };
}
