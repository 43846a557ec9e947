/**
 * One circuit per provider: after `failureThreshold` consecutive failures it opens and the provider is
 * skipped for `coolDownMs`; a provider that says how long to wait (Retry-After on 429/503) is skipped
 * that long at once. Then it is half-open and lets exactly one trial call through: the trial's success
 * closes it, its failure opens it again. A refused key (401/403) opens it until the owner acts (`reset`:
 * the key saved again, or a Test that works): waiting does not fix a revoked key. Time comes from `now`.
 */

export interface CircuitBreakerOptions {
  failureThreshold: number;
  coolDownMs: number;
  now: () => number;
  /** Told when a circuit opens (or stays open on a failed trial) and when it closes again. */
  onChange?: (key: string, health: CircuitHealth) => void;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** What the owner sees on the AI screen. */
export type CircuitHealth =
  | { state: 'working' }
  | { state: 'cooling-down'; until: number; reason: string }
  | { state: 'key-refused'; since: number };

export const DEFAULT_FAILURE_THRESHOLD = 3;
export const DEFAULT_COOL_DOWN_MS = 60_000;

interface Circuit {
  failures: number;
  /** While open: until when; null when closed. */
  openUntil: number | null;
  reason: string;
  keyRefusedAt: number | null;
  trialInFlight: boolean;
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;

export function createCircuitBreaker(options: CircuitBreakerOptions) {
  const circuits = new Map<string, Circuit>();
  const get = (key: string): Circuit => {
    let circuit = circuits.get(key);
    if (circuit === undefined) {
      circuit = { failures: 0, openUntil: null, reason: '', keyRefusedAt: null, trialInFlight: false };
      circuits.set(key, circuit);
    }
    return circuit;
  };

  function state(key: string): CircuitState {
    const circuit = circuits.get(key);
    if (circuit === undefined) return 'closed';
    if (circuit.keyRefusedAt !== null) return 'open';
    if (circuit.openUntil === null) return 'closed';
    return options.now() >= circuit.openUntil ? 'half-open' : 'open';
  }

  function health(key: string): CircuitHealth {
    const circuit = circuits.get(key);
    if (circuit?.keyRefusedAt != null) return { state: 'key-refused', since: circuit.keyRefusedAt };
    if (circuit?.openUntil == null || options.now() >= circuit.openUntil) return { state: 'working' };
    return { state: 'cooling-down', until: circuit.openUntil, reason: circuit.reason };
  }

  function open(key: string, circuit: Circuit, forMs: number, reason: string): void {
    circuit.openUntil = options.now() + forMs;
    circuit.reason = reason;
    circuit.trialInFlight = false;
    options.onChange?.(key, health(key));
  }

  /** Closed with no failures counted; tells `onChange` when it was open. */
  function reset(key: string): void {
    const was = circuits.get(key);
    circuits.delete(key);
    if (was !== undefined && (was.openUntil !== null || was.keyRefusedAt !== null)) {
      options.onChange?.(key, { state: 'working' });
    }
  }

  return {
    state,
    health,
    /** Whether a call may go to this provider now; in half-open state, true once (the trial). */
    tryAcquire(key: string): boolean {
      const current = state(key);
      if (current === 'closed') return true;
      if (current === 'open') return false;
      const circuit = get(key);
      if (circuit.trialInFlight) return false;
      circuit.trialInFlight = true;
      return true;
    },
    onSuccess: reset,
    /**
     * A failed call. `retryAfterMs`: the provider said how long to wait; the circuit opens for that long
     * whatever the count. `reason` says why, for the owner ('HTTP 429', 'timeout', ...).
     */
    onFailure(key: string, reason: string, retryAfterMs: number | null = null): void {
      const circuit = get(key);
      circuit.failures++;
      if (retryAfterMs !== null && retryAfterMs > 0) {
        open(key, circuit, retryAfterMs, reason);
      } else if (circuit.trialInFlight || circuit.failures >= options.failureThreshold) {
        open(key, circuit, options.coolDownMs, reason);
      }
    },
    /** The provider refused the key (401/403): skipped until `reset`. */
    onKeyRefused(key: string): void {
      const circuit = get(key);
      circuit.failures++;
      circuit.trialInFlight = false;
      if (circuit.keyRefusedAt !== null) return;
      circuit.keyRefusedAt = options.now();
      options.onChange?.(key, health(key));
    },
    /** A call that ended without saying anything about the provider (the caller aborted). */
    release(key: string): void {
      const circuit = circuits.get(key);
      if (circuit !== undefined) circuit.trialInFlight = false;
    },
    /** The owner changed the provider (address, model, key) or a Test worked: start afresh. */
    reset,
  };
}
