import type { E164 } from '../../shared/types';
import type { ProviderEvents, ProviderListener, WhatsAppProvider } from '../whatsapp/provider';

/**
 * Test support: a provider whose socket is a counter. It keeps the provider contract (connect ends the
 * previous socket silently), so tests of the layers above can count live sockets and drive events.
 */
export function createFakeProvider(businessNumber: E164) {
  const listeners = new Map<string, Set<(e: never) => void>>();
  let live = 0;
  let maxLive = 0;
  let connects = 0;
  let generation = 0;
  const sent: { chatId: string; text: string; messageId: string }[] = [];
  let pingFails = false;
  let sendFailure: Error | null = null;
  const emit = <K extends keyof ProviderEvents>(event: K, payload: ProviderEvents[K]) => {
    for (const fn of listeners.get(event) ?? []) (fn as ProviderListener<K>)(payload);
  };
  const provider: WhatsAppProvider & {
    emit: typeof emit;
    readonly live: number;
    readonly maxLive: number;
    readonly connects: number;
    sent: typeof sent;
    failPings(fail: boolean): void;
    /** Every send throws this error until called with null (WhatsApp refusing a message). */
    failSends(error: Error | null): void;
  } = {
    kind: 'baileys',
    businessNumber,
    async connect() {
      live = 0; // the previous socket, if any, is ended first
      const mine = ++generation;
      await Promise.resolve();
      if (mine !== generation) return; // a newer connect won the race, as in the real providers
      connects++;
      live++;
      maxLive = Math.max(maxLive, live);
    },
    async disconnect() {
      live = 0;
      generation++;
      await Promise.resolve();
    },
    requestPairingCode: () => Promise.resolve('ABCD1234'),
    async sendText(chatId, text, options) {
      if (live === 0) throw new Error('not connected');
      if (sendFailure !== null) throw sendFailure;
      sent.push({ chatId, text, messageId: options.messageId });
      return Promise.resolve({ providerMessageId: options.messageId });
    },
    sendTyping: () => Promise.resolve(),
    markRead: () => Promise.resolve(),
    ownNumber: () => businessNumber,
    ping: () => (pingFails ? Promise.reject(new Error('ping timeout')) : Promise.resolve()),
    on(event, listener) {
      let set = listeners.get(event);
      if (set === undefined) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    emit,
    get live() {
      return live;
    },
    get maxLive() {
      return maxLive;
    },
    get connects() {
      return connects;
    },
    sent,
    failPings(fail) {
      pingFails = fail;
    },
    failSends(error) {
      sendFailure = error;
    },
  };
  return provider;
}
export type FakeProvider = ReturnType<typeof createFakeProvider>;
