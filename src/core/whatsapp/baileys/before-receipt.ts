import {
  cleanMessage,
  decodeMessageNode,
  type BinaryNode,
  type proto,
  type WAMessage,
} from '@whiskeysockets/baileys';

/**
 * Hands each decrypted inbound message to us *before* Baileys sends WhatsApp its delivery receipt.
 *
 * Baileys (rc14, messages-recv handleMessage) decrypts a message, sends the receipt, and only then emits
 * `messages.upsert`, through an event buffer that may hold it for another 100 ms. Once the receipt has
 * left, WhatsApp never delivers that message again: a crash in that window lost it (seen in CI, 1 of 200
 * messages under kill -9). Nothing public runs between decryption and the receipt except one call,
 * `messageRetryManager.addRecentMessage(remoteJid, id, message)`, made right after `decrypt()` for every
 * message with content. Wrapping that method (the socket calls it through the object, so a wrapper
 * installed after creation is seen) gives us the decrypted content in time. The rest of the message
 * (sender's alt JID, push name, timestamp, offline flag) comes from the stanza itself, which we see
 * earlier on the socket's `CB:message` event, decoded with the same function Baileys uses.
 *
 * `addRecentMessage` is also called for messages we send; those have no inbound stanza and are ignored.
 */
export interface BeforeReceiptOptions {
  /** Our own JIDs, needed to decode a stanza exactly as Baileys does. */
  me: () => { id: string; lid: string } | null;
  /** Called synchronously, before the receipt is sent. `offline` is WhatsApp's flag on the stanza. */
  onDecrypted: (message: WAMessage, offline: boolean) => void;
  onError: (error: unknown, id: string) => void;
}

interface SocketSurface {
  ws: { on(event: 'CB:message', listener: (node: BinaryNode) => void): unknown };
  messageRetryManager: {
    addRecentMessage(to: string, id: string, message: proto.IMessage): void;
  } | null;
}

/** Inbound stanzas waiting for decryption; bounded, as a stanza that fails to decrypt never leaves. */
const MAX_WAITING_STANZAS = 2_000;

export function deliverBeforeReceipt(socket: SocketSurface, options: BeforeReceiptOptions): void {
  const manager = socket.messageRetryManager;
  if (manager === null) {
    // Only if the config turned enableRecentMessageCache off, which this provider never does.
    throw new Error(
      'Baileys has no message retry manager: inbound messages cannot be saved before the receipt',
    );
  }
  const waiting = new Map<string, BinaryNode>();
  socket.ws.on('CB:message', (node) => {
    const id = node.attrs.id;
    if (id === undefined) return;
    waiting.set(id, node);
    if (waiting.size > MAX_WAITING_STANZAS) waiting.delete(waiting.keys().next().value as string);
  });

  const addRecentMessage = manager.addRecentMessage.bind(manager);
  manager.addRecentMessage = (to, id, message) => {
    addRecentMessage(to, id, message);
    const node = waiting.get(id);
    if (node === undefined) return; // a message we sent
    waiting.delete(id);
    const me = options.me();
    if (me === null) return;
    try {
      const { fullMessage } = decodeMessageNode(node, me.id, me.lid);
      // Normalise the key as Baileys will before its upsert; the content is set afterwards so that
      // cleanMessage does not also rewrite a reaction's key inside the content Baileys still holds.
      cleanMessage(fullMessage, me.id, me.lid);
      fullMessage.message = message;
      options.onDecrypted(fullMessage, node.attrs.offline !== undefined);
    } catch (error) {
      // The message still arrives through messages.upsert; only the crash window stays open for it.
      options.onError(error, id);
    }
  };
}
