import { describe, expect, it } from 'vitest';
import { createFeatureReader, extractFeatures } from './features';
import { createFaqMatcher } from './faq-matcher';
import { stem } from './stemmer';
import { compileSynonyms, findSynonyms, ownerGroups, SYNONYM_GROUPS } from './synonyms';

const builtIn = [compileSynonyms(SYNONYM_GROUPS)];
const meaningsOf = (text: string) => extractFeatures(text).meanings;

describe('the synonym table', () => {
  it('explains every group and lists each word once', () => {
    const seen = new Set<string>();
    for (const group of SYNONYM_GROUPS) {
      expect(group.why.length, group.means).toBeGreaterThan(5);
      expect(group.words.length, group.means).toBeGreaterThanOrEqual(2);
      for (const word of group.words) {
        expect(seen.has(word), word).toBe(false);
        seen.add(word);
        expect(word).toBe(word.toLowerCase().trim());
      }
    }
  });

  it.each([
    ['which plaza is your store', 'location'],
    ['send me your address', 'location'],
    ['where are you located', 'location'],
    ['can you fix my screen', 'repair'],
    ['how much to change the battery', 'repair'],
    ['is it genuine', 'original'],
    ['hope say no be fake', 'original'],
    ['do you collect pos', 'pay'],
    ['send your account number', 'pay'],
    ['i go give you cash', 'pay'],
    ['can you bring it to my office', 'delivery'],
    ['is the stew hot', 'spicy'],
    ['abeg no put pepper', 'spicy'],
    ['una get pampers', 'diaper'],
    ['do you sell tokunbo phones', 'secondhand'],
    ['can i pay small small', 'instalment'],
  ])('"%s" carries "%s"', (text, meaning) => {
    expect(meaningsOf(text)).toContain(stem(meaning));
  });

  it("adds the meaning word without dropping the customer's word", () => {
    const features = extractFeatures('una dey collect transfer?');
    expect(features.tokens).toContain('transfer');
    expect(features.counts.get('w:transfer')).toBe(1);
    expect(features.counts.get('w:pay')).toBe(1);
    expect(features.rewrites).toContainEqual({
      from: 'transfer',
      to: 'pay',
      why: 'same meaning: ways to pay (a POS is the card terminal)',
    });
  });

  it('matches phrases longest first, and by stem ("located", "locate")', () => {
    const hits = findSynonyms(['i', 'need', 'a', 'doctor', 'note'], builtIn);
    expect(hits).toEqual([
      { from: 'doctor note', means: 'prescription', why: expect.stringContaining('doctor') },
    ]);
    expect(findSynonyms(['locate'], builtIn)[0]?.means).toBe('location');
  });

  it('adds nothing when the text already says the meaning word', () => {
    expect(findSynonyms(['delivery', 'and', 'send'], builtIn)).toEqual([]);
  });
});

describe("the owner's own synonyms", () => {
  it('turns lists into groups named by their first word, dropping empty and single-word lists', () => {
    expect(ownerGroups([[' Suya ', 'grilled meat'], ['alone'], ['', ' ']])).toEqual([
      { means: 'suya', words: ['suya', 'grilled meat'], why: 'the same in this shop (your synonyms)' },
    ]);
  });

  it("lets a message in the customer's words reach the FAQ in the owner's", () => {
    const faqs = [
      { id: 'suya', question: 'How much is your suya?', phrasings: ['suya price'], enabled: true },
      { id: 'hours', question: 'What time do you open?', phrasings: ['are you open sunday'], enabled: true },
      { id: 'drinks', question: 'Do you sell zobo?', phrasings: ['zobo price'], enabled: true },
    ];
    const plain = createFaqMatcher();
    const owned = createFaqMatcher({ synonyms: [['suya', 'kilishi', 'grilled meat']] });
    for (const faq of faqs) {
      plain.upsert(faq);
      owned.upsert(faq);
    }
    const before = plain.tryMessage('any kilishi today?')[0];
    expect(before?.faqId === 'suya' && before.wouldAnswer).toBe(false);
    const [match] = owned.match('any kilishi today?');
    expect(match?.faqId).toBe('suya');
    expect(match?.explanation.notes).toContain(
      '"kilishi" read as "suya" (same meaning: the same in this shop (your synonyms))',
    );
    expect(createFeatureReader([['suya', 'grilled meat']]).read('any grilled meat?').meanings).toEqual([
      'suya',
    ]);
  });
});
