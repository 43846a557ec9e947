import makeWASocket, {
  type AuthenticationCreds,
  Browsers,
  jidNormalizedUser,
  makeCacheableSignalKeyStore,
  proto,
  type WAMessageKey,
  type WAMessage,
  type WASocket,
} from '@whiskeysockets/baileys';
import type { E164, WorkspaceId } from '../../../shared/types';
import { CLOSE_CODES } from '../../connection/reconnect-policy';
import { SwitchboardError } from '../../errors';
import type { Logger } from '../../log/logger';
import { phoneNumberToJidUser } from '../../phone/normalize-phone-number';
import type { WaAuthRepository } from '../../store/repositories/wa-auth';
import { createBoundedCache } from '../bounded-cache';
import type {
  CloseInfo,
  DeliveryStatus,
  ProviderEvents,
  ProviderListener,
  SendOptions,
  WhatsAppProvider,
} from '../provider';
import { createBaileysLogger } from './baileys-logger';
import { deliverBeforeReceipt } from './before-receipt';
import { handleMessagesInOrder } from './in-order-messages';
import { keepCachesOutOfTransactions } from './transaction-timers';
import { lidPairsOfKey, type LidDirectory } from './lid-directory';
import { mapBaileysMessage, phoneFromJid } from './message-mapper';
import { baileysContent, createBaileysMedia, type MediaTransportOptions } from './media-transfer';
import { loadSqliteAuthState, type SqliteAuthState } from './sqlite-auth-state';

