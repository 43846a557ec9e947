import { z } from 'zod';

/**
 * An amount of money as an owner types it: "500", "0,50" (decimal comma), "1,500" or "1 500"
 * (thousands), "₦500", "$2", "NGN 1500", "2 dollars". The sign or code says the currency; without one
 * the amount is in the workspace's currency. Anything else is refused with words, never read as 0 or
 * as "no limit" (a typo in a budget must not remove the cap).
 */

export interface MoneyAmount {
  amount: number;
  /** ISO code named by the text, or null when it named none (the workspace's currency). */
  currency: string | null;
}

/** Signs and words people write before or after an amount, by ISO code. Longest first. */
const CURRENCY_WORDS: readonly (readonly [RegExp, string])[] = [
  [/^(us\$|usd|\$|dollars?)$/i, 'USD'],
  [/^(₦|ngn|naira|n)$/i, 'NGN'],
  [/^(gh₵|₵|ghs|cedis?)$/i, 'GHS'],
  [/^(ksh|kes|shillings?)$/i, 'KES'],
  [/^(€|eur|euros?)$/i, 'EUR'],
  [/^(£|gbp|pounds?)$/i, 'GBP'],
  [/^(r|zar|rand)$/i, 'ZAR'],
  [/^(₹|inr|rupees?)$/i, 'INR'],
];

/** A currency's sign for showing amounts; its code where none is common. */
export function currencySign(code: string): string {
  const signs: Record<string, string> = {
    USD: 'US$',
    NGN: '₦',
    GHS: 'GH₵',
    KES: 'KSh',
    EUR: '€',
    GBP: '£',
    ZAR: 'R',
    INR: '₹',
  };
  return signs[code] ?? `${code} `;
}

function currencyOf(word: string): string | null | undefined {
  if (word === '') return null;
  for (const [pattern, code] of CURRENCY_WORDS) if (pattern.test(word)) return code;
  if (/^[A-Za-z]{3}$/.test(word)) return word.toUpperCase();
  return undefined;
}

/** The number in "1,500.50", "1.500,50", "0,50", "1 500"; null when it is not one. */
export function numberOf(text: string): number | null {
  let digits = text.replace(/[\s\u00a0\u202f']/g, '');
  if (!/^\d[\d.,]*$/.test(digits) && !/^[.,]\d+$/.test(digits)) return null;
  const lastComma = digits.lastIndexOf(',');
  const lastDot = digits.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    // Both: the later one is the decimal mark, the other groups thousands.
    const decimal = lastComma > lastDot ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    digits = digits.split(group).join('');
    if (digits.split(decimal).length > 2) return null;
    digits = digits.replace(decimal, '.');
  } else if (lastComma >= 0) {
    // "1,500" and "1,500,000" group thousands; "0,50" and "2,5" are a decimal comma.
    if (/^\d{1,3}(,\d{3})+$/.test(digits) && !/^0,/.test(digits)) digits = digits.split(',').join('');
    else if (digits.split(',').length === 2) digits = digits.replace(',', '.');
    else return null;
  } else if (digits.split('.').length > 2) {
    if (!/^\d{1,3}(\.\d{3})+$/.test(digits)) return null;
    digits = digits.split('.').join('');
  }
  const value = Number(digits);
  return Number.isFinite(value) ? value : null;
}

/** Reads an amount; a string with what went wrong when it is not one. */
export function parseMoney(text: string): MoneyAmount | string {
  const trimmed = text.trim();
  if (trimmed === '') return 'is empty: write an amount';
  const match = /^([^\d.,\s]*)\s*([\d.,\s\u00a0\u202f']*\d[\d.,]*)\s*([^\d.,\s]*)$/u.exec(trimmed);
  if (match === null) return `"${trimmed.slice(0, 20)}" is not an amount: write digits, e.g. 500 or 0,50`;
  const [, before = '', number = '', after = ''] = match;
  if (before.endsWith('-') || before.startsWith('-')) return 'cannot be negative';
  if (before !== '' && after !== '') return `"${trimmed.slice(0, 20)}" names two currencies`;
  const currency = currencyOf(before || after);
  if (currency === undefined) return `"${(before || after).slice(0, 10)}" is not a currency we know`;
  const amount = numberOf(number);
  if (amount === null) return `"${number.trim().slice(0, 20)}" is not a number: write e.g. 500 or 0,50`;
  return { amount, currency };
}

/** A budget in an input: an amount (text as typed, or a number in the workspace's currency), or no limit. */
export type BudgetInput = MoneyAmount | 'no-limit';

/**
 * The zod schema of a budget field. `null` is refused: JSON turns NaN (what `Number("abc")` gives) into
 * null, and reading null as "no limit" would let a typo remove the cap. No limit is said in words.
 */
export const budgetInput = (label: string) =>
  z
    .union([z.literal('no-limit'), z.number(), z.string()], {
      error: `${label}: write an amount, or choose "No limit"`,
    })
    .transform((value, ctx): BudgetInput => {
      if (value === 'no-limit') return value;
      if (typeof value === 'number') {
        if (Number.isFinite(value)) return { amount: value, currency: null };
        ctx.addIssue({ code: 'custom', message: `${label} must be a number` });
        return z.NEVER;
      }
      const parsed = parseMoney(value);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: `${label} ${parsed}` });
        return z.NEVER;
      }
      return parsed;
    })
    .refine((b) => b === 'no-limit' || b.amount >= 0, `${label} cannot be negative`);
