import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Keeps Baileys' LID-mapping cache from pinning Signal sessions in memory.
 *
 * Baileys (rc14) reads and writes its LID <-> phone-number cache (an lru-cache with a 3-day TTL, its
 * age renewed on every read) from inside its key-store transaction, an AsyncLocalStorage context that
 * holds every Signal session the transaction touched. Each read or write starts a new TTL timer, and a
 * Node timer keeps the async context it was created in alive: every customer held copies of sessions
 * for up to three days (a 2,000-reply burst to 200 customers on 4 numbers: 200 MB of heap after GC
 * with this cache, 58 MB without). The cache's methods are run in the context the socket was set up
 * in, which holds no transaction. Returns false when this Baileys has no such cache (nothing to do).
 */
export function keepLidCacheOutOfTransactions(socket: { signalRepository: unknown }): boolean {
  const repository = socket.signalRepository as { lidMapping?: { mappingCache?: unknown } } | null;
  const cache = repository?.lidMapping?.mappingCache as Record<string, unknown> | undefined;
  if (cache === undefined || cache === null) return false;
  const outside = AsyncLocalStorage.snapshot();
  for (const name of ['get', 'set', 'has', 'delete', 'peek']) {
    const method = cache[name];
    if (typeof method !== 'function') continue;
    const bound = (method as (...args: unknown[]) => unknown).bind(cache);
    cache[name] = (...args: unknown[]) => outside(() => bound(...args));
  }
  return true;
}