export interface BaileysProviderOptions {
  businessNumber: E164;
  workspaceId: WorkspaceId;
  phoneNumberId: string;
  authRepo: WaAuthRepository;
  logger: Logger;
  /** Text of a message this number sent, for re-encrypting it when a recipient asks for a retry. */
  getMessageText: (providerMessageId: string) => Promise<string | undefined>;
  /**
   * The workspace's LID -> phone-number map: fed by what this socket learns, used to key a customer's
   * chat by phone number whichever address they write from. Without it chats are keyed as addressed.
   */
  lidDirectory?: LidDirectory;
  now?: () => number;
  /** Socket overrides: tests and demo mode point `waWebSocketUrl` at the local WhatsApp server. */
  socket?: { waWebSocketUrl?: string; connectTimeoutMs?: number; keepAliveIntervalMs?: number };
  /** Media host and its certificate authority: tests and demo mode name the local server's. */
  media?: MediaTransportOptions;
  baileysLogLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

const QR_FIRST_TTL_MS = 60_000;
const QR_NEXT_TTL_MS = 20_000;
/** How long one slow inbound message may hold the later ones of its chat (see in-order-messages). */
const MESSAGE_STALL_MS = 10_000;

/**
 * One business number over Baileys (a linked device, like WhatsApp Web). Holds at most one socket: a
 * new `connect` ends the previous socket first and silences it, since two sockets on one set of
 * credentials make WhatsApp close both in turn (440) and corrupt Signal sessions.
 */
export function createBaileysProvider(options: BaileysProviderOptions): WhatsAppProvider {
  const { businessNumber, logger } = options;
  const lids = options.lidDirectory;
  const now = options.now ?? (() => Date.now());
  const log = logger.child({ workspaceId: options.workspaceId, meta: { number: businessNumber } });
  const listeners = new Map<keyof ProviderEvents, Set<(event: never) => void>>();
  // Kept outside the socket so retry counts survive reconnects (the library's advice).
  const msgRetryCounterCache = createBoundedCache<unknown>(5_000);
  // Ids this provider sent: their echoes are ours, not the owner typing on the phone.
  const sentIds = createBoundedCache<true>(5_000);
  // Ids already handed over before their receipt (see before-receipt): their upsert is a repeat.
  const deliveredEarly = createBoundedCache<true>(5_000);
  let sock: WASocket | null = null;
  let auth: SqliteAuthState | null = null;
  let open = false;
  let qrCount = 0;
  let generation = 0;
  // The account the stored session is linked to when it is not this number (the owner scanned the QR
  // with another phone). Such a session never delivers a message, is logged out as soon as it is
  // logged in (which takes the device off that phone's list), and closes as linkedToAnotherNumber.
  let linkedElsewhere: E164 | null = null;
  const media = createBaileysMedia(options.media ?? {}, () => (open ? sock : null));

  /** The paired account's number if it differs from this number; only `account` means paired. */
  function otherAccount(creds: Partial<AuthenticationCreds>): E164 | null {
    if (creds.account === undefined || creds.account === null || creds.me?.id === undefined) return null;
    const own = phoneFromJid(jidNormalizedUser(creds.me.id));
    return own !== null && own !== businessNumber ? own : null;
  }

  function emit<K extends keyof ProviderEvents>(event: K, payload: ProviderEvents[K]): void {
    for (const fn of listeners.get(event) ?? []) {
      try {
        (fn as ProviderListener<K>)(payload);
      } catch (error) {
        log.error('error', `a ${event} listener failed`, { error });
      }
    }
  }

  function endSocket(reason: string): void {
    const current = sock;
    sock = null;
    open = false;
    generation++;
    if (current === null) return;
    current.ev.removeAllListeners('connection.update');
    current.ev.removeAllListeners('messages.upsert');
    current.ev.removeAllListeners('messages.update');
    current.ev.removeAllListeners('creds.update');
    current.ev.removeAllListeners('lid-mapping.update');
    // end() on a socket that already closed may throw or reject: either way it is gone, as wanted.
    try {
      void Promise.resolve(current.end(new Error(reason))).catch(() => undefined);
    } catch {
      // Already closed.
    }
  }

  type BoomLike = Error & { output?: { statusCode?: number } };
  function closeInfo(update: { lastDisconnect?: { error?: BoomLike | undefined } | undefined }): CloseInfo {
    const error = update.lastDisconnect?.error;
    const code = error?.output?.statusCode ?? null;
    const message = error?.message ?? 'connection closed';
    // The 515 right after the scan must go on: the next login is what lets the link be logged out.
    if (linkedElsewhere !== null && code !== CLOSE_CODES.restartRequired) {
      return {
        code: CLOSE_CODES.linkedToAnotherNumber,
        message: `linked to ${linkedElsewhere}, not ${businessNumber} (${message})`,
        paired: false,
        qrExhausted: false,
        linkedNumber: linkedElsewhere,
      };
    }
    return {
      code,
      message,
      paired: auth?.isPaired() ?? false,
      qrExhausted: /QR refs attempts ended/i.test(message),
    };
  }

  async function getMessage(key: WAMessageKey): Promise<proto.IMessage | undefined> {
    if (key.id === null || key.id === undefined) return undefined;
    const text = await options.getMessageText(key.id);
    return text === undefined ? undefined : { conversation: text };
  }

  function emitAck(id: string, chatId: string, status: DeliveryStatus, stub: (string | null)[] | null): void {
    // An error ack carries WhatsApp's code (463: may not start new chats) as its first stub parameter.
    const code = status === 'failed' ? (stub?.[0] ?? null) : null;
    emit('ack', {
      businessNumber,
      providerMessageId: id,
      chatId,
      status,
      error:
        status === 'failed' ? { code: code ?? 'unknown', message: 'WhatsApp refused the message' } : null,
      timestamp: now(),
    });
  }

  function requireOpen(action: string): WASocket {
    if (sock === null || !open) {
      throw new SwitchboardError(
        'INTERNAL',
        `Cannot ${action}: ${businessNumber} is not connected to WhatsApp.`,
        {
          reason: 'NOT_CONNECTED',
          number: businessNumber,
        },
      );
    }
    return sock;
  }

  const provider: WhatsAppProvider = {
    kind: 'baileys',
    businessNumber,

    async connect() {
      endSocket('replaced by a new connection');
      const myGeneration = generation;
      // Read fresh each time: a 401 may have wiped the credentials since the last socket.
      const loaded = await loadSqliteAuthState({
        repo: options.authRepo,
        workspaceId: options.workspaceId,
        phoneNumberId: options.phoneNumberId,
        logger: log,
        now,
        ...(lids !== undefined && {
          onLidMappings: (pairs) => lids.learn(businessNumber, pairs, 'key-store'),
        }),
      });
      await lids?.load();
      if (myGeneration !== generation) return; // a newer connect or a disconnect won the race
      auth = loaded;
      qrCount = 0;
      linkedElsewhere = otherAccount(loaded.state.creds);
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
        // download). Baileys stores its mappings in the key store, where onLidMappings (above) takes
        // them; we never listen to 'messaging-history.set', so its chats and messages are dropped
        // unread: no history is imported. RECENT and FULL stay off: they are the bulk, and refusing
        // RECENT is also what keeps Baileys from holding every event for up to 20 s after the first
        // login while it waits for history.
        shouldSyncHistoryMessage: ({ syncType }) =>
          syncType === proto.Message.HistorySyncType.INITIAL_BOOTSTRAP,
        msgRetryCounterCache: msgRetryCounterCache as never,
        getMessage,
        fetchAgent: media.agent,
        ...(options.socket?.waWebSocketUrl !== undefined && {
          waWebSocketUrl: options.socket.waWebSocketUrl,
        }),
        ...(options.socket?.connectTimeoutMs !== undefined && {
          connectTimeoutMs: options.socket.connectTimeoutMs,
        }),
        ...(options.socket?.keepAliveIntervalMs !== undefined && {
          keepAliveIntervalMs: options.socket.keepAliveIntervalMs,
        }),
      });
      sock = socket;
      const mine = () => sock === socket;
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

      socket.ev.on('creds.update', (update) => {
        if (mine() && linkedElsewhere === null && update.account !== undefined) {
          // pair-success: the first moment the scanning phone's account is known.
          const other = otherAccount({ ...loaded.state.creds, ...update });
          if (other !== null) {
            linkedElsewhere = other;
            emit('paired', { ownNumber: other });
          }
        }
        void loaded
          .saveCreds()
          .catch((error: unknown) => log.error('error', 'saving WhatsApp credentials failed', { error }));
      });

      if (lids !== undefined) {
        socket.ev.on('lid-mapping.update', (mapping) => {
          if (mine()) lids.learn(businessNumber, [mapping], 'lid-mapping.update');
        });
      }

      socket.ev.on('connection.update', (update) => {
        if (!mine()) return;
        if (update.qr !== undefined) {
          qrCount++;
          emit('qr', {
            qr: update.qr,
            expiresAt: now() + (qrCount === 1 ? QR_FIRST_TTL_MS : QR_NEXT_TTL_MS),
          });
        }
        if (update.connection === 'connecting') emit('status', { state: 'connecting' });
        if (update.connection === 'open' && linkedElsewhere !== null) {
          log.warn('connection.wrong_phone', `Logging out the session linked to ${linkedElsewhere}`, {
            linkedNumber: linkedElsewhere,
          });
          // logout() removes this device from that phone, then closes with 401 (reported as 1409).
          socket.logout('linked to another number').catch(() => socket.end(undefined));
          return;
        }
        if (update.connection === 'open') {
          open = true;
          const own = phoneFromJid(
            socket.user?.id === undefined ? undefined : jidNormalizedUser(socket.user.id),
          );
          if (own !== null) emit('paired', { ownNumber: own });
          emit('status', { state: 'open', isNewLogin: update.isNewLogin === true });
        }
        if (update.connection === 'close') {
          open = false;
          sock = null;
          socket.ev.removeAllListeners('messages.upsert');
          emit('status', { state: 'closed', close: closeInfo(update) });
        }
      });

      /** One received message to the core: a customer's message, the owner typing on the phone, or noise. */
      const deliver = (msg: WAMessage, offline: boolean, via: 'before-receipt' | 'upsert') => {
        const id = msg.key?.id ?? null;
        if (linkedElsewhere !== null) {
          log.debug('message.skipped', `not for ${businessNumber}: the session is linked to another number`, {
            id,
            via,
          });
          return;
        }
        if (msg.key?.fromMe === true && id !== null && sentIds.has(id)) {
          // Our own echo. Baileys' event buffer folds a receipt (or an error ack) that lands while
          // the echo is still buffered into the echo's status instead of a messages.update: report it.
          const code = msg.status === null || msg.status === undefined ? null : Number(msg.status);
          const status = code === 0 || (code ?? 0) >= 3 ? ackStatus(code) : null;
          if (status !== null) emitAck(id, msg.key.remoteJid ?? '', status, stubParameters(msg));
          return;
        }
        // Learnt before mapping, so this very message is keyed by what it reveals.
        if (lids !== undefined) lids.learn(businessNumber, lidPairsOfKey(msg.key), 'message');
        const mapped = mapBaileysMessage(msg, {
          businessNumber,
          offline,
          now: now(),
          ...(lids !== undefined && { phoneJidOf: (lid: string) => lids.phoneJidOf(lid) }),
        });
        if (mapped.kind === 'inbound') emit('message', mapped.message);
        else if (mapped.kind === 'owner-reply') emit('ownerReply', mapped.reply);
        else log.debug('message.skipped', mapped.reason, { id, via });
      };

      deliverBeforeReceipt(socket, {
        me: () => {
          const me = loaded.state.creds.me;
          return me === undefined ? null : { id: me.id, lid: me.lid ?? '' };
        },
        onDecrypted: (msg, offline) => {
          if (!mine()) return;
          if (msg.key.id !== null && msg.key.id !== undefined) deliveredEarly.set(msg.key.id, true);
          deliver(msg, offline, 'before-receipt');
        },
        onError: (error, id) =>
          log.warn(
            'message.early_failed',
            'Could not read a message before its receipt; using the later copy',
            {
              error,
              id,
            },
          ),
      });

      // Subscribed as soon as the socket exists: offline messages are flushed before 'open' fires.
      socket.ev.on('messages.upsert', ({ messages, type }) => {
        if (!mine()) return;
        for (const msg of messages) {
          const id = msg.key?.id;
          if (id !== null && id !== undefined && deliveredEarly.del(id)) continue;
          deliver(msg, type === 'append', 'upsert');
        }
      });

      socket.ev.on('messages.update', (updates) => {
        if (!mine()) return;
        for (const { key, update } of updates) {
          if (key.fromMe !== true || key.id === null || key.id === undefined || update.status === undefined)
            continue;
          const status = ackStatus(update.status);
          if (status !== null) emitAck(key.id, key.remoteJid ?? '', status, stubParameters(update));
        }
      });
    },

