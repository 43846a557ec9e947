import type { Logger } from '../../log/logger';
import {
  createCircuitBreaker,
  DEFAULT_COOL_DOWN_MS,
  DEFAULT_FAILURE_THRESHOLD,
  type CircuitBreaker,
  type CircuitHealth,
} from './circuit-breaker';

/**
 * Each workspace's circuit breakers, kept for the life of the app: the orchestrator is rebuilt when the
 * owner changes a setting, and that must not forget that a provider is cooling down or refused its key.
 * A provider whose address, model or key changed starts afresh (`configure`); the others keep their
 * state. Opening and closing are logged, and the AI screen reads `health`.
 */
export interface ProviderHealth {
  breaker(workspaceId: string): CircuitBreaker;
  /** Resets the provider's circuit when `fingerprint` (its address, model and key) differs from the last. */
  configure(workspaceId: string, providerId: string, fingerprint: string): void;
  health(workspaceId: string, providerId: string): CircuitHealth;
  /** A Test of the provider worked: it is working again, whatever its circuit said. */
  recovered(workspaceId: string, providerId: string): void;
  forget(workspaceId: string, providerId: string): void;
}

export function createProviderHealth(options: {
  now: () => number;
  logger: Logger;
  failureThreshold?: number;
  coolDownMs?: number;
}): ProviderHealth {
  const breakers = new Map<string, CircuitBreaker>();
  const fingerprints = new Map<string, string>();

  function breaker(workspaceId: string): CircuitBreaker {
    let found = breakers.get(workspaceId);
    if (found === undefined) {
      const log = options.logger.child({ workspaceId });
      found = createCircuitBreaker({
        failureThreshold: options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
        coolDownMs: options.coolDownMs ?? DEFAULT_COOL_DOWN_MS,
        now: options.now,
        onChange: (provider, health) => logChange(log, provider, health),
      });
      breakers.set(workspaceId, found);
    }
    return found;
  }

  return {
    breaker,
    configure(workspaceId, providerId, fingerprint) {
      const id = `${workspaceId}\u0000${providerId}`;
      const before = fingerprints.get(id);
      fingerprints.set(id, fingerprint);
      if (before !== undefined && before !== fingerprint) breaker(workspaceId).reset(providerId);
    },
    health: (workspaceId, providerId) =>
      breakers.get(workspaceId)?.health(providerId) ?? { state: 'working' },
    recovered: (workspaceId, providerId) => breakers.get(workspaceId)?.reset(providerId),
    forget(workspaceId, providerId) {
      breakers.get(workspaceId)?.reset(providerId);
      fingerprints.delete(`${workspaceId}\u0000${providerId}`);
    },
  };
}

function logChange(log: Logger, provider: string, health: CircuitHealth): void {
  switch (health.state) {
    case 'working':
      log.info('ai.circuit_closed', `AI provider ${provider} is answering again`, { provider });
      return;
    case 'cooling-down':
      log.warn(
        'ai.circuit_opened',
        `AI provider ${provider} is skipped until ${new Date(health.until).toISOString()} (${health.reason})`,
        { provider, until: health.until, reason: health.reason },
      );
      return;
    case 'key-refused':
      log.warn(
        'ai.circuit_opened',
        `AI provider ${provider} refused its API key: skipped until the key is saved again`,
        { provider, reason: 'key-refused' },
      );
      return;
  }
}
