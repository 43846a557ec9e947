import { clarificationFor } from '../bot/faq/clarify';
import { createMatchingFaqBot, type FaqEntry } from '../pipeline/faq-bot';

/**
 * Test support: a shop with two delivery FAQs close enough that some questions leave the bot unsure
 * between them, for the clarifying question's tests (pipeline, WhatsApp end to end, browser).
 */
export const DELIVERY_FAQS: readonly Omit<FaqEntry, 'id'>[] = [
  {
    question: 'Do you deliver to Lekki?',
    answer: 'Yes, Lekki delivery is ₦2,000.',
    phrasings: ['delivery to lekki', 'can you bring it to lekki'],
    enabled: true,
  },
  {
    question: 'Which days do you deliver?',
    answer: 'We deliver Monday to Friday.',
    phrasings: ['delivery days', 'do you deliver on saturday'],
    enabled: true,
  },
];

const PROBES = [
  'delivery lekki saturday',
  'deliver lekki days',
  'lekki delivery days',
  'delivery to lekki on which day',
  'when una dey deliver lekki',
  'which day lekki',
  'which day una go reach lekki',
  'lekki which day',
];

/**
 * A customer question the real matcher is unsure about between the two delivery FAQs, in a shop that
 * also has `others`, found by asking it (so the tests follow the matcher's calibration as it is
 * refitted, rather than a fixed confidence); with the indexes of the delivery FAQs in the order offered.
 */
export function unsureDeliveryQuestion(
  others: readonly FaqEntry[] = [],
  threshold = 0.55,
): { text: string; offered: number[] } {
  const faqs = [...others, ...DELIVERY_FAQS.map((f, i) => ({ ...f, id: `probe-${i}` }))];
  const bot = createMatchingFaqBot(faqs, threshold);
  for (const probe of PROBES) {
    const ids = clarificationFor(bot.candidates!(probe, 4), threshold);
    if (ids?.length === 2 && ids.every((id) => id.startsWith('probe-')))
      return { text: probe, offered: ids.map((id) => Number(id.slice('probe-'.length))) };
  }
  throw new Error('no probe leaves the matcher unsure between the delivery FAQs: add one to PROBES');
}
