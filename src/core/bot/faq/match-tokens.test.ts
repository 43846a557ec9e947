import { describe, expect, it } from 'vitest';
import { charGrams, extractFeatures } from './features';
import { PHRASE_RULES, WORD_RULES } from './normalisation-table';
import { foldText, normaliseText, normaliseToString, squeezeRepeats } from './match-tokens';
import { stem } from './stemmer';

const norm = normaliseToString;

describe('text folding', () => {
  it('lowercases, folds Unicode and accents, and drops emoji and punctuation', () => {
    expect(foldText('Una dey OPEN?? 🙏🏾🙏🏾')).toBe('una dey open');
    expect(foldText('Ọjà dé!!! ＰＲＩＣＥ…')).toBe('oja de price');
    expect(foldText('price: ₦5,000 (five thousand)')).toBe('price naira 5 000 five thousand');
    expect(foldText('e-mail me @ shop')).toBe('email me at shop');
  });

  it('expands contractions, with curly apostrophes too', () => {
    expect(foldText("I don't know, it’s not here & I can't wait")).toBe(
      'i do not know it not here and i can not wait',
    );
  });
});

describe('repeated letters', () => {
  it.each([
    ['pleaseee', 'please'],
    ['plsss', 'pls'],
    ['sooo', 'so'],
    ['hellooo', 'hello'],
    ['gooood', 'good'],
    ['coool', 'cool'],
    ['good', 'good'],
    ['deliveryyy', 'delivery'],
  ])('%s -> %s', (word, expected) => {
    expect(squeezeRepeats(word)).toBe(expected);
  });
});

describe('Pidgin and Nigerian English', () => {
  it.each([
    ['Abeg una dey open for Sunday?', 'please you are open for sunday'],
    ['How much be this cream?', 'how much is this cream'],
    ['How much e be?', 'how much is it'],
    ['Wetin be your address', 'what is your address'],
    ['wetin una dey sell', 'what you are sell'],
    ['I wan buy shoe', 'i want buy shoe'],
    ['Una fit deliver to Ikeja?', 'you can deliver to ikeja'],
    ['I don pay', 'i have pay'],
    ['my order never reach o', 'my order not arrived'],
    ['Na how much?', 'how much is'],
    ['e go reach tomorrow?', 'it will reach tomorrow'],
    ['una get size 44', 'you have size 44'],
    ['Is it on ground?', 'is it available'],
    ['last price abeg', 'final price discount please'],
    ['I sabi the place', 'i know the place'],
    ['make i comot for here', 'let me leave for here'],
    ['my pikin dey sick', 'my child is sick'],
    ['pls hw much is dis 4 2day', 'please how much is this 4 today'],
    ['wetin dey happen sef', 'what is happen'],
  ])('%s -> %s', (text, expected) => {
    expect(norm(text)).toBe(expected);
  });

  it('keeps "fit" a clothes word where it is not the modal', () => {
    expect(norm('will it fit me')).toBe('will it fit me');
    expect(norm('they fit well')).toBe('they fit well');
    expect(norm('I fit pay on delivery?')).toBe('i can pay on delivery');
  });

  it('keeps "how do I get" English', () => {
    expect(norm('how do I get a new card')).toBe('how do i get a new card');
  });

  it('reports what it rewrote, with the reason', () => {
    const { rewrites } = normaliseText('Abeg how much be am?');
    expect(rewrites.map((r) => `${r.from}->${r.to}`)).toEqual(['abeg->please', 'how much be->how much is']);
    expect(rewrites[0]!.why).toMatch(/Pidgin/);
  });

  it('splits digits glued to words', () => {
    expect(norm('open 9am to 6pm, 2weeks')).toBe('open 9 am to 6 pm 2 weeks');
  });

  it('has a reason for every rule and no rule that maps a word to itself', () => {
    for (const rule of [...PHRASE_RULES, ...WORD_RULES]) {
      expect(rule.why.length, rule.from).toBeGreaterThan(3);
      expect(rule.to, rule.from).not.toBe(rule.from);
      expect(rule.from).toBe(rule.from.toLowerCase().trim());
    }
  });
});

describe('stemmer', () => {
  it.each([
    [['deliver', 'delivers', 'delivered', 'delivering', 'delivery', 'deliveries'], 'deliver'],
    [['charge', 'charges', 'charged', 'charging'], 'charg'],
    [['cancel', 'cancels', 'cancelled', 'cancelling', 'canceled'], 'cancel'],
    [['apply', 'applies', 'applied', 'applying'], 'appl'],
    [['pay', 'paid', 'payment', 'payments', 'pays'], 'pay'],
    [['card', 'cards'], 'card'],
    [['fee', 'fees'], 'fee'],
  ])('%j -> %s', (words, expected) => {
    for (const word of words) expect(stem(word), word).toBe(expected);
  });

  it('leaves short and Pidgin words alone', () => {
    for (const word of ['dey', 'una', 'abeg', 'is', 'bus', 'sabi']) expect(stem(word)).toBe(word);
  });
});

describe('features', () => {
  it('a typo keeps most of the letter pieces of the word', () => {
    const shared = (a: string, b: string) => {
      const x = new Set(charGrams(a));
      const y = new Set(charGrams(b));
      return [...x].filter((g) => y.has(g)).length / Math.min(x.size, y.size);
    };
    expect(shared('delivry', 'delivery')).toBeGreaterThan(0.4);
    expect(shared('transfa', 'transfer')).toBeGreaterThan(0.4);
    expect(shared('delivry', 'payment')).toBe(0);
  });

  it('has word, word-pair and letter-piece features', () => {
    const { counts, stems } = extractFeatures('Una dey deliver?');
    expect(stems).toEqual(['you', 'are', 'deliver']);
    expect(counts.get('w:deliver')).toBe(1);
    expect(counts.get('p:are_deliver')).toBe(1);
    expect(counts.get('c:<deli')).toBe(1);
  });

  it('emoji-only and punctuation-only messages have no features', () => {
    expect(extractFeatures('🙏🏾👍 ?!').counts.size).toBe(0);
  });
});
