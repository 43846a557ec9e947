import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { keepCachesOutOfTransactions } from './transaction-timers';

/** Baileys' key-store transaction: an AsyncLocalStorage context holding the sessions it touched. */
const transaction = new AsyncLocalStorage<{ sessions: string }>();
const inTransaction = <R>(fn: () => R): R =>
  transaction.run({ sessions: 'every session the send touched' }, fn);

describe('keepCachesOutOfTransactions', () => {
  it("runs Baileys' recent-message cache outside the key-store transaction a send runs in", () => {
    // Baileys calls addRecentMessage for each message it sends from inside that transaction; the cache
    // starts a TTL timer there, and a timer keeps its creation context alive: a burst pinned 800 MB.
    const seen: (object | undefined)[] = [];
    const socket = {
      signalRepository: {},
      messageRetryManager: {
        addRecentMessage: (_to: string, _id: string, _message: object) =>
          void seen.push(transaction.getStore()),
      },
    };
    expect(keepCachesOutOfTransactions(socket)).toEqual({ recentMessages: true, lidMapping: false });
    inTransaction(() => {
      socket.messageRetryManager.addRecentMessage('2348031234567@s.whatsapp.net', 'OUTBOX-1', {
        conversation: 'Jollof na ₦2,500',
      });
    });
    expect(seen).toEqual([undefined]);
  });

  it("runs the LID cache's reads and writes outside the key-store transaction, with their results", () => {
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
    const socket = {
      signalRepository: { lidMapping: { mappingCache: new Cache() } },
      messageRetryManager: null,
    };
    expect(keepCachesOutOfTransactions(socket)).toEqual({ recentMessages: false, lidMapping: true });
    const cache = socket.signalRepository.lidMapping.mappingCache;
    const found = inTransaction(() => {
      cache.set('pn:2348031234567', '81234567890123');
      return cache.get('pn:2348031234567');
    });
    expect(found).toBe('81234567890123');
    expect(seen).toEqual([undefined, undefined]);
  });

  it('leaves a Baileys without those caches alone', () => {
    expect(keepCachesOutOfTransactions({ signalRepository: {}, messageRetryManager: null })).toEqual({
      recentMessages: false,
      lidMapping: false,
    });
    expect(keepCachesOutOfTransactions({ signalRepository: null, messageRetryManager: null })).toEqual({
      recentMessages: false,
      lidMapping: false,
    });
  });
});
