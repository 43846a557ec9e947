import type { WorkspaceSettings } from '../../shared/settings';

/**
 * The arithmetic of sending like a person (whatsapp-notes.md, "Sending that does not look like a
 * bot"): typing time that grows with the reply and never repeats exactly, a per-number rate limit, and
 * retries that back off. Pure functions of their inputs; `random` is injected so tests are exact.
 */
export type Pacing = WorkspaceSettings['pacing'];

/** A factor in [1 - spread, 1 + spread]. */
function jittered(value: number, spread: number, random: () => number): number {
  return value * (1 + spread * (2 * random() - 1));
}

/**
 * How long "typing..." shows before a reply: proportional to its length, clamped, then jittered (after
 * the clamp, so even the longest replies do not all wait exactly the maximum).
 */
export function typingDelayMs(length: number, pacing: Pacing, random: () => number): number {
  const base = Math.min(pacing.maxTypingMs, Math.max(pacing.minTypingMs, length * pacing.typingMsPerChar));
  return Math.max(0, Math.round(jittered(base, pacing.jitter, random)));
}

/** Wait before attempt `failedAttempts + 1`: exponential from retryBaseMs, capped, ±20% so retries spread. */
export function retryDelayMs(failedAttempts: number, pacing: Pacing, random: () => number): number {
  const exp = pacing.retryBaseMs * 2 ** Math.max(0, Math.min(failedAttempts - 1, 30));
  return Math.max(0, Math.round(jittered(Math.min(pacing.retryMaxMs, exp), 0.2, random)));
}

export interface TokenBucket {
  /** Takes a token if one is there (returns 0), else returns how long until one will be. */
  take(now: number, perMinute: number, burst: number): number;
}

/**
 * The per-number rate limit. Rate and size are passed on each call so a settings change applies at
 * once; the bucket starts full (a quiet number may answer a small burst straight away).
 */
export function createTokenBucket(): TokenBucket {
  let tokens: number | null = null;
  let last = 0;
  return {
    take(now, perMinute, burst) {
      const perMs = perMinute / 60_000;
      tokens = tokens === null ? burst : Math.min(burst, tokens + Math.max(0, now - last) * perMs);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - tokens) / perMs);
    },
  };
}
