import { describe, expect, it } from 'vitest';
import { costOf, createBudgetLedger, exhaustedPeriod, unknownModelPrice, usdToNano } from './cost';

const table = {
  cheap: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  dear: { inputPerMTok: 2.5, outputPerMTok: 10 },
};

describe('costOf', () => {
  it('multiplies usage by the model price, exactly', () => {
    // 1,234,567 × 0.15 + 345,678 × 0.60 = 0.18518505 + 0.2074068 = 0.39259185 USD
    const cost = costOf({ inputTokens: 1_234_567, outputTokens: 345_678 }, 'cheap', table);
    expect(cost).toEqual({ nanoUsd: 392_591_850, usd: 0.39259185, known: true });
  });

  it('adds up to the cent over many small calls', () => {
    let nano = 0;
    for (let i = 0; i < 10_000; i++)
      nano += costOf({ inputTokens: 700, outputTokens: 30 }, 'cheap', table).nanoUsd;
    // 10,000 × (700 × 0.15 + 30 × 0.6) / 1e6 = 10,000 × 0.000123 = 1.23 USD
    expect(nano).toBe(usdToNano(1.23));
  });

  it('charges an unknown model the most expensive rates and says so', () => {
    expect(unknownModelPrice(table)).toEqual({ inputPerMTok: 2.5, outputPerMTok: 10 });
    const cost = costOf({ inputTokens: 1_000_000, outputTokens: 100_000 }, 'gpt-typo', table);
    expect(cost).toEqual({ nanoUsd: 3_500_000_000, usd: 3.5, known: false });
  });
});

describe('createBudgetLedger', () => {
  it('keeps daily and monthly totals per workspace and rolls them over in the time zone', () => {
    let now = Date.parse('2026-01-31T22:00:00Z');
    const ledger = createBudgetLedger({ now: () => now, timeZone: 'Africa/Lagos' });
    ledger.record('w1', 100);
    ledger.record('w2', 7);
    expect(ledger.spent('w1')).toMatchObject({
      keys: { day: '2026-01-31', month: '2026-01' },
      day: 100,
      month: 100,
    });
    now = Date.parse('2026-01-31T23:30:00Z'); // 00:30 on 1 February in Lagos
    expect(ledger.spent('w1')).toMatchObject({
      keys: { day: '2026-02-01', month: '2026-02' },
      day: 0,
      month: 0,
    });
    ledger.record('w1', 5);
    now = Date.parse('2026-02-02T10:00:00Z');
    ledger.record('w1', 5);
    expect(ledger.spent('w1')).toMatchObject({ day: 5, month: 10 });
    expect(ledger.spent('w2')).toMatchObject({ day: 0, month: 0 });
  });

  it('grants a notice once per workspace, period and key', () => {
    const ledger = createBudgetLedger({ now: () => 0 });
    expect(ledger.claimNotice('w', 'day', '2026-01-01')).toBe(true);
    expect(ledger.claimNotice('w', 'day', '2026-01-01')).toBe(false);
    expect(ledger.claimNotice('w', 'month', '2026-01')).toBe(true);
    expect(ledger.claimNotice('w', 'day', '2026-01-02')).toBe(true);
  });

  it('exhaustedPeriod reports the day before the month and ignores null limits', () => {
    const spend = { keys: { day: 'd', month: 'm' }, day: usdToNano(1), month: usdToNano(5), held: 0 };
    expect(exhaustedPeriod(spend, { dailyUsd: 1, monthlyUsd: 5 })).toBe('day');
    expect(exhaustedPeriod(spend, { dailyUsd: null, monthlyUsd: 5 })).toBe('month');
    expect(exhaustedPeriod(spend, { dailyUsd: 2, monthlyUsd: null })).toBeNull();
  });
});
