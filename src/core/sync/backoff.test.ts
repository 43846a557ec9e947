import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, MAX_RETRY_AFTER_MS, parseRetryAfter } from './backoff';

describe('backoff with full jitter', () => {
  it('doubles the ceiling from 2 s to the 5 min cap', () => {
    const ceilings = Array.from({ length: 12 }, (_, i) => backoffDelay(i + 1, () => 1));
    expect(ceilings).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000, 300_000,
    ]);
    expect(backoffDelay(1_000_000, () => 1)).toBe(DEFAULT_BACKOFF.maxMs);
  });

  it('spreads delays over [floor, ceiling] and never goes under the floor', () => {
    expect(backoffDelay(4, () => 0.5)).toBe(8_000);
    expect(backoffDelay(4, () => 0)).toBe(DEFAULT_BACKOFF.minMs);
    expect(backoffDelay(1, () => 0.1)).toBe(DEFAULT_BACKOFF.minMs);
    // A broken random source cannot produce a zero, negative or NaN delay.
    expect(backoffDelay(3, () => Number.NaN)).toBe(8_000);
    expect(backoffDelay(3, () => -5)).toBe(DEFAULT_BACKOFF.minMs);
    expect(backoffDelay(0, () => 1)).toBe(2_000);
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const delays = Array.from({ length: 1_000 }, () => backoffDelay(6, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.minMs);
    expect(Math.max(...delays)).toBeLessThanOrEqual(64_000);
    // Full jitter: the delays cover the range instead of bunching at the ceiling.
    expect(delays.filter((d) => d < 32_000).length).toBeGreaterThan(400);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2025-11-25T10:00:00Z');

  it('reads seconds and HTTP dates, clamped to [1 s, 1 h]', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(1_000);
    expect(parseRetryAfter('Tue, 25 Nov 2025 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 25 Nov 2025 09:00:00 GMT', now)).toBe(1_000);
    expect(parseRetryAfter('999999', now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });
});
