import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Keeps Baileys' TTL caches from pinning Signal sessions in memory.
 *
 * Baileys (rc14) touches two lru-caches from inside its key-store transaction, an AsyncLocalStorage
 * context that holds every Signal session the transaction used: the recent-message cache of its retry
 * manager, on every message it sends (`addRecentMessage`, 5-minute TTL), and its LID <-> phone-number
 * cache, on every lookup (3-day TTL, renewed on every read). Each call starts a TTL timer, and a Node
 * timer keeps the async context it was created in alive: every send held copies of sessions for minutes
 * to days (a 2,000-reply burst to 200 customers on 4 numbers: 812 MB of heap after GC with both, 58 MB
 * without). Those methods are run in the context the socket was set up in, which holds no
 * transaction. Call right after the socket is created, before anything else wraps them.
 */
export interface TransactionTimerSurface {
  signalRepository: unknown;
  messageRetryManager: object | null;
}

/** Returns which caches this Baileys has that were kept out (a newer one may have neither). */
export function keepCachesOutOfTransactions(socket: TransactionTimerSurface): {
  recentMessages: boolean;
  lidMapping: boolean;
} {
  const outside = AsyncLocalStorage.snapshot();
  const repository = socket.signalRepository as { lidMapping?: { mappingCache?: unknown } } | null;
  return {
    recentMessages: runOutside(socket.messageRetryManager, ['addRecentMessage'], outside),
    lidMapping: runOutside(
      repository?.lidMapping?.mappingCache,
      ['get', 'set', 'has', 'delete', 'peek'],
      outside,
    ),
  };
}

function runOutside(target: unknown, names: readonly string[], outside: <R>(fn: () => R) => R): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const object = target as Record<string, unknown>;
  let found = false;
  for (const name of names) {
    const method = object[name];
    if (typeof method !== 'function') continue;
    const bound = (method as (...args: unknown[]) => unknown).bind(object);
    object[name] = (...args: unknown[]) => outside(() => bound(...args));
    found = true;
  }
  return found;
}
