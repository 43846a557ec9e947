import { describe, expect, it } from 'vitest';
import { faqBand, routeMessage, type FaqBand } from './route';

const cases: [text: string, tier: 'fast' | 'smart', reason: string, band?: FaqBand, recent?: number][] = [
  // Greetings and small talk: fast.
  ['Hi', 'fast', 'greeting'],
  ['Good morning ma', 'fast', 'greeting'],
  ['How far bros', 'fast', 'greeting'],
  ['hello o!!', 'fast', 'greeting'],
  ['Thank you 🙏', 'fast', 'greeting'],
  ['Ekaaro sir', 'fast', 'greeting'],
  // Simple questions: fast.
  ['Where una shop dey?', 'fast', 'simple-question'],
  ['Do you deliver to Ikeja?', 'fast', 'simple-question'],
  ['How much is the black bag?', 'fast', 'simple-question'],
  ['What time you dey open for Saturday', 'fast', 'faq-near-miss', 'medium'],
  // Buying intent: smart.
  ['I wan buy two of the red shoe', 'smart', 'buying-intent'],
  ['I want to order 5 cartons', 'smart', 'buying-intent'],
  ['how much for 3', 'smart', 'buying-intent'],
  ['How much be 2 pieces', 'smart', 'buying-intent'],
  ['Send me your account number make I pay', 'smart', 'buying-intent'],
  ['Hi, I go pay now now', 'smart', 'buying-intent'],
  // Negotiation: smart.
  ['Wetin be your last price?', 'smart', 'negotiation'],
  ['Abeg reduce am small', 'smart', 'negotiation'],
  ['Any discount if I take plenty?', 'smart', 'negotiation'],
  ['This one too costly o', 'smart', 'negotiation'],
  // Complaints: smart (before buying: "I ordered" in a complaint is still a complaint).
  ['I am not happy with this phone', 'smart', 'complaint'],
  ['I want refund', 'smart', 'complaint'],
  ['Na wahala una dey give person', 'smart', 'complaint'],
  ['This cream na fake', 'smart', 'complaint'],
  ['The thing I ordered never reach', 'smart', 'complaint'],
  ['Di blender don spoil after one day', 'smart', 'complaint'],
  ['My order has not come since Monday', 'smart', 'complaint'],
  ['I am still waiting for my delivery, nobody is answering', 'smart', 'complaint'],
  ['The cream gave me rashes', 'smart', 'complaint'],
  // Quantities are buying too ("I want 2 tins", "three bags").
  ['I want 2 tins of Peak milk, can you deliver to Ajah?', 'smart', 'buying-intent'],
  ['Abeg three bags of rice', 'smart', 'buying-intent'],
  // Long messages: smart.
  [
    `Good evening, ${'I have a question about the sizes and the colours and the delivery. '.repeat(4)}`,
    'smart',
    'long-message',
  ],
  // A long chat the FAQs cannot place: smart.
  ['So wetin you go advise?', 'smart', 'long-conversation', 'low', 10],
  ['So wetin you go advise?', 'fast', 'simple-question', 'low', 3],
];

describe('routeMessage', () => {
  it.each(cases)('%s -> %s (%s)', (text, tier, reason, band = 'low', recent = 0) => {
    expect(routeMessage({ text, faqBand: band, recentMessages: recent })).toMatchObject({ tier, reason });
  });

  it('buying and complaints outrank an FAQ match; a complaint never falls back to the fast tier', () => {
    const at = (text: string) => routeMessage({ text, faqBand: 'high', recentMessages: 0 });
    expect(at('I want 2 tins of milk, can you deliver to Ajah?')).toMatchObject({
      outranksFaq: true,
      allowFastFallback: true,
    });
    expect(at('The milk you delivered is expired')).toMatchObject({
      tier: 'smart',
      outranksFaq: true,
      allowFastFallback: false,
    });
    expect(at('Do you deliver to Ajah?')).toMatchObject({ outranksFaq: false });
    expect(at('Wetin be your last price?')).toMatchObject({ outranksFaq: false, allowFastFallback: true });
  });
});

describe('faqBand', () => {
  it.each([
    [0.8, 'high'],
    [0.55, 'high'],
    [0.3, 'medium'],
    [0.2, 'low'],
    [null, 'low'],
  ] as const)('%s at threshold 0.55 -> %s', (confidence, band) => {
    expect(faqBand(confidence, 0.55)).toBe(band);
  });
});
