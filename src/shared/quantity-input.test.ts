import { describe, expect, it } from 'vitest';
import { parseDays, parseMegabytes } from './quantity-input';

describe('parseMegabytes', () => {
  it.each([
    ['64', 'MB', 64],
    ['1,000', 'MB', 1000],
    ['4', 'GB', 4096],
    ['1.5 GB', 'MB', 1536],
    ['1,5 gb', 'MB', 1536],
    ['500 MB', 'GB', 500],
    ['500MB', 'GB', 500],
    ['2 g', 'MB', 2048],
  ] as const)('%s (%s) -> %s MB', (text, unit, mb) => {
    expect(parseMegabytes(text, unit)).toBe(mb);
  });

  it.each([
    ['', 'is empty'],
    ['abc', 'is not a number'],
    ['unlimited', 'is not a number'],
    ['-5', 'cannot be negative'],
    ['6o', 'is not a size'],
    ['1,2,3', 'is not a number'],
    ['5 apples', 'is not a size'],
    ['0x10', 'is not a number'],
    ['1e9', 'is not a number'],
  ])('%s is refused: %s', (text, words) => {
    expect(parseMegabytes(text, 'MB')).toContain(words);
  });
});

describe('parseDays', () => {
  it.each([
    ['365', 365],
    ['30 days', 30],
    ['2 weeks', 14],
    ['1 year', 365],
    ['6 months', 180],
  ] as const)('%s -> %s days', (text, days) => {
    expect(parseDays(text)).toBe(days);
  });

  it.each([
    ['', 'is empty'],
    ['forever', 'is not a number'],
    ['1.5', 'must be whole days'],
    ['3 fortnights', 'is not a length of time'],
  ])('%s is refused: %s', (text, words) => {
    expect(parseDays(text)).toContain(words);
  });
});