    async disconnect(reason) {
      endSocket(reason);
      await Promise.resolve();
    },

    async requestPairingCode() {
      if (sock === null)
        throw new SwitchboardError('INTERNAL', 'Start the connection before asking for a pairing code.');
      if (auth?.isPaired() === true)
        throw new SwitchboardError('CONFLICT', `${businessNumber} is already linked.`);
      const code = await sock.requestPairingCode(phoneNumberToJidUser(businessNumber));
      emit('pairingCode', { code });
      return code;
    },

    async sendText(chatId: string, text: string, send: SendOptions) {
      const socket = requireOpen('send a message');
      sentIds.set(send.messageId, true);
      const sent = await socket.sendMessage(chatId, { text }, { messageId: send.messageId });
      return { providerMessageId: sent?.key.id ?? send.messageId };
    },

    async sendMedia(chatId, media, send: SendOptions) {
      const socket = requireOpen('send a file');
      sentIds.set(send.messageId, true);
      // Baileys encrypts the file with a fresh media key, uploads it to the host media_conn names
      // (through fetchAgent) and sends the message that carries the key.
      const sent = await socket.sendMessage(chatId, baileysContent(media), { messageId: send.messageId });
      return { providerMessageId: sent?.key.id ?? send.messageId };
    },

    async sendTyping(chatId, state) {
      await requireOpen('show typing').sendPresenceUpdate(state, chatId);
    },

