import { describe, expect, it } from 'vitest';
import { NAIJA_SHOPS, randomChanges } from '../bot/faq/testing/shop-changes';
import { createMatchingFaqBot, type FaqEntry } from './faq-bot';

const FAQS: FaqEntry[] = [
  {
    id: 'hours',
    question: 'What time do you open?',
    answer: '8 to 6.',
    phrasings: ['una dey open'],
    enabled: true,
  },
  {
    id: 'pay',
    question: 'How can I pay?',
    answer: 'Transfer or POS.',
    phrasings: ['do you take transfer'],
    enabled: true,
  },
];

describe('an FAQ bot refreshed in place', () => {
  it('answers with the old FAQs until the edit lands, then with the new ones; the bot is not rebuilt', async () => {
    const bot = createMatchingFaqBot(FAQS, 0.55);
    expect(bot.answer('una dey open')).toMatchObject({ faqId: 'hours', text: '8 to 6.' });
    const edited = [
      { ...FAQS[0]!, answer: '9 to 5.', phrasings: ['una dey open', 'when una go open'] },
      { ...FAQS[1]!, enabled: false },
      {
        id: 'lekki',
        question: 'Do you deliver to Lekki?',
        answer: 'Yes, ₦2,000.',
        phrasings: [],
        enabled: true,
      },
    ];
    const landing = bot.refresh(edited, 0.55);
    // Decided meanwhile: the FAQs as they were, whole.
    expect(bot.answer('do you take transfer')).toMatchObject({ faqId: 'pay' });
    await landing;
    expect(bot.answer('when una go open')).toMatchObject({ faqId: 'hours', text: '9 to 5.' });
    expect(bot.answer('do you take transfer')).toMatchObject({ kind: 'abstain' });
    expect(bot.answer('Do you deliver to Lekki?')).toMatchObject({ faqId: 'lekki', confidence: 1 });
    expect(bot.faq?.('pay')).toBeUndefined();
  });

  it('an answer edited alone is used at once; a new threshold applies', async () => {
    const bot = createMatchingFaqBot(FAQS, 0.55);
    await bot.refresh([{ ...FAQS[0]!, answer: 'Now 7 to 7.' }, FAQS[1]!], 1);
    expect(bot.answer('What time do you open?')).toMatchObject({ text: 'Now 7 to 7.' });
    expect(bot.answer('una dey open abeg')).toMatchObject({ kind: 'abstain' });
  });
});

describe('a small shop refreshed after random edits, adds and deletes', () => {
  it('ranks every shop message exactly as a bot built fresh from the same FAQs', async () => {
    for (const [s, shop] of NAIJA_SHOPS.entries()) {
      const { start, changes, end } = randomChanges(shop, 500 + s);
      const withAnswers = (faqs: readonly FaqEntry[] | ReturnType<typeof randomChanges>['end']) =>
        faqs.map((f) => ({ ...f, answer: `answer ${f.id}` }));
      const live = createMatchingFaqBot(withAnswers(start), 0.55);
      const faqs = new Map(start.map((f) => [f.id, f]));
      for (const { id, faq } of changes) {
        if (faq === null) faqs.delete(id);
        else faqs.set(id, faq);
        await live.refresh(withAnswers([...faqs.values()]), 0.55, []);
      }
      const fresh = createMatchingFaqBot(withAnswers(end), 0.55);
      for (const { text } of shop.messages)
        expect(live.candidates!(text, 3), text).toEqual(fresh.candidates!(text, 3));
    }
  });
});
