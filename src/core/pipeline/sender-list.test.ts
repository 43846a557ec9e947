import { describe, expect, it } from 'vitest';
import { listOf } from './sender';

const ASK = 'Do you mean 1) Delivery to Lekki or 2) Delivery days? Reply 1 or 2';

describe('the list a clarifying question is sent as', () => {
  it('carries the numbered text as its body and one row per option', () => {
    expect(listOf({ text: ASK, choices: ['Delivery to Lekki?', 'Delivery days'] })).toEqual({
      body: ASK,
      button: 'Choose',
      rows: [
        { id: 'choice-1', title: '1) Delivery to Lekki' },
        { id: 'choice-2', title: '2) Delivery days' },
      ],
    });
  });

  it('is none for a plain reply, a single option, or a text longer than a list body may be', () => {
    expect(listOf({ text: 'We open at 8', choices: null })).toBeNull();
    expect(listOf({ text: ASK, choices: ['Delivery days'] })).toBeNull();
    // A greeting and notices composed before the question can make it too long: the numbered text goes.
    expect(listOf({ text: `${'Welcome! '.repeat(120)}${ASK}`, choices: ['A', 'B'] })).toBeNull();
  });
});
