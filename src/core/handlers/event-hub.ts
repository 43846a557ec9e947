import type { EventName, Events } from '../../shared/contract';

export type AnyEventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface EventHub {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Every event, for the bindings that forward them all (IPC, WebSocket). */
  onAny(listener: AnyEventListener): () => void;
  /** Drops every listener. */
  clear(): void;
}

/**
 * The contract's events inside one process. A listener that throws is reported and skipped: one broken
 * window or socket must not stop the others from hearing about a number going offline.
 */
export function createEventHub(onListenerError?: (error: unknown, event: EventName) => void): EventHub {
  const byName = new Map<EventName, Set<(payload: never) => void>>();
  const anyListeners = new Set<AnyEventListener>();

  const safely = (event: EventName, call: () => void): void => {
    try {
      call();
    } catch (error) {
      onListenerError?.(error, event);
    }
  };

  return {
    emit(event, payload) {
      for (const listener of [...(byName.get(event) ?? [])]) {
        safely(event, () => (listener as (p: typeof payload) => void)(payload));
      }
      for (const listener of [...anyListeners]) safely(event, () => listener(event, payload));
    },
    on(event, listener) {
      let set = byName.get(event);
      if (set === undefined) byName.set(event, (set = new Set()));
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    onAny(listener) {
      anyListeners.add(listener);
      return () => {
        anyListeners.delete(listener);
      };
    },
    clear() {
      byName.clear();
      anyListeners.clear();
    },
  };
}
