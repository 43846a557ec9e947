import { exactForm } from './exact-form';

/**
 * Orders and long messages belong with a person: an order list ("2 tins of Peak milk\n1 bag of rice\n
 * 3 Indomie") or a paragraph about a problem is not an FAQ question, and an FAQ answer to it (the
 * delivery fee, because the list says "deliver to Ajah") ignores what the customer actually wants.
 * Returns why the message goes to a person, or null.
 */
export function orderOrLongMessage(text: string, longChars: number): 'order' | 'long' | null {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  // A list: three lines or more, at least two of them with a quantity.
  if (lines.length >= 3 && lines.filter((l) => /\d/.test(l)).length >= 2) return 'order';
  if (ORDER_INTENT.test(` ${exactForm(text)} `)) return 'order';
  if (longChars > 0 && [...text.trim()].length > longChars) return 'long';
  return null;
}

/**
 * Saying "I want to buy / order" (English, Nigerian English, Pidgin), not asking how ordering works
 * ("how do I order?" stays an FAQ question).
 */
const ORDER_INTENT = new RegExp(
  [
    ' (i|we|i d|id|i ll|ill|i will) (want|wan|wanna|would like|like|wish|need|go) (to )?(order|buy|purchase|take|carry) ',
    ' i (want|wan) (make|place) (an |my )?order ',
    ' (place|make|put) (an|my|the) order ',
    ' add (it |them |this |that )?to my order ',
    ' i go (buy|take|carry) ',
    ' (send|bring|deliver) me \\d+ ',
  ].join('|'),
);
