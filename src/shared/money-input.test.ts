import { describe, expect, it } from 'vitest';
import { parseMoney } from './money-input';

describe('parseMoney', () => {
  it.each([
    ['500', 500, null],
    ['0,50', 0.5, null],
    ['0.5', 0.5, null],
    ['1,500', 1500, null],
    ['1,500.50', 1500.5, null],
    ['1.500,50', 1500.5, null],
    ['15 000', 15000, null],
    ['$2', 2, 'USD'],
    ['US$ 2.50', 2.5, 'USD'],
    ['2 dollars', 2, 'USD'],
    ['₦500', 500, 'NGN'],
    ['NGN 1,500', 1500, 'NGN'],
    ['500 naira', 500, 'NGN'],
    ['GH₵20', 20, 'GHS'],
  ] as const)('%s -> %s %s', (text, amount, currency) => {
    expect(parseMoney(text)).toEqual({ amount, currency });
  });

  it.each([
    ['abc', 'is not an amount'],
    ['', 'is empty'],
    ['-3', 'cannot be negative'],
    ['2..5', 'is not a number'],
    ['1,2,3', 'is not a number'],
    ['$2 naira', 'names two currencies'],
    ['5 apples', 'is not a currency we know'],
  ])('%s is refused: %s', (text, words) => {
    expect(parseMoney(text)).toContain(words);
  });
});
