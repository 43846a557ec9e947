import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { keepLidCacheOutOfTransactions } from './transaction-timers';

describe('keepLidCacheOutOfTransactions', () => {
  it("runs the LID cache's reads and writes outside the key-store transaction, with their results", () => {
    const transaction = new AsyncLocalStorage<{ sessions: string }>();
    const seen: unknown[] = [];
    const entries = new Map<string, string>();
    // Stands in for lru-cache: methods on the instance's class, each starting its TTL timer.
    class Cache {
      get(key: string) {
        seen.push(transaction.getStore());
        return entries.get(key);
      }
      set(key: string, value: string) {
        seen.push(transaction.getStore());
        entries.set(key, value);
        return this;
      }
    }
    const socket = { signalRepository: { lidMapping: { mappingCache: new Cache() } } };
    expect(keepLidCacheOutOfTransactions(socket)).toBe(true);
    const cache = socket.signalRepository.lidMapping.mappingCache;
    const found = transaction.run({ sessions: 'every session the send touched' }, () => {
      cache.set('pn:2348031234567', '81234567890123');
      return cache.get('pn:2348031234567');
    });
    expect(found).toBe('81234567890123');
    expect(seen).toEqual([undefined, undefined]);
  });

  it('leaves a Baileys without that cache alone', () => {
    expect(keepLidCacheOutOfTransactions({ signalRepository: {} })).toBe(false);
    expect(keepLidCacheOutOfTransactions({ signalRepository: null })).toBe(false);
  });
});
