import type { BinaryNode } from '@whiskeysockets/baileys';

/**
 * Makes Baileys handle a chat's live `message` stanzas one after another, in the order WhatsApp
 * delivered them.
 *
 * Baileys (rc14, messages-recv) starts handling each live stanza as soon as it arrives, and before its
 * decrypt lock each one awaits LID-mapping lookups; a new contact's first message also stores a mapping
 * and moves a session. So when a customer sends a burst, the messages behind the first one overtake it,
 * and the core answered "rice, beans, yam" as "yam, rice, beans" (seen in CI). Offline stanzas are
 * already handled one at a time by Baileys itself; only live ones need this.
 *
 * Chats stay independent: one customer's slow message never holds another customer's. A stanza whose
 * handling takes longer than `stallMs` (a hung query) stops holding its chat, so nothing waits forever;
 * that is reported, as order is no longer guaranteed behind it.
 */
export interface InOrderOptions {
  /** How long one stanza may hold the ones behind it in its chat. */
  stallMs: number;
  onStall: (id: string | undefined, chat: string) => void;
}

type StanzaListener = (node: BinaryNode) => unknown;

interface EmitterSurface {
  listeners(event: 'CB:message'): unknown[];
  off(event: 'CB:message', listener: StanzaListener): unknown;
  on(event: 'CB:message', listener: StanzaListener): unknown;
}

/** Call right after the socket is created, before adding listeners of our own (they stay immediate). */
export function handleMessagesInOrder(ws: EmitterSurface, options: InOrderOptions): void {
  // Baileys' own listeners, typed by EventEmitter as bare functions: each takes the decoded stanza.
  const handlers = ws.listeners('CB:message') as StanzaListener[];
  if (handlers.length === 0) {
    // A Baileys version that no longer listens this way: better to fail the connect loudly in tests.
    throw new Error('Baileys registered no message handler: cannot keep inbound messages in order');
  }
  for (const handler of handlers) ws.off('CB:message', handler);
  /** The end of each chat's chain of stanzas being handled; removed once the chat is idle. */
  const tails = new Map<string, Promise<void>>();

  ws.on('CB:message', (node) => {
    const chat = node.attrs.from ?? '';
    const previous = tails.get(chat);
    const handle = () => bounded(node, chat);
    const tail = previous === undefined ? handle() : previous.then(handle);
    tails.set(chat, tail);
    void tail.then(() => {
      if (tails.get(chat) === tail) tails.delete(chat);
    });
  });

  /** Runs Baileys' handlers for one stanza; resolves when they finish or the stall limit passes. */
  function bounded(node: BinaryNode, chat: string): Promise<void> {
    // Baileys catches its own errors; a throw here must still free the chat.
    const handled = Promise.all(handlers.map((handler) => Promise.resolve().then(() => handler(node)))).then(
      () => undefined,
      () => undefined,
    );
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        options.onStall(node.attrs.id, chat);
        resolve();
      }, options.stallMs);
      timer.unref?.();
      void handled.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
