/**
 * One circuit per provider: after `failureThreshold` consecutive failures it opens and the provider is
 * skipped for `coolDownMs`; then it is half-open and lets exactly one trial call through. The trial's
 * success closes it; its failure opens it again for another cool-down. Time comes from `now`.
 */

export interface CircuitBreakerOptions {
  failureThreshold: number;
  coolDownMs: number;
  now: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export const DEFAULT_FAILURE_THRESHOLD = 3;
export const DEFAULT_COOL_DOWN_MS = 60_000;

interface Circuit {
  failures: number;
  openedAt: number | null;
  trialInFlight: boolean;
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;

export function createCircuitBreaker(options: CircuitBreakerOptions) {
  const circuits = new Map<string, Circuit>();
  const get = (key: string): Circuit => {
    let circuit = circuits.get(key);
    if (circuit === undefined) {
      circuit = { failures: 0, openedAt: null, trialInFlight: false };
      circuits.set(key, circuit);
    }
    return circuit;
  };

  function state(key: string): CircuitState {
    const circuit = get(key);
    if (circuit.openedAt === null) return 'closed';
    return options.now() - circuit.openedAt >= options.coolDownMs ? 'half-open' : 'open';
  }

  return {
    state,
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
    onSuccess(key: string): void {
      circuits.set(key, { failures: 0, openedAt: null, trialInFlight: false });
    },
    onFailure(key: string): void {
      const circuit = get(key);
      circuit.failures++;
      if (circuit.trialInFlight || circuit.failures >= options.failureThreshold) {
        circuit.openedAt = options.now();
        circuit.trialInFlight = false;
      }
    },
    /** A call that ended without saying anything about the provider (the caller aborted). */
    release(key: string): void {
      get(key).trialInFlight = false;
    },
  };
}
