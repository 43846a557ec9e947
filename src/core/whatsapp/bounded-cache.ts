/**
 * A small map with a size cap, evicting the oldest entry: for caches that live as long as the app
 * (retry counters, recently sent ids) and must not grow with every message ever handled.
 */
export function createBoundedCache<V>(maxEntries: number) {
  const map = new Map<string, V>();
  return {
    get: (key: string): V | undefined => map.get(key),
    set(key: string, value: V): boolean {
      map.delete(key);
      map.set(key, value);
      if (map.size > maxEntries) map.delete(map.keys().next().value as string);
      return true;
    },
    del: (key: string): boolean => map.delete(key),
    has: (key: string): boolean => map.has(key),
    flushAll: (): void => map.clear(),
    get size() {
      return map.size;
    },
  };
}

export type BoundedCache<V> = ReturnType<typeof createBoundedCache<V>>;
