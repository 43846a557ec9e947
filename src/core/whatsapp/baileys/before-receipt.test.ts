import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { deliverBeforeReceipt } from './before-receipt';

describe('deliverBeforeReceipt', () => {
  it("runs Baileys' recent-message cache outside the key-store transaction a send runs in", () => {
    // Baileys calls addRecentMessage for each message it sends from inside its key-store transaction
    // (an AsyncLocalStorage context holding the Signal sessions it touched). The cache starts a TTL
    // timer there, and a timer keeps its creation context alive: a burst of sends pinned 800 MB.
    const transaction = new AsyncLocalStorage<{ sessions: string }>();
    const seen: (object | undefined)[] = [];
    const socket = {
      ws: new EventEmitter(),
      messageRetryManager: {
        addRecentMessage: (_to: string, _id: string, _message: object) =>
          void seen.push(transaction.getStore()),
      },
    };
    deliverBeforeReceipt(socket, {
      me: () => ({ id: '2348090000001:1@s.whatsapp.net', lid: '' }),
      onDecrypted: () => undefined,
      onError: () => undefined,
    });
    transaction.run({ sessions: 'every session the send touched' }, () => {
      socket.messageRetryManager.addRecentMessage('2348031234567@s.whatsapp.net', 'OUTBOX-1', {
        conversation: 'Jollof na ₦2,500',
      });
    });
    expect(seen).toEqual([undefined]);
  });
});
