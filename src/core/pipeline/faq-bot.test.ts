import { describe, expect, it } from 'vitest';
import { createExactMatchBot, createMatchingFaqBot } from './faq-bot';
import { findKeyword, exactForm } from './exact-form';

describe('exactForm', () => {
  it.each([
    ['Una dey open?', 'una dey open'],
    ['  UNA   dey\tOPEN?!  ', 'una dey open'],
    ["Don't you open on Sunday?", 'dont you open on sunday'],
    ['Don’t you open on Sunday?', 'dont you open on sunday'],
    ['How much be paracetamol... ₦500?', 'how much be paracetamol 500'],
    ['Price 👍🏾👍🏾', 'price'],
    ['ＦＵＬＬＷＩＤＴＨ', 'fullwidth'],
    ['¿Está abierto?', 'está abierto'],
    ['!!!', ''],
  ])('%j -> %j', (input, expected) => {
    expect(exactForm(input)).toBe(expected);
  });
});

describe('findKeyword', () => {
  const keywords = ['agent', 'customer care', 'human'];
  it.each([
    ['i want an agent', 'agent'],
    ['agent', 'agent'],
    ['customer care abeg', 'customer care'],
    ['agents', null],
    ['humanity', null],
    ['customer', null],
    ['', null],
  ])('%j -> %j', (text, expected) => {
    expect(findKeyword(text, keywords)).toBe(expected);
  });
});

describe('exact-match FAQ bot', () => {
  const bot = createExactMatchBot([
    {
      id: 'f1',
      question: 'Una dey open for Sunday?',
      answer: 'Yes, 12-6pm',
      phrasings: ['open sunday', 'Sunday hours?'],
      enabled: true,
    },
    { id: 'f2', question: 'How much is paracetamol?', answer: '₦500', phrasings: [], enabled: false },
    {
      id: 'f3',
      question: 'Open Sunday!',
      answer: 'Later FAQ with the same phrasing',
      phrasings: [],
      enabled: true,
    },
  ]);

  it('answers the question and each phrasing, whatever the case, spacing and punctuation', () => {
    for (const text of [
      'una dey open for sunday',
      'UNA DEY OPEN FOR SUNDAY???',
      'sunday hours',
      '  Open   Sunday. ',
    ]) {
      expect(bot.answer(text)).toEqual({
        kind: 'answer',
        text: 'Yes, 12-6pm',
        faqId: 'f1',
        confidence: 1,
        source: 'faq',
      });
    }
  });

  it('abstains on anything else, and on disabled FAQs', () => {
    expect(bot.answer('Una dey open for Saturday?')).toEqual({ kind: 'abstain', reason: 'no-exact-match' });
    expect(bot.answer('How much is paracetamol?')).toEqual({ kind: 'abstain', reason: 'no-exact-match' });
    expect(bot.answer('?!')).toEqual({ kind: 'abstain', reason: 'empty' });
  });

  it('looks up 1,000 FAQs as fast as 10 (one map lookup)', () => {
    const big = createExactMatchBot(
      Array.from({ length: 1000 }, (_, i) => ({
        id: `f${i}`,
        question: `How much is product ${i}?`,
        answer: `₦${i}`,
        phrasings: [`price of product ${i}`],
        enabled: true,
      })),
    );
    expect(big.answer('PRICE OF PRODUCT 999!')).toMatchObject({ kind: 'answer', faqId: 'f999' });
  });
});

describe('createMatchingFaqBot', () => {
  const faqs = [
    {
      id: 'hours',
      question: 'What time do you open?',
      answer: 'We open 8am to 6pm, Monday to Saturday.',
      phrasings: ['when do you open', 'opening hours', 'are you open today'],
      enabled: true,
    },
    {
      id: 'delivery',
      question: 'Do you deliver?',
      answer: 'Yes, we deliver within Lagos for ₦1,500.',
      phrasings: ['do you do delivery', 'can you bring it to my house', 'delivery fee'],
      enabled: true,
    },
    {
      id: 'pay',
      question: 'How can I pay?',
      answer: 'Transfer, POS or cash on delivery.',
      phrasings: ['payment methods', 'can I pay with transfer', 'do you take card'],
      enabled: true,
    },
  ];
  const bot = createMatchingFaqBot(faqs, 0.55);

  it('answers an exact phrasing with full confidence', () => {
    expect(bot.answer('Opening hours')).toMatchObject({ kind: 'answer', faqId: 'hours', confidence: 1 });
  });

  it('answers how customers really write, through the matcher', () => {
    const result = bot.answer('abeg una dey deliver to my house?');
    expect(result).toMatchObject({ kind: 'answer', faqId: 'delivery', source: 'faq' });
  });

  it('abstains on a question no FAQ covers', () => {
    expect(bot.answer('my generator is making noise, can you fix it').kind).toBe('abstain');
  });
});
