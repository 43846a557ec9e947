import type { Logger } from '../log/logger';
import type { ProviderEvents, ProviderListener } from './provider';

export type ProviderListeners = ReturnType<typeof createProviderListeners>;

/**
 * A provider's listeners: `on` as WhatsAppProvider names it, and `emit`, which keeps one failing
 * listener from stopping the others (it is logged).
 */
export function createProviderListeners(log: Logger) {
  const listeners = new Map<keyof ProviderEvents, Set<(event: never) => void>>();
  return {
    emit: <K extends keyof ProviderEvents>(event: K, payload: ProviderEvents[K]): void => {
      for (const fn of listeners.get(event) ?? []) {
        try {
          (fn as ProviderListener<K>)(payload);
        } catch (error) {
          log.error('error', `a ${event} listener failed`, { error });
        }
      }
    },
    on: <K extends keyof ProviderEvents>(event: K, listener: ProviderListener<K>): (() => void) => {
      let set = listeners.get(event);
      if (set === undefined) {
        set = new Set();
        listeners.set(event, set);
      }
      const fn = listener as (event: never) => void;
      set.add(fn);
      return () => set.delete(fn);
    },
  };
}
