import { describe, expect, it } from 'vitest';
import { clarificationFor, clarifyingQuestion, clarifyListRows } from './clarify';

describe('clarificationFor', () => {
  const at = (...c: number[]) => c.map((confidence, i) => ({ faqId: `f${i + 1}`, confidence }));

  it('offers the near misses, best first, when none reaches the threshold', () => {
    expect(clarificationFor(at(0.45, 0.4, 0.05), 0.55)).toEqual(['f1', 'f2']);
    expect(clarificationFor(at(0.4, 0.35, 0.3, 0.28), 0.55)).toEqual(['f1', 'f2', 'f3']);
  });

  it('does not ask when the best answers, when only one is close, or when all are far', () => {
    expect(clarificationFor(at(0.6, 0.5), 0.55)).toBeNull();
    expect(clarificationFor(at(0.5, 0.1), 0.55)).toBeNull();
    expect(clarificationFor(at(0.1, 0.09), 0.55)).toBeNull();
    expect(clarificationFor([], 0.55)).toBeNull();
  });

  it('leaves out a distant runner-up (under half the best)', () => {
    expect(clarificationFor(at(0.5, 0.24), 0.55)).toBeNull();
  });

  it('offers an FAQ once even if ranked twice (exact match and matcher)', () => {
    expect(
      clarificationFor(
        [...at(0.4), { faqId: 'f1', confidence: 0.35 }, { faqId: 'f9', confidence: 0.3 }],
        0.55,
      ),
    ).toEqual(['f1', 'f9']);
  });
});

describe('clarifyingQuestion', () => {
  it('numbers the FAQs as text any WhatsApp shows', () => {
    expect(clarifyingQuestion(['Delivery to Lekki?', 'Delivery days'])).toBe(
      'Do you mean 1) Delivery to Lekki or 2) Delivery days? Reply 1 or 2',
    );
    expect(clarifyingQuestion(['A', 'B.', 'C'])).toBe('Do you mean 1) A, 2) B or 3) C? Reply 1, 2 or 3');
  });
});

describe('clarifyListRows', () => {
  it('numbers each row and cuts a long title to 24 characters, the whole question in the description', () => {
    expect(clarifyListRows(['Delivery days?', 'Which days do you deliver to Ajah?'])).toEqual([
      { id: 'choice-1', title: '1) Delivery days' },
      {
        id: 'choice-2',
        title: '2) Which days do you de…',
        description: 'Which days do you deliver to Ajah',
      },
    ]);
  });

  it("keeps within Meta's limits: at most 10 rows, titles of at most 24 characters, emoji counted whole", () => {
    const rows = clarifyListRows(Array.from({ length: 12 }, (_, i) => `${'🚚'.repeat(30)} ${i}`));
    expect(rows).toHaveLength(10);
    for (const row of rows) expect([...row.title].length).toBeLessThanOrEqual(24);
    expect(new Set(rows.map((r) => r.id)).size).toBe(10);
  });
});
