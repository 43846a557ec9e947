import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit';

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('createRateLimiter', () => {
  it('allows the burst, then refills at the rate and says when to retry', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ ratePerSecond: 20, burst: 40 }, clock);
    for (let i = 0; i < 40; i++) expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 50 });
    clock.advance(49);
    expect(limiter.take('a').ok).toBe(false);
    clock.advance(1);
    expect(limiter.take('a')).toEqual({ ok: true });
    // Other keys have their own bucket.
    expect(limiter.take('b')).toEqual({ ok: true });
    // A long quiet spell refills to the burst, no further.
    clock.advance(3_600_000);
    for (let i = 0; i < 40; i++) expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });

  it('keeps at most maxKeys buckets, dropping refilled ones (which a fresh bucket equals) first', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ ratePerSecond: 1, burst: 2 }, clock, 3);
    for (const key of ['a', 'b', 'c']) limiter.take(key);
    clock.advance(10_000);
    limiter.take('busy');
    expect(limiter.size).toBe(1);
    limiter.take('busy');
    expect(limiter.take('busy').ok).toBe(false);
    // Past the bound with no refilled bucket to drop, the least recently used goes.
    for (const key of ['k1', 'k2', 'k3', 'k4']) limiter.take(key);
    expect(limiter.size).toBe(3);
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => createRateLimiter({ ratePerSecond: 0, burst: 1 }, fakeClock())).toThrow();
    expect(() => createRateLimiter({ ratePerSecond: 1, burst: 0 }, fakeClock())).toThrow();
  });
});
