import { describe, expect, it } from 'vitest';
import { createFaqMatcher } from './faq-matcher';
import { normaliseToString } from './match-tokens';
import { allowedEdits, createSpellingVocabulary, editDistance } from './spelling';

describe('edit distance', () => {
  it.each([
    ['pregancy', 'pregnancy', 1],
    ['orignal', 'original', 1],
    ['sreen', 'screen', 1],
    ['dilivery', 'delivery', 1],
    ['recieve', 'receive', 1],
    ['kitten', 'sitting', 3],
    ['same', 'same', 0],
  ])('%s -> %s is %i', (a, b, d) => {
    expect(editDistance(a, b, 5)).toBe(d);
  });

  it('stops at the limit it was given', () => {
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });

  it('allows more edits for longer words, none for short ones', () => {
    expect([3, 4, 5, 7, 8, 12].map(allowedEdits)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe('spelling correction toward the FAQ words', () => {
  const vocabulary = createSpellingVocabulary();
  vocabulary.add(['pregnancy', 'test', 'screen', 'battery', 'original', 'delivery', 'warranty', 'sizes']);

  it.each([
    ['pregancy', 'pregnancy'],
    ['sreen', 'screen'],
    ['batery', 'battery'],
    ['orignal', 'original'],
    ['dilivery', 'delivery'],
  ])('%s -> %s', (typo, word) => {
    expect(vocabulary.correct(typo)).toBe(word);
  });

  it('leaves short words, known words, numbers and far words alone', () => {
    expect(vocabulary.correct('tset')).toBeUndefined(); // four letters: too many near neighbours
    expect(vocabulary.correct('screen')).toBeUndefined();
    expect(vocabulary.correct('iphone13')).toBeUndefined();
    expect(vocabulary.correct('shoes')).toBeUndefined();
    expect(vocabulary.correct('generator')).toBeUndefined();
  });

  it('forgets the words of a removed FAQ', () => {
    const words = createSpellingVocabulary();
    words.add(['warranty']);
    words.add(['warranty']);
    words.remove(['warranty']);
    expect(words.correct('waranty')).toBe('warranty');
    words.remove(['warranty']);
    expect(words.correct('waranty')).toBeUndefined();
  });

  it('reads British and American spellings as one', () => {
    expect(normaliseToString('what colors do you have')).toBe(normaliseToString('what colours do you have'));
    expect(normaliseToString('send your catalog')).toBe(normaliseToString('send your catalogue'));
    expect(normaliseToString('do you customize jewelry')).toBe(
      normaliseToString('do you customise jewellery'),
    );
  });

  it('the matcher says what it corrected, and matches on the corrected word', () => {
    const matcher = createFaqMatcher();
    matcher.upsert({
      id: 'test',
      question: 'Do you sell pregnancy test kits?',
      phrasings: [],
      enabled: true,
    });
    matcher.upsert({ id: 'hours', question: 'What time do you open?', phrasings: [], enabled: true });
    matcher.upsert({ id: 'pay', question: 'Can I pay by transfer?', phrasings: [], enabled: true });
    const [match] = matcher.tryMessage('una get pregancy kit?');
    expect(match?.faqId).toBe('test');
    expect(match?.explanation.words).toContain('pregnancy');
    expect(match?.explanation.notes).toContain(
      '"pregancy" read as "pregnancy" (spelling: close to a word of the FAQs)',
    );
  });
});
