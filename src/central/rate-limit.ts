import type { Clock } from '../core/ids';

export interface TokenBucketOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Bucket size: how many requests may come at once after a quiet spell. */
  burst: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateLimiter {
  take(key: string): TakeResult;
  /** What `take` would answer, without taking a token. */
  peek(key: string): TakeResult;
  /** Keys tracked now (bounded by maxKeys). */
  readonly size: number;
}

/** Default for a workspace token: 20 requests a second, 40 at once. */
export const INGEST_RATE: TokenBucketOptions = { ratePerSecond: 20, burst: 40 };
/** Default per client address on the endpoints that need no token (enroll, dashboard login). */
export const ANONYMOUS_RATE: TokenBucketOptions = { ratePerSecond: 2, burst: 20 };
/**
 * Default per client address for refused webhook POSTs (a bad signature, no registered number): each
 * refusal takes a token, and an address out of tokens is refused before its body is looked at.
 */
export const WEBHOOK_REFUSAL_RATE: TokenBucketOptions = { ratePerSecond: 1, burst: 30 };

/**
 * One token bucket per key, refilled lazily from the clock. Memory stays bounded: past `maxKeys`, full
 * buckets (keys quiet long enough to have refilled, which a fresh bucket would equal) are dropped first,
 * then the least recently used.
 */
export function createRateLimiter(options: TokenBucketOptions, clock: Clock, maxKeys = 10_000): RateLimiter {
  if (!(options.ratePerSecond > 0) || !(options.burst >= 1))
    throw new Error('a rate limit needs ratePerSecond > 0 and burst >= 1');
  const perMs = options.ratePerSecond / 1000;
  // Map order is least recently used first: a key is re-inserted on every take.
  const buckets = new Map<string, { tokens: number; at: number }>();

  const level = (bucket: { tokens: number; at: number }, now: number): number =>
    Math.min(options.burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);

  function prune(now: number): void {
    for (const [key, bucket] of buckets) {
      if (level(bucket, now) >= options.burst) buckets.delete(key);
    }
    for (const key of buckets.keys()) {
      if (buckets.size <= maxKeys) break;
      buckets.delete(key);
    }
  }

  return {
    take(key) {
      const now = clock.now();
      const existing = buckets.get(key);
      const tokens = existing === undefined ? options.burst : level(existing, now);
      buckets.delete(key);
      if (tokens >= 1) {
        buckets.set(key, { tokens: tokens - 1, at: now });
        if (buckets.size > maxKeys) prune(now);
        return { ok: true };
      }
      buckets.set(key, { tokens, at: now });
      return { ok: false, retryAfterMs: Math.ceil((1 - tokens) / perMs) };
    },
    peek(key) {
      const existing = buckets.get(key);
      const tokens = existing === undefined ? options.burst : level(existing, clock.now());
      return tokens >= 1 ? { ok: true } : { ok: false, retryAfterMs: Math.ceil((1 - tokens) / perMs) };
    },
    get size() {
      return buckets.size;
    },
  };
}
