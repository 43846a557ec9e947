import { describe, expect, it } from 'vitest';
import { workspaceSettingsSchema } from '../../shared/settings';
import { createTokenBucket, retryDelayMs, typingDelayMs } from './pacing';

const pacing = workspaceSettingsSchema.parse({}).pacing;
const middle = () => 0.5; // no jitter
const low = () => 0; // -30%
const high = () => 1; // +30%

describe('typingDelayMs', () => {
  it.each([
    [0, 1500],
    [10, 1500], // 300 ms, raised to the minimum
    [50, 1500],
    [100, 3000], // 30 ms a character
    [200, 6000],
    [266, 7980],
    [267, 8000], // capped
    [5000, 8000],
  ])('%i characters type for %i ms (defaults, no jitter)', (length, ms) => {
    expect(typingDelayMs(length, pacing, middle)).toBe(ms);
  });

  it('grows with the length of the reply', () => {
    const delays = [1, 60, 120, 180, 240].map((n) => typingDelayMs(n, pacing, middle));
    expect([...delays].sort((a, b) => a - b)).toEqual(delays);
  });

  it('jitters by up to 30% either way, after the clamp, so even the longest replies vary', () => {
    expect(typingDelayMs(100, pacing, low)).toBe(2100);
    expect(typingDelayMs(100, pacing, high)).toBe(3900);
    expect(typingDelayMs(5000, pacing, low)).toBe(5600);
    expect(typingDelayMs(5000, pacing, high)).toBe(10_400);
  });

  it('follows the workspace settings', () => {
    const fast = { ...pacing, typingMsPerChar: 10, minTypingMs: 200, maxTypingMs: 1000, jitter: 0 };
    expect(typingDelayMs(5, fast, high)).toBe(200);
    expect(typingDelayMs(50, fast, high)).toBe(500);
    expect(typingDelayMs(500, fast, high)).toBe(1000);
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base up to the cap, with ±20% jitter', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, pacing, middle))).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(retryDelayMs(20, pacing, middle)).toBe(600_000);
    expect(retryDelayMs(1, pacing, low)).toBe(4000);
    expect(retryDelayMs(1, pacing, high)).toBe(6000);
  });
});

describe('token bucket', () => {
  it('allows a burst, then one token per 60/perMinute seconds', () => {
    const bucket = createTokenBucket();
    const t = 1_000_000;
    expect([0, 0, 0].map(() => bucket.take(t, 12, 3))).toEqual([0, 0, 0]);
    expect(bucket.take(t, 12, 3)).toBe(5000); // 12 a minute: one every 5 s
    expect(bucket.take(t + 5000, 12, 3)).toBe(0);
    expect(bucket.take(t + 6000, 12, 3)).toBe(4000);
  });

  it('refills up to the burst size only', () => {
    const bucket = createTokenBucket();
    bucket.take(0, 60, 2);
    bucket.take(0, 60, 2);
    // An hour idle is still only two tokens.
    expect([0, 0, 0].map(() => bucket.take(3_600_000, 60, 2))).toEqual([0, 0, 1000]);
  });
});
