import { describe, expect, it } from 'vitest';
import { SMALL_TALK_TABLE, readSmallTalk } from './small-talk';

describe('readSmallTalk', () => {
  it.each([
    ['hi', 'greeting'],
    ['Hellooo', 'greeting'],
    ['hello??', 'greeting'],
    ['Good morning sir', 'greeting'],
    ['how far', 'greeting'],
    ['Ekaaro ma', 'greeting'],
    ['Ẹ kú àárọ̀ o', 'greeting'],
    ['e ku aaro', 'greeting'],
    ['salam alaikum', 'greeting'],
    ['thanks!!', 'thanks'],
    ['thankss', 'thanks'],
    ['Ok ma', 'thanks'],
    ['okay noted', 'thanks'],
    ['👍', 'thanks'],
    ['🙏🏾🙏🏾', 'thanks'],
    ['God bless you', 'thanks'],
    ['e se', 'thanks'],
    ['bye o', 'goodbye'],
    ['good night', 'goodbye'],
    ['are you there?', 'presence'],
    ['??', 'presence'],
    ['hello, are you there?', 'presence'],
    ['you dey?', 'presence'],
  ])('"%s" is small talk only (%s)', (text, kind) => {
    expect(readSmallTalk(text)).toEqual({ only: true, kind, rest: '' });
  });

  it.each([
    ['Good afternoon, do you have Panadol in stock?', 'do you have Panadol in stock?'],
    ['hi, I am looking for shoes', 'I am looking for shoes'],
    ['Ekaaro ma, se e ni Panadol?', 'se e ni Panadol?'],
    ['Hello sir!! How much is delivery to Ajah', 'How much is delivery to Ajah'],
  ])('a greeting in front of a question leaves the question: "%s"', (text, rest) => {
    expect(readSmallTalk(text)).toEqual({ only: false, kind: 'greeting', rest });
  });

  it.each([
    'What time do you open?',
    'ok thanks, and the price?',
    'yes I want it',
    'Do you deliver to Yaba?',
    'How much is the good one?',
    '',
  ])('"%s" is not small talk and keeps all its words', (text) => {
    expect(readSmallTalk(text)).toEqual({ only: false, kind: null, rest: text });
  });

  it('every table entry reads as small talk of its own kind', () => {
    for (const entry of SMALL_TALK_TABLE) {
      const read = readSmallTalk(entry.text);
      expect(read.only, entry.text).toBe(true);
      // A phrase may hold a more telling one ("hello are you there" is presence): never a weaker kind.
      const rank = { thanks: 1, goodbye: 2, greeting: 3, presence: 4 };
      expect(rank[read.kind!], entry.text).toBeGreaterThanOrEqual(rank[entry.kind]);
    }
  });
});
