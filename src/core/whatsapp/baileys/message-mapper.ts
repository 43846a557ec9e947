import {
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isJidStatusBroadcast,
  isLidUser,
  isPnUser,
  normalizeMessageContent,
  proto,
  type WAMessage,
} from '@whiskeysockets/baileys';
import type { E164 } from '../../../shared/types';
import { normalizePhoneNumber } from '../../phone/normalize-phone-number';
import type { ChatKind, InboundMessage, OwnerReply } from '../provider';

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
  context: { businessNumber: E164; offline: boolean; now: number },
): MappedMessage {
  const key = msg.key;
  const remoteJid = key?.remoteJid;
  const id = key?.id;
  if (remoteJid === null || remoteJid === undefined || id === null || id === undefined) {
    return { kind: 'skip', reason: 'message without a chat or id' };
  }
  const timestamp = toMillis(msg.messageTimestamp, context.now);
  const text = extractText(msg.message);

  if (key.fromMe === true) {
    if (msg.message === null || msg.message === undefined || isProtocolOnly(msg.message)) {
      return { kind: 'skip', reason: 'own protocol message' };
    }
    return {
      kind: 'owner-reply',
      reply: {
        businessNumber: context.businessNumber,
        chatId: remoteJid,
        providerMessageId: id,
        text,
        timestamp,
      },
    };
  }

  const chatKind = chatKindOf(remoteJid);
  // In a group the sender is the participant; in a direct chat it is the chat itself.
  const senderJid = chatKind === 'group' ? (key.participant ?? remoteJid) : remoteJid;
  const altJid = chatKind === 'group' ? key.participantAlt : key.remoteJidAlt;
  // A contact may write from a LID (WhatsApp's private id); the phone number then travels in the alt JID.
  const phone = phoneFromJid(senderJid) ?? (isLidUser(senderJid) === true ? phoneFromJid(altJid) : null);
  const sender = { phone, waId: senderJid, name: msg.pushName ?? null };
  const quotedId = normalizeMessageContent(msg.message)?.extendedTextMessage?.contextInfo?.stanzaId ?? null;
  const base = {
    businessNumber: context.businessNumber,
    providerMessageId: id,
    chatId: remoteJid,
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
  if (text !== null) return { kind: 'inbound', message: { ...base, kind: 'text', text } };
  const content = normalizeMessageContent(msg.message);
  const isMedia =
    content !== undefined && MEDIA_KEYS.some((k) => content[k] !== null && content[k] !== undefined);
  return { kind: 'inbound', message: { ...base, kind: isMedia ? 'media' : 'unsupported', text: null } };
}
