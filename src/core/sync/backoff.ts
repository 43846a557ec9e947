/**
 * When to try again after a failed push. Exponential backoff with full jitter (AWS architecture blog,
 * "Exponential Backoff And Jitter"): a random delay between a floor and a ceiling that doubles with
 * each failure, so a central server coming back after an outage is not hit by every installation in
 * the same second. The floor keeps a run of small random numbers from turning into a hot loop.
 */
export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  /** No delay is ever longer. */
  maxMs: number;
  /** No delay is ever shorter. */
  minMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000, minMs: 500 };

/** The delay before retry number `attempt` (1 for the first retry). */
export function backoffDelay(
  attempt: number,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt) - 1), 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const r = random();
  const fraction = Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 1;
  return Math.max(policy.minMs, Math.round(fraction * ceiling));
}

/** Retry-After longer than this is not believed (a misconfigured proxy must not park the pusher for days). */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date. Returns milliseconds from `now`,
 * clamped to [1 s, 1 h], or null when the header is missing or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | null {
  if (header === null || header === undefined) return null;
  const text = header.trim();
  if (text === '') return null;
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    // An HTTP date names its day ("Tue, 25 Nov 2025 10:00:30 GMT"); Date.parse would take "-5" as a year.
    if (!/^[A-Za-z]{3}, /.test(text)) return null;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(1_000, ms));
}
