import { jidNormalizedUser } from '@whiskeysockets/baileys';
import { SwitchboardError } from '../../errors';
import { phoneNumberToJidUser } from '../../phone/normalize-phone-number';
import { createBoundedCache } from '../bounded-cache';
import type { SendOptions, WhatsAppProvider } from '../provider';
import { createProviderListeners } from '../provider-listeners';
import type { BaileysProviderOptions } from './baileys-options';
import { wireConnectionEvents } from './baileys-connection-events';
import { wireInboundEvents } from './baileys-inbound';
import {
  endSocket,
  otherAccount,
  requireOpen,
  type BaileysContext,
  newBaileysSession,
} from './baileys-session';
import { openBaileysSocket } from './baileys-socket';
import { phoneFromJid } from './message-mapper';
import { baileysContent, createBaileysMedia } from './media-transfer';
import { loadSqliteAuthState } from './sqlite-auth-state';

export type { BaileysProviderOptions } from './baileys-options';

/**
 * One business number over Baileys (a linked device, like WhatsApp Web), composed of named parts: the
 * session (baileys-session), the socket (baileys-socket), its connection events and its inbound
 * messages. Holds at most one socket: a new `connect` ends the previous socket first and silences it,
 * since two sockets on one set of credentials make WhatsApp close both in turn (440) and corrupt
 * Signal sessions.
 */
export function createBaileysProvider(options: BaileysProviderOptions): WhatsAppProvider {
  const { businessNumber } = options;
  const log = options.logger.child({ workspaceId: options.workspaceId, meta: { number: businessNumber } });
  const listeners = createProviderListeners(log);
  const session = newBaileysSession();
  const ctx: BaileysContext = {
    options,
    businessNumber,
    log,
    now: options.now ?? (() => Date.now()),
    lids: options.lidDirectory,
    emit: listeners.emit,
    session,
    msgRetryCounterCache: createBoundedCache<unknown>(5_000),
    sentIds: createBoundedCache<true>(5_000),
    deliveredEarly: createBoundedCache<true>(5_000),
    media: createBaileysMedia(options.media ?? {}, () => (session.open ? session.sock : null)),
  };

  return {
    kind: 'baileys',
    businessNumber,
    connect: () => connect(ctx),
    async disconnect(reason) {
      endSocket(session, reason);
      await Promise.resolve();
    },
    async requestPairingCode() {
      if (session.sock === null)
        throw new SwitchboardError('INTERNAL', 'Start the connection before asking for a pairing code.');
      if (session.auth?.isPaired() === true)
        throw new SwitchboardError('CONFLICT', `${businessNumber} is already linked.`);
      const code = await session.sock.requestPairingCode(phoneNumberToJidUser(businessNumber));
      listeners.emit('pairingCode', { code });
      return code;
    },
    async sendText(chatId: string, text: string, send: SendOptions) {
      const socket = requireOpen(ctx, 'send a message');
      ctx.sentIds.set(send.messageId, true);
      const sent = await socket.sendMessage(chatId, { text }, { messageId: send.messageId });
      return { providerMessageId: sent?.key.id ?? send.messageId };
    },
    async sendMedia(chatId, media, send: SendOptions) {
      const socket = requireOpen(ctx, 'send a file');
      ctx.sentIds.set(send.messageId, true);
      // Baileys encrypts the file with a fresh media key, uploads it to the host media_conn names
      // (through fetchAgent) and sends the message that carries the key.
      const sent = await socket.sendMessage(chatId, baileysContent(media), { messageId: send.messageId });
      return { providerMessageId: sent?.key.id ?? send.messageId };
    },
    async sendTyping(chatId, state) {
      await requireOpen(ctx, 'show typing').sendPresenceUpdate(state, chatId);
    },
    async markRead(chatId, providerMessageIds) {
      await requireOpen(ctx, 'mark messages read').readMessages(
        providerMessageIds.map((id) => ({ remoteJid: chatId, id, fromMe: false })),
      );
    },
    ownNumber() {
      const id = session.sock?.user?.id ?? session.auth?.state.creds.me?.id;
      return id === undefined ? null : phoneFromJid(jidNormalizedUser(id));
    },
    fetchMedia: (ref, limits) => ctx.media.download(ref, limits),
    async ping(timeoutMs) {
      const socket = requireOpen(ctx, 'check the connection');
      await socket.query(
        {
          tag: 'iq',
          attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'w:p' },
          content: [{ tag: 'ping', attrs: {} }],
        },
        timeoutMs,
      );
    },
    on: listeners.on,
  };
}

/** Ends any socket before, loads the credentials fresh and opens a new socket with its events wired. */
async function connect(ctx: BaileysContext): Promise<void> {
  const { session, options, businessNumber, lids } = ctx;
  endSocket(session, 'replaced by a new connection');
  const myGeneration = session.generation;
  // Read fresh each time: a 401 may have wiped the credentials since the last socket.
  const loaded = await loadSqliteAuthState({
    repo: options.authRepo,
    workspaceId: options.workspaceId,
    phoneNumberId: options.phoneNumberId,
    logger: ctx.log,
    now: ctx.now,
    ...(lids !== undefined && {
      onLidMappings: (pairs) => lids.learn(businessNumber, pairs, 'key-store'),
    }),
  });
  await lids?.load();
  if (myGeneration !== session.generation) return; // a newer connect or a disconnect won the race
  session.auth = loaded;
  session.qrCount = 0;
  session.linkedElsewhere = otherAccount(loaded.state.creds, businessNumber);
  const socket = openBaileysSocket(ctx, loaded);
  session.sock = socket;
  wireConnectionEvents(ctx, socket, loaded);
  wireInboundEvents(ctx, socket, loaded);
}
