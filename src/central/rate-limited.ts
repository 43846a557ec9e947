import { CentralError } from './errors';
import type { RateLimiter, TakeResult } from './rate-limit';

/** Takes one token from `key`'s bucket, or throws 429 with Retry-After (whole seconds, at least 1). */
export function takeOrRefuse(limiter: RateLimiter, key: string, what: string): void {
  refuseUnless(limiter.take(key), what);
}

/** Throws 429 unless `result` is ok (for a bucket only peeked at). */
export function refuseUnless(result: TakeResult, what: string): void {
  if (result.ok) return;
  const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
  throw new CentralError('RATE_LIMITED', `Too many ${what}: wait ${seconds} s and try again.`, {
    headers: { 'Retry-After': String(seconds) },
  });
}
