import { describe, expect, it } from 'vitest';
import { createFaqMatcher, type FaqInput, type FaqMatcher } from './faq-matcher';
import { NAIJA_SHOPS as SHOPS, randomChanges } from './testing/shop-changes';
import { type Trainer, type TrainingJob, localTrainer } from './training';

const built = (faqs: readonly FaqInput[]): FaqMatcher => {
  const matcher = createFaqMatcher();
  for (const faq of faqs) matcher.upsert(faq);
  matcher.warmUp();
  return matcher;
};

const ranking = (matcher: FaqMatcher, text: string) => matcher.tryMessage(text).map((m) => m.faqId);

describe('an FAQ index changed in place', () => {
  it('ranks the shop messages as a full rebuild of the same FAQs does, after random edits, adds and deletes (the best FAQ)', async () => {
    let same = 0;
    let total = 0;
    let sameBest = 0;
    let sameAnswer = 0;
    for (const [s, shop] of SHOPS.entries()) {
      for (const seed of [1, 2, 3]) {
        const { start, changes, end } = randomChanges(shop, 1000 * s + seed);
        const live = built(start);
        for (const { id, faq } of changes) await live.edit(id, faq);
        const rebuilt = built(end);
        expect(live.size).toBe(rebuilt.size);
        for (const { text } of shop.messages) {
          const a = ranking(live, text);
          const b = ranking(rebuilt, text);
          total++;
          if (a.join() === b.join()) same++;
          if (a[0] === b[0]) sameBest++;
          if (live.match(text)[0]?.faqId === rebuilt.match(text)[0]?.faqId) sameAnswer++;
        }
      }
    }
    // The edited FAQ is retrained with its neighbours, not the whole shop, and the other FAQs keep the
    // IDF they were indexed with: a second and a third may swap (83% of top-3 lists were identical
    // when this was written), the best and the decision to answer stay (99%). The bot rebuilds a shop
    // this small whole on every change (faq-refresh.test.ts): this path is for big ones.
    expect(sameBest / total).toBeGreaterThanOrEqual(0.98);
    expect(sameAnswer / total).toBeGreaterThanOrEqual(0.98);
    expect(same / total).toBeGreaterThanOrEqual(0.75);
  });

  it('an edit in slices ends exactly where the same upsert at once does', async () => {
    const shop = SHOPS[1]!;
    const { start, changes } = randomChanges(shop, 7);
    const atOnce = built(start);
    const inSlices = built(start);
    // Four changes: a fifth would make the one at once rebuild the whole shop (IDF drift).
    for (const { id, faq } of changes.slice(0, 4)) {
      if (faq === null) atOnce.remove(id);
      else atOnce.upsert(faq);
      await inSlices.edit(id, faq);
    }
    for (const { text } of shop.messages)
      expect(inSlices.tryMessage(text).map((m) => [m.faqId, m.confidence])).toEqual(
        atOnce.tryMessage(text).map((m) => [m.faqId, m.confidence]),
      );
  });

  it('answers from the FAQs as they were until the edit is applied whole', async () => {
    const shop = SHOPS[0]!;
    const faqs = shop.faqs.map((f) => ({ ...f, enabled: true }));
    const matcher = built(faqs);
    const texts = shop.messages.map((m) => m.text);
    const before = texts.map((t) => matcher.tryMessage(t));
    let release!: () => void;
    let training!: () => void;
    const started = new Promise<void>((resolve) => (training = resolve));
    const slowTrainer: Trainer = async (job: TrainingJob) => {
      training();
      await new Promise<void>((resolve) => (release = resolve));
      return localTrainer(job);
    };
    const target = faqs[2]!;
    const editing = matcher.edit(
      target.id,
      { ...target, question: 'Do una sell generator?', phrasings: ['generator price'] },
      slowTrainer,
    );
    await started; // staged and training: the index in use has not changed
    expect(texts.map((t) => matcher.tryMessage(t))).toEqual(before);
    release();
    await editing;
    expect(matcher.tryMessage('how much be your generator')[0]?.faqId).toBe(target.id);
  });
});
