import type { WAMessage, WASocket } from '@whiskeysockets/baileys';
import type { DeliveryStatus } from '../provider';
import type { BaileysContext } from './baileys-session';
import { deliverBeforeReceipt } from './before-receipt';
import { lidPairsOfKey } from './lid-directory';
import { mapBaileysMessage } from './message-mapper';
import type { SqliteAuthState } from './sqlite-auth-state';

/**
 * The socket's received messages and receipts, as the provider's 'message', 'ownerReply' and 'ack'
 * events. Subscribed as soon as the socket exists: offline messages are flushed before 'open' fires.
 */
export function wireInboundEvents(ctx: BaileysContext, socket: WASocket, loaded: SqliteAuthState): void {
  const { log, deliveredEarly } = ctx;
  const mine = () => ctx.session.sock === socket;

  deliverBeforeReceipt(socket, {
    me: () => {
      const me = loaded.state.creds.me;
      return me === undefined ? null : { id: me.id, lid: me.lid ?? '' };
    },
    onDecrypted: (msg, offline) => {
      if (!mine()) return;
      if (msg.key.id !== null && msg.key.id !== undefined) deliveredEarly.set(msg.key.id, true);
      deliver(ctx, msg, offline, 'before-receipt');
    },
    onError: (error, id) =>
      log.warn('message.early_failed', 'Could not read a message before its receipt; using the later copy', {
        error,
        id,
      }),
  });

  socket.ev.on('messages.upsert', ({ messages, type }) => {
    if (!mine()) return;
    for (const msg of messages) {
      const id = msg.key?.id;
      if (id !== null && id !== undefined && deliveredEarly.del(id)) continue;
      deliver(ctx, msg, type === 'append', 'upsert');
    }
  });

  socket.ev.on('messages.update', (updates) => {
    if (!mine()) return;
    for (const { key, update } of updates) {
      if (key.fromMe !== true || key.id === null || key.id === undefined || update.status === undefined)
        continue;
      const status = ackStatus(update.status);
      if (status !== null) emitAck(ctx, key.id, key.remoteJid ?? '', status, stubParameters(update));
    }
  });
}

/** One received message to the core: a customer's message, the owner typing on the phone, or noise. */
function deliver(
  ctx: BaileysContext,
  msg: WAMessage,
  offline: boolean,
  via: 'before-receipt' | 'upsert',
): void {
  const { businessNumber, lids, log, emit } = ctx;
  const id = msg.key?.id ?? null;
  if (ctx.session.linkedElsewhere !== null) {
    log.debug('message.skipped', `not for ${businessNumber}: the session is linked to another number`, {
      id,
      via,
    });
    return;
  }
  if (msg.key?.fromMe === true && id !== null && ctx.sentIds.has(id)) {
    // Our own echo. Baileys' event buffer folds a receipt (or an error ack) that lands while
    // the echo is still buffered into the echo's status instead of a messages.update: report it.
    const code = msg.status === null || msg.status === undefined ? null : Number(msg.status);
    const status = code === 0 || (code ?? 0) >= 3 ? ackStatus(code) : null;
    if (status !== null) emitAck(ctx, id, msg.key.remoteJid ?? '', status, stubParameters(msg));
    return;
  }
  // Learnt before mapping, so this very message is keyed by what it reveals.
  if (lids !== undefined) lids.learn(businessNumber, lidPairsOfKey(msg.key), 'message');
  const mapped = mapBaileysMessage(msg, {
    businessNumber,
    offline,
    now: ctx.now(),
    ...(lids !== undefined && { phoneJidOf: (lid: string) => lids.phoneJidOf(lid) }),
  });
  if (mapped.kind === 'inbound') emit('message', mapped.message);
  else if (mapped.kind === 'owner-reply') emit('ownerReply', mapped.reply);
  else log.debug('message.skipped', mapped.reason, { id, via });
}

function emitAck(
  ctx: BaileysContext,
  id: string,
  chatId: string,
  status: DeliveryStatus,
  stub: (string | null)[] | null,
): void {
  // An error ack carries WhatsApp's code (463: may not start new chats) as its first stub parameter.
  const code = status === 'failed' ? (stub?.[0] ?? null) : null;
  ctx.emit('ack', {
    businessNumber: ctx.businessNumber,
    providerMessageId: id,
    chatId,
    status,
    error: status === 'failed' ? { code: code ?? 'unknown', message: 'WhatsApp refused the message' } : null,
    timestamp: ctx.now(),
  });
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
