import {
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isJidStatusBroadcast,
  isLidUser,
  isPnUser,
  jidNormalizedUser,
  normalizeMessageContent,
  proto,
  type WAMessage,
} from '@whiskeysockets/baileys';
import type { E164 } from '../../../shared/types';
import { normalizePhoneNumber } from '../../phone/normalize-phone-number';
import type { ChatKind, InboundMessage, OwnerReply } from '../provider';
import { mediaOfMessage } from './media-of-message';

/** What one Baileys message means to the core; `skip` carries the reason for the log. */
export type MappedMessage =
  | { kind: 'inbound'; message: InboundMessage }
  | { kind: 'owner-reply'; reply: OwnerReply }
  | { kind: 'skip'; reason: string };

export function chatKindOf(jid: string): ChatKind {
  if (isJidStatusBroadcast(jid)) return 'status';
  if (isJidGroup(jid)) return 'group';
  if (isJidNewsletter(jid)) return 'newsletter';
  if (isJidBroadcast(jid)) return 'broadcast';
  return 'direct';
}

/** `2348031234567:12@s.whatsapp.net` -> `+2348031234567`; a LID or anything else -> null. */
export function phoneFromJid(jid: string | null | undefined): E164 | null {
  if (jid === null || jid === undefined || isPnUser(jid) !== true) return null;
  const result = normalizePhoneNumber(jid, 'NG');
  return result.ok ? result.value : null;
}

/**
 * The phone-number JID (no device) behind `jid`: itself when it is one; for a LID, the message's alt
 * address when that is a phone number, else what the workspace learnt earlier; otherwise null.
 */
export function phoneJidOf(
  jid: string,
  alt: string | null | undefined,
  knownPhoneJidOf: (lid: string) => string | undefined,
): string | null {
  if (isPnUser(jid) === true) return jidNormalizedUser(jid);
  if (isLidUser(jid) !== true) return null;
  if (typeof alt === 'string' && isPnUser(alt) === true) return jidNormalizedUser(alt);
  return knownPhoneJidOf(jid) ?? null;
}

const nothingKnown = () => undefined;

/** Text a customer typed, wherever this message type keeps it. */
export function extractText(content: proto.IMessage | null | undefined): string | null {
  const m = normalizeMessageContent(content);
  if (m === undefined || m === null) return null;
  return (
    m.conversation ??
    m.extendedTextMessage?.text ??
    m.imageMessage?.caption ??
    m.videoMessage?.caption ??
    m.documentMessage?.caption ??
    m.buttonsResponseMessage?.selectedDisplayText ??
    m.listResponseMessage?.title ??
    m.templateButtonReplyMessage?.selectedDisplayText ??
    null
  );
}

const MEDIA_KEYS = [
  'imageMessage',
  'videoMessage',
  'audioMessage',
  'documentMessage',
  'stickerMessage',
  'locationMessage',
  'contactMessage',
] as const;

/** Messages that carry no customer content: key distribution, edits, reactions, receipts of sorts. */
function isProtocolOnly(m: proto.IMessage): boolean {
  const keys = Object.keys(m).filter(
    (k) => (m as Record<string, unknown>)[k] !== null && (m as Record<string, unknown>)[k] !== undefined,
  );
  const protocol = new Set([
    'senderKeyDistributionMessage',
    'protocolMessage',
    'reactionMessage',
    'messageContextInfo',
    'pollUpdateMessage',
    'keepInChatMessage',
    'pinInChatMessage',
  ]);
  return keys.length > 0 && keys.every((k) => protocol.has(k));
}

function toMillis(ts: WAMessage['messageTimestamp'], fallback: number): number {
  if (ts === null || ts === undefined) return fallback;
  const seconds = typeof ts === 'number' ? ts : Number(ts.toString());
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallback;
}

/**
 * Maps one `messages.upsert` entry. `offline` is true for 'append' (delivered after the app was away).
 * Nothing here throws: an odd message becomes `skip` with a reason, so one bad message never stops the
 * ones after it.
 */
export function mapBaileysMessage(
  msg: WAMessage,
  context: {
    businessNumber: E164;
    offline: boolean;
    now: number;
    /** The workspace's LID -> phone-number JID map (lid-directory.ts). */
    phoneJidOf?: (lid: string) => string | undefined;
  },
): MappedMessage {
  const key = msg.key;
  const remoteJid = key?.remoteJid;
  const id = key?.id;
  if (remoteJid === null || remoteJid === undefined || id === null || id === undefined) {
    return { kind: 'skip', reason: 'message without a chat or id' };
  }
  const timestamp = toMillis(msg.messageTimestamp, context.now);
  const text = extractText(msg.message);
  const known = context.phoneJidOf ?? nothingKnown;
  const chatKind = chatKindOf(remoteJid);
  // One customer, one chat: a direct chat is keyed by the phone-number JID whenever it is known, so
  // writing by phone number one day and by LID the next (WhatsApp's LID migration) stays one
  // conversation, one greeting, one pause; replies go to the phone-number JID, which always arrives.
  const chatId =
    chatKind === 'direct' ? (phoneJidOf(remoteJid, key.remoteJidAlt, known) ?? remoteJid) : remoteJid;

  if (key.fromMe === true) {
    if (msg.message === null || msg.message === undefined || isProtocolOnly(msg.message)) {
      return { kind: 'skip', reason: 'own protocol message' };
    }
    return {
      kind: 'owner-reply',
      reply: {
        businessNumber: context.businessNumber,
        chatId,
        providerMessageId: id,
        text,
        timestamp,
      },
    };
  }

  // In a group the sender is the participant; in a direct chat it is the chat itself.
  const senderJid = chatKind === 'group' ? (key.participant ?? remoteJid) : remoteJid;
  const altJid = chatKind === 'group' ? key.participantAlt : key.remoteJidAlt;
  // A contact may write from a LID (WhatsApp's private id); the phone number then travels in the alt
  // JID, or was learnt before.
  const phone = phoneFromJid(phoneJidOf(senderJid, altJid, known));
  const sender = { phone, waId: senderJid, name: msg.pushName ?? null };
  const quotedId = normalizeMessageContent(msg.message)?.extendedTextMessage?.contextInfo?.stanzaId ?? null;
  const base = {
    businessNumber: context.businessNumber,
    providerMessageId: id,
    chatId,
    chatKind,
    sender,
    timestamp,
    offline: context.offline,
    quotedId,
  };

  if (msg.message === null || msg.message === undefined) {
    if (msg.messageStubType === proto.WebMessageInfo.StubType.CIPHERTEXT) {
      return { kind: 'inbound', message: { ...base, kind: 'undecryptable', text: null } };
    }
    return { kind: 'skip', reason: `stub message (${msg.messageStubType ?? 'no content'})` };
  }
  if (isProtocolOnly(msg.message)) return { kind: 'skip', reason: 'protocol message' };
  const content = normalizeMessageContent(msg.message);
  const media = content ? mediaOfMessage(content, key) : undefined;
  const withMedia = media === undefined ? {} : { media };
  // A caption is text the bot reads; a file without one is media (a person looks at it), except a
  // sticker, which needs no answer.
  if (text !== null) return { kind: 'inbound', message: { ...base, ...withMedia, kind: 'text', text } };
  const isMedia =
    content !== undefined && MEDIA_KEYS.some((k) => content[k] !== null && content[k] !== undefined);
  const kind = isMedia && media?.kind !== 'sticker' ? 'media' : 'unsupported';
  return { kind: 'inbound', message: { ...base, ...withMedia, kind, text: null } };
}
