import makeWASocket, {
  Browsers,
  makeCacheableSignalKeyStore,
  proto,
  type WAMessageKey,
  type WASocket,
} from '@whiskeysockets/baileys';
import { createBaileysLogger } from './baileys-logger';
import type { BaileysContext } from './baileys-session';
import { handleMessagesInOrder } from './in-order-messages';
import type { SqliteAuthState } from './sqlite-auth-state';
import { keepCachesOutOfTransactions } from './transaction-timers';

/** How long one slow inbound message may hold the later ones of its chat (see in-order-messages). */
const MESSAGE_STALL_MS = 10_000;

/** A new Baileys socket on the loaded credentials, its caches kept out of transactions and its messages read in order. */
export function openBaileysSocket(ctx: BaileysContext, loaded: SqliteAuthState): WASocket {
  const { options, log } = ctx;
  const baileysLogger = createBaileysLogger(log, options.baileysLogLevel ?? 'warn');
  const socket = makeWASocket({
    auth: {
      creds: loaded.state.creds,
      keys: makeCacheableSignalKeyStore(loaded.state.keys, baileysLogger),
    },
    logger: baileysLogger,
    browser: Browsers.windows('Switchboard'),
    // Keep the owner's phone getting notifications; we are a helper, not the primary device.
    markOnlineOnConnect: false,
    // An autoresponder needs no history; syncing it costs memory and minutes on a slow line.
    syncFullHistory: false,
    // Except the first sync's INITIAL_BOOTSTRAP chunk: it carries the LID <-> phone mappings of
    // the recent chats (phoneNumberToLidMappings, and pnJid/lidJid per chat), and nothing else
    // has them for customers who write by LID alone. It is one chunk (often inline, else one
    // download). Baileys stores its mappings in the key store, where onLidMappings (in connect) takes
    // them; we never listen to 'messaging-history.set', so its chats and messages are dropped
    // unread: no history is imported. RECENT and FULL stay off: they are the bulk, and refusing
    // RECENT is also what keeps Baileys from holding every event for up to 20 s after the first
    // login while it waits for history.
    shouldSyncHistoryMessage: ({ syncType }) => syncType === proto.Message.HistorySyncType.INITIAL_BOOTSTRAP,
    msgRetryCounterCache: ctx.msgRetryCounterCache as never,
    getMessage: (key) => getMessage(ctx, key),
    fetchAgent: ctx.media.agent,
    ...(options.socket?.waWebSocketUrl !== undefined && { waWebSocketUrl: options.socket.waWebSocketUrl }),
    ...(options.socket?.connectTimeoutMs !== undefined && {
      connectTimeoutMs: options.socket.connectTimeoutMs,
    }),
    ...(options.socket?.keepAliveIntervalMs !== undefined && {
      keepAliveIntervalMs: options.socket.keepAliveIntervalMs,
    }),
  });
  // Before deliverBeforeReceipt wraps addRecentMessage too (its wrapper calls this one).
  const kept = keepCachesOutOfTransactions(socket);
  if (!kept.recentMessages || !kept.lidMapping)
    log.debug('baileys.cache_timers', 'This Baileys lacks a cache to keep out of transactions', kept);
  handleMessagesInOrder(socket.ws, {
    stallMs: MESSAGE_STALL_MS,
    onStall: (id, chat) =>
      log.warn(
        'message.slow',
        `A message from ${chat} took over ${MESSAGE_STALL_MS / 1000} s to read; later ones no longer wait for it`,
        { id, chat },
      ),
  });
  return socket;
}

/** A message this number sent, for re-encrypting it when a recipient asks for a retry. */
async function getMessage(ctx: BaileysContext, key: WAMessageKey): Promise<proto.IMessage | undefined> {
  if (key.id === null || key.id === undefined) return undefined;
  const text = await ctx.options.getMessageText(key.id);
  return text === undefined ? undefined : { conversation: text };
}
