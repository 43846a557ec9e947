/**
 * A light English stemmer, in the spirit of Porter's step 1 (plurals, -ed, -ing) plus a few endings that
 * shop questions inflect: "deliver / delivers / delivered / delivering / delivery / deliveries" all
 * become "deliver". It does not need to produce words, only the same key for the forms of one word:
 * every step is guarded so a stem keeps at least three letters, and a final double consonant or "e" is
 * dropped from every word alike, so "cancelled" and "cancel", "charging" and "charge" meet.
 *
 * Written here rather than taken from a package: it is 60 lines, it leaves Pidgin and chat words alone
 * (they are short), and its behaviour is what the matcher's tests pin down.
 */

/** Irregular forms common in customer questions, and derived words worth joining to their verb. */
const IRREGULAR: Readonly<Record<string, string>> = {
  paid: 'pay',
  payment: 'pay',
  payments: 'pay',
  sent: 'send',
  bought: 'buy',
  got: 'get',
  gotten: 'get',
  took: 'take',
  taken: 'take',
  came: 'come',
  gave: 'give',
  given: 'give',
  made: 'make',
  told: 'tell',
  went: 'go',
  gone: 'go',
  lost: 'lose',
  stole: 'steal',
  stolen: 'steal',
  withdrew: 'withdraw',
  withdrawn: 'withdraw',
  withdrawal: 'withdraw',
  withdrawals: 'withdraw',
  children: 'child',
  used: 'use',
  uses: 'use',
  using: 'use',
  was: 'is',
  were: 'are',
  did: 'do',
  does: 'do',
  done: 'do',
  has: 'have',
  had: 'have',
  says: 'say',
  said: 'say',
  arrival: 'arrive',
  shipment: 'ship',
  replacement: 'replace',
  refunds: 'refund',
};

const VOWEL = /[aeiouy]/;

function isConsonant(c: string | undefined): boolean {
  return c !== undefined && /[a-z]/.test(c) && !/[aeiou]/.test(c);
}

export function stem(word: string): string {
  const irregular = IRREGULAR[word];
  if (irregular !== undefined) return irregular;
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  let w = word;

  // Plurals and third person.
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);

  // Past and progressive: "applied" -> "apply", "delivered" -> "deliver", "charging" -> "charg".
  if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else {
    for (const suffix of ['ing', 'ed']) {
      const base = w.slice(0, -suffix.length);
      if (w.endsWith(suffix) && base.length >= 3 && VOWEL.test(base)) {
        w = base;
        break;
      }
    }
  }
  if (w.endsWith('ly') && w.length >= 7) w = w.slice(0, -2);

  // One key for every form: a final "y" after a consonant ("delivery" / "deliver"), a final "e"
  // ("charge" / "charg"), and a final double consonant ("cancell" / "cancel").
  if (w.endsWith('y') && w.length >= 5 && isConsonant(w[w.length - 2])) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length >= 4) w = w.slice(0, -1);
  const last = w[w.length - 1];
  if (w.length >= 4 && last === w[w.length - 2] && isConsonant(last)) w = w.slice(0, -1);
  return w;
}
