import { beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../../shared/types';
import { storePerTest } from './testing/store-per-test';
import { createFaqMatcher } from '../../bot/faq/faq-matcher';
import { closestForEach, cosine, questionVectors } from '../../bot/faq/question-similarity';
import { PHARMACY_FAQS } from '../../bot/faq/testing/shop-faqs';
import { createUnansweredRepository } from './unanswered-questions';

const WS = 'ws-shop' as WorkspaceId;
let counter = 0;

const temp = storePerTest(WS);
beforeEach(() => {
  counter = 0;
});

const repo = () => createUnansweredRepository(temp.store.db, () => `q${++counter}`);

describe('question similarity', () => {
  it('puts differently written versions of one question close together', () => {
    const [a, b, c] = questionVectors([
      'una get size 44?',
      'Do you have size 44 pleaseee',
      'where is your shop',
    ]);
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, c!));
    expect(
      closestForEach(['where is your shop', 'do you have size 44'], ['una get size 44 for black']),
    ).toEqual([1]);
    expect(closestForEach([], ['where una dey'])).toEqual([-1]);
    // A new question may join one that came earlier in the same burst.
    expect(
      closestForEach(['where is your shop'], ['una get size 44?', 'do you have size 44 in black']),
    ).toEqual([-1, 1]);
  });
});

describe('unanswered questions', () => {
  it('counts the same question once however it is written', async () => {
    const r = repo();
    const first = await r.record(WS, 'Una get size 44??', 100);
    const again = await r.record(WS, 'una get size 44 🙏', 200);
    expect(again?.id).toBe(first?.id);
    expect(again).toMatchObject({ count: 2, firstSeenAt: 100, lastSeenAt: 200, text: 'Una get size 44??' });
    expect(again?.normalized).toBe('you have size 44');
  });

  it('ignores messages with no words', async () => {
    expect(await repo().record(WS, '🙏🏾👍', 1)).toBeUndefined();
    expect(await repo().listGroups(WS)).toEqual([]);
  });

  it('groups similar questions, most asked group first', async () => {
    const r = repo();
    await r.record(WS, 'Una get size 44?', 1);
    await r.record(WS, 'do you have size 44 in black', 2);
    await r.record(WS, 'you get this shoe for size 44?', 3);
    await r.record(WS, 'Do you sell gift cards?', 4);
    await r.record(WS, 'una dey sell gift card', 5);
    await r.record(WS, 'can I bring my dog inside', 6);
    await r.record(WS, 'Do you sell gift cards', 7); // asked again
    const groups = await r.listGroups(WS);
    const texts = groups.map((g) => g.questions.map((q) => q.text).sort());
    expect(texts).toContainEqual(
      ['Una get size 44?', 'do you have size 44 in black', 'you get this shoe for size 44?'].sort(),
    );
    expect(texts).toContainEqual(['Do you sell gift cards?', 'una dey sell gift card'].sort());
    expect(texts).toContainEqual(['can I bring my dog inside']);
    expect(groups.map((g) => g.count)).toEqual([3, 3, 1]);
    // Ties go to the group asked most recently: the gift cards.
    expect(groups[0]).toMatchObject({ representative: 'Do you sell gift cards?', lastSeenAt: 7 });
  });

  it('a burst is recorded at once, grouped as if asked one by one', async () => {
    const r = repo();
    await r.record(WS, 'Do you sell gift cards?', 1);
    const burst = await r.recordMany(
      WS,
      [
        'Una get size 44?',
        'do you have size 44 in black',
        'Do you sell gift cards',
        '🙏🏾',
        'Una get size 44?',
        'can I bring my dog inside',
      ],
      2,
    );
    expect(burst[3]).toBeUndefined();
    // The same question twice in the burst is one row asked twice; a new one joins a new one before it.
    expect(burst[0]?.id).toBe(burst[4]?.id);
    expect(burst[4]?.count).toBe(2);
    expect(burst[1]?.groupKey).toBe(burst[0]?.groupKey);
    expect(burst[2]).toMatchObject({ count: 2, lastSeenAt: 2 });
    const groups = await r.listGroups(WS);
    expect(groups.map((g) => g.count)).toEqual([3, 2, 1]);
  });

  it('resolved questions leave the list, and come back if asked again', async () => {
    const r = repo();
    const q = (await r.record(WS, 'Do you sell gift cards?', 1))!;
    expect(await r.resolve(WS, [q.id])).toBe(1);
    expect(await r.resolve(WS, [q.id])).toBe(0);
    expect(await r.resolve(WS, [])).toBe(0);
    expect(await r.listGroups(WS)).toEqual([]);
    await r.record(WS, 'do you sell gift cards', 2);
    const [group] = await r.listGroups(WS);
    expect(group?.questions[0]).toMatchObject({ id: q.id, count: 2, resolved: false });
  });

  it('keeps what the matcher abstains on, and a new phrasing from it answers next time', async () => {
    const matcher = createFaqMatcher();
    for (const faq of PHARMACY_FAQS) matcher.upsert(faq);
    const r = repo();
    const messages = ['una dey sell baby diapers?', 'Do you have pampers', 'una get diaper for newborn'];
    for (const [i, text] of messages.entries()) {
      expect(matcher.match(text), text).toEqual([]);
      await r.record(WS, text, i);
    }
    const [group] = await r.listGroups(WS);
    matcher.upsert({
      id: 'diapers',
      question: group!.representative,
      phrasings: group!.questions.map((q) => q.text),
      enabled: true,
    });
    await r.resolve(
      WS,
      group!.questions.map((q) => q.id),
    );
    expect(matcher.match('abeg una get pampers?')[0]?.faqId).toBe('diapers');
  });
});