    async markRead(chatId, providerMessageIds) {
      await requireOpen('mark messages read').readMessages(
        providerMessageIds.map((id) => ({ remoteJid: chatId, id, fromMe: false })),
      );
    },

    ownNumber() {
      const id = sock?.user?.id ?? auth?.state.creds.me?.id;
      return id === undefined ? null : phoneFromJid(jidNormalizedUser(id));
    },

    fetchMedia: (ref, limits) => media.download(ref, limits),

    async ping(timeoutMs) {
      const socket = requireOpen('check the connection');
      await socket.query(
        {
          tag: 'iq',
          attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'w:p' },
          content: [{ tag: 'ping', attrs: {} }],
        },
        timeoutMs,
      );
    },

    on(event, listener) {
      let set = listeners.get(event);
      if (set === undefined) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  return provider;
}

function stubParameters(message: { messageStubParameters?: unknown }): (string | null)[] | null {
  const value = message.messageStubParameters;
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : null)) : null;
}

/** Baileys' WebMessageInfo.Status: 2 server ack, 3 delivered, 4 read, 5 played; 0 error. */
function ackStatus(status: number | null): DeliveryStatus | null {
  switch (status) {
    case 0:
      return 'failed';
    case 2:
      return 'sent';
    case 3:
      return 'delivered';
    case 4:
    case 5:
      return 'read';
    default:
      return null;
  }
}
