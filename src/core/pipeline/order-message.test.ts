import { describe, expect, it } from 'vitest';
import { orderOrLongMessage } from './order-message';

describe('orderOrLongMessage', () => {
  it.each([
    ['2 tins of Peak milk\n1 bag of rice\n3 packs Indomie', 'order'],
    ['Pls send:\n- 2 crates eggs\n- 5kg garri\nthanks', 'order'],
    ['I want to order 3 cartons of Indomie', 'order'],
    ['I wan buy this shoe', 'order'],
    ["I'd like to buy two", 'order'],
    ['please add it to my order', 'order'],
    ['x '.repeat(200), 'long'],
  ])('%j goes to a person (%s)', (text, why) => {
    expect(orderOrLongMessage(text, 300)).toBe(why);
  });

  it.each([
    'How do I order?',
    'Where is my order?',
    'What time do you open?\nAnd do you deliver?',
    'Do you deliver to Ajah?',
  ])('%j is a question for the bot', (text) => {
    expect(orderOrLongMessage(text, 300)).toBeNull();
  });

  it('a limit of 0 lets any length through', () => {
    expect(orderOrLongMessage('x '.repeat(2000), 0)).toBeNull();
  });
});
