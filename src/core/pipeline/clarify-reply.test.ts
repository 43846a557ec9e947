import { describe, expect, it } from 'vitest';
import { readClarifyReply } from './clarify-reply';

const TWO = ['Delivery to Lekki', 'Delivery days'];
const THREE = ['Delivery to Lekki', 'Delivery days', 'Delivery price'];

describe('readClarifyReply', () => {
  it.each([
    ['1', 0],
    ['2', 1],
    ['2.', 1],
    [' 2 ', 1],
    ['2️⃣', 1],
    ['No. 2', 1],
    ['number 2 pls', 1],
    ['option 1', 0],
    ['first', 0],
    ['the first one', 0],
    ['1st', 0],
    ['the second one', 1],
    ['The second one!!', 1],
    ['2nd one abeg', 1],
    ['second', 1],
    ['na the first one', 0],
    ['na di second one o', 1],
    ['d first one', 0],
    ['one', 0],
    ['i mean the second', 1],
    ['yes 2', 1],
    ['the last one', 1],
    ['Delivery days', 1],
    ['delivery days?', 1],
    ['2) Delivery days', 1],
  ])('"%s" picks option %i of two', (text, index) => {
    expect(readClarifyReply(text, TWO)).toEqual({ kind: 'pick', index });
  });

  it.each([
    ['3', 2],
    ['third one', 2],
    ['the last one', 2],
  ])('"%s" picks option %i of three', (text, index) => {
    expect(readClarifyReply(text, THREE)).toEqual({ kind: 'pick', index });
  });

  it.each([
    'neither',
    'None',
    'none of them',
    'non of dem',
    'no',
    'nope',
    'something else',
    'no be am',
    'not those',
    '3',
    'the third one',
  ])('"%s" refuses both options (a person takes over)', (text) => {
    expect(readClarifyReply(text, TWO)).toEqual({ kind: 'none' });
  });

  it.each(['how much is delivery to Ikeja?', '1 and 2', 'ok', 'yes', '', 'do you deliver on sunday'])(
    '"%s" is not a pick: decided as a question',
    (text) => {
      expect(readClarifyReply(text, TWO)).toEqual({ kind: 'other' });
    },
  );
});

describe('a Cloud API list row picked', () => {
  const LONG = ['Do you deliver to Lekki?', 'Which days do you deliver?'];
  it('is the pick, also when its title was cut to fit', () => {
    expect(readClarifyReply('1) Do you deliver to Le…', LONG)).toEqual({ kind: 'pick', index: 0 });
    expect(readClarifyReply('2) Which days do you de…', LONG)).toEqual({ kind: 'pick', index: 1 });
    expect(readClarifyReply('2) Delivery days', TWO)).toEqual({ kind: 'pick', index: 1 });
  });
});
