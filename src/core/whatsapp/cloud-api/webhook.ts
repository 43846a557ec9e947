import { createHmac, timingSafeEqual } from 'node:crypto';
import type { E164 } from '../../../shared/types';
import { normalizePhoneNumber } from '../../phone/normalize-phone-number';
import { SERVICE_WINDOW_MS } from '../../pipeline/service-window';
import {
  NO_FILE,
  type DeliveryAck,
  type DeliveryStatus,
  type InboundMedia,
  type InboundMessage,
  type MessagePricing,
} from '../provider';
import {
  changeValueSchema,
  contactSchema,
  messageSchema,
  notificationSchema,
  statusSchema,
  type WebhookContact,
  type WebhookMessage,
  type WebhookNotification,
  type WebhookStatus,
} from './webhook-schema';

export type { WebhookNotification } from './webhook-schema';

export type WebhookRefusal = 'missing-signature' | 'bad-signature' | 'malformed-json' | 'not-a-notification';

export type ParsedWebhook =
  { ok: true; notification: WebhookNotification } | { ok: false; reason: WebhookRefusal; message: string };

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** Whether the header has the shape `sha256=<64 hex digits>`; says nothing about whether it matches. */
export function isSignatureHeader(signatureHeader: string | null | undefined): boolean {
  return typeof signatureHeader === 'string' && SIGNATURE.test(signatureHeader.trim());
}

/**
 * Checks `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body bytes with the App
 * Secret. Over the bytes as received: re-serialised JSON differs for emoji and accents (Meta escapes
 * them as \uXXXX). The compare is constant-time; only the header's length, which is public, is checked first.
 */
export function verifyWebhookSignature(
  rawBody: Uint8Array,
  signatureHeader: string | null | undefined,
  appSecret: string,
): boolean {
  // An empty secret would make every signature computable by anyone.
  if (appSecret === '' || typeof signatureHeader !== 'string') return false;
  const match = SIGNATURE.exec(signatureHeader.trim());
  if (match === null) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1]!, 'hex'));
}

/**
 * A webhook POST as received -> a notification, or why it must be refused (answer 401 for a signature
 * problem, 400 otherwise; store nothing). Pure: no clock, no I/O.
 */
export function parseWebhook(
  rawBody: Uint8Array | string,
  signatureHeader: string | null | undefined,
  appSecret: string,
): ParsedWebhook {
  const bytes = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  if (typeof signatureHeader !== 'string' || signatureHeader.trim() === '') {
    return { ok: false, reason: 'missing-signature', message: 'No X-Hub-Signature-256 header' };
  }
  if (!verifyWebhookSignature(bytes, signatureHeader, appSecret)) {
    return { ok: false, reason: 'bad-signature', message: 'X-Hub-Signature-256 does not match the body' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'malformed-json', message: `Body is not JSON: ${(error as Error).message}` };
  }
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'not-a-notification',
      message: `Not a WhatsApp Business Account notification: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    };
  }
  return { ok: true, notification: parsed.data };
}

export interface MapNotificationOptions {
  /** Our number for a phone_number_id, or undefined when no number here has that id. */
  numberFor(phoneNumberId: string, displayPhoneNumber: string): E164 | undefined;
}

export interface UnknownNumberChange {
  phoneNumberId: string;
  displayPhoneNumber: string;
  messages: number;
  statuses: number;
}

export interface MappedNotification {
  messages: InboundMessage[];
  acks: DeliveryAck[];
  /** Changes for a phone_number_id no number here has: never answered; the caller keeps or refuses them. */
  unknown: UnknownNumberChange[];
  /** Items left out and why (another webhook field, an untracked status, an item that failed validation). */
  skipped: { reason: string; id: string | null }[];
}

/** One notification -> the provider-neutral messages and acks it carries. Pure; one POST may carry many. */
export function mapNotification(
  notification: WebhookNotification,
  options: MapNotificationOptions,
): MappedNotification {
  const out: MappedNotification = { messages: [], acks: [], unknown: [], skipped: [] };
  for (const entry of notification.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') {
        out.skipped.push({ reason: `field ${change.field}`, id: null });
        continue;
      }
      const value = changeValueSchema.safeParse(change.value);
      if (!value.success) {
        out.skipped.push({ reason: 'a messages change without metadata', id: null });
        continue;
      }
      const { metadata } = value.data;
      const rawMessages = value.data.messages ?? [];
      const rawStatuses = value.data.statuses ?? [];
      const businessNumber = options.numberFor(metadata.phone_number_id, metadata.display_phone_number);
      if (businessNumber === undefined) {
        out.unknown.push({
          phoneNumberId: metadata.phone_number_id,
          displayPhoneNumber: metadata.display_phone_number,
          messages: rawMessages.length,
          statuses: rawStatuses.length,
        });
        continue;
      }
      const contacts = (value.data.contacts ?? []).flatMap((c) => {
        const parsed = contactSchema.safeParse(c);
        return parsed.success ? [parsed.data] : [];
      });
      rawMessages.forEach((raw, index) => {
        const parsed = messageSchema.safeParse(raw);
        if (!parsed.success) {
          out.skipped.push({ reason: 'a message that does not match the documented shape', id: idOf(raw) });
          return;
        }
        const contact = contactFor(parsed.data, contacts, index, rawMessages.length);
        const message = toInbound(parsed.data, contact, businessNumber);
        if (message === null) out.skipped.push({ reason: 'a message with no sender id', id: parsed.data.id });
        else out.messages.push(message);
      });
      for (const raw of rawStatuses) {
        const parsed = statusSchema.safeParse(raw);
        if (!parsed.success) {
          out.skipped.push({ reason: 'a status that does not match the documented shape', id: idOf(raw) });
          continue;
        }
        const ack = toAck(parsed.data, businessNumber);
        if (ack === null) out.skipped.push({ reason: `status ${parsed.data.status}`, id: parsed.data.id });
        else out.acks.push(ack);
      }
    }
  }
  return out;
}

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

/**
 * Which entry of `contacts` wrote this message. By wa_id when there is one; a username customer's
 * `from` is empty, so then by position (Meta lists one contact per message) or the only contact.
 */
function contactFor(
  message: WebhookMessage,
  contacts: WebhookContact[],
  index: number,
  messageCount: number,
): WebhookContact | undefined {
  if (message.from !== '') {
    const byId = contacts.find((c) => c.wa_id === message.from);
    if (byId !== undefined) return byId;
  }
  if (contacts.length === 1) return contacts[0];
  if (contacts.length === messageCount) return contacts[index];
  return undefined;
}

function toInbound(
  m: WebhookMessage,
  contact: WebhookContact | undefined,
  businessNumber: E164,
): InboundMessage | null {
  // A username customer has no phone number: the business-scoped user_id is the only address.
  const waId = m.from !== '' ? m.from : (contact?.user_id ?? '');
  if (waId === '') return null;
  const phone = m.from !== '' ? normalizePhoneNumber(`+${m.from}`, 'NG') : null;
  const { kind, text, media } = contentOf(m);
  return {
    ...(media !== undefined && { media }),
    businessNumber,
    providerMessageId: m.id,
    chatId: waId,
    // The Cloud API delivers one-to-one chats only.
    chatKind: 'direct',
    sender: {
      phone: phone?.ok === true ? phone.value : null,
      waId,
      name: contact?.profile?.name ?? null,
    },
    kind,
    text,
    timestamp: m.timestamp * 1000,
    // Webhooks are pushed live; a backlog after an outage shows in `timestamp`, which decide() checks.
    offline: false,
    quotedId: m.context?.id ?? null,
    replyWindowMs: SERVICE_WINDOW_MS,
  };
}

const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;

function contentOf(m: WebhookMessage): {
  kind: InboundMessage['kind'];
  text: string | null;
  media?: InboundMedia;
} {
  switch (m.type) {
    case 'text':
      return { kind: 'text', text: m.text?.body ?? null };
    case 'interactive': {
      const title = m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title;
      return title === undefined ? { kind: 'unsupported', text: null } : { kind: 'text', text: title };
    }
    case 'button':
      return m.button === undefined
        ? { kind: 'unsupported', text: null }
        : { kind: 'text', text: m.button.text };
    default: {
      const media = (MEDIA_TYPES as readonly string[]).includes(m.type)
        ? m[m.type as (typeof MEDIA_TYPES)[number]]
        : undefined;
      if (media !== undefined) {
        const caption = media.caption ?? null;
        const inbound: InboundMedia = {
          kind: m.type === 'audio' && media.voice === true ? 'voice' : (m.type as InboundMedia['kind']),
          mime: media.mime_type ?? null,
          size: null,
          fileName: media.filename ?? null,
          caption,
          durationSeconds: null,
          thumbnail: null,
          ref: JSON.stringify({ id: media.id, sha256: media.sha256 ?? null }),
        };
        // A caption is text the bot reads; a sticker needs no answer; any other file goes to a person.
        if (caption !== null && caption.trim() !== '') return { kind: 'text', text: caption, media: inbound };
        return { kind: m.type === 'sticker' ? 'unsupported' : 'media', text: null, media: inbound };
      }
      const shared = sharedPlaceOrCard(m);
      // Like a bare photo, a place or a contact card goes to a person.
      if (shared !== undefined) return { kind: 'media', text: null, media: shared };
      // reaction, order, system, unsupported: nothing a text bot answers.
      return { kind: 'unsupported', text: null };
    }
  }
}

/** A location or contact card, in the shape a Baileys one takes (nothing to download). */
function sharedPlaceOrCard(m: WebhookMessage): InboundMedia | undefined {
  if (m.type === 'location' && m.location !== undefined) {
    const { latitude, longitude, name, address } = m.location;
    return {
      kind: 'location',
      ...NO_FILE,
      location: { latitude, longitude, name: name ?? null, address: address ?? null },
    };
  }
  const cards = m.type === 'contacts' ? (m.contacts ?? []) : [];
  const first = cards[0];
  if (first === undefined) return undefined;
  const phone = first.phones?.find((p) => p.wa_id !== undefined && /^\d{6,15}$/.test(p.wa_id));
  const name = first.name?.formatted_name ?? first.name?.first_name ?? 'Contact';
  return {
    kind: 'contact',
    ...NO_FILE,
    contact: {
      // Several cards in one message: the first is shown, the count of the others said.
      name: cards.length > 1 ? `${name} and ${cards.length - 1} more` : name,
      phone: phone !== undefined ? `+${phone.wa_id}` : (first.phones?.[0]?.phone ?? null),
    },
  };
}

const TRACKED: readonly string[] = ['sent', 'delivered', 'read', 'failed'] satisfies DeliveryStatus[];

function toAck(s: WebhookStatus, businessNumber: E164): DeliveryAck | null {
  if (!TRACKED.includes(s.status)) return null;
  const first = s.errors?.[0];
  const details = first?.error_data?.details;
  return {
    businessNumber,
    providerMessageId: s.id,
    chatId: s.recipient_id ?? '',
    status: s.status as DeliveryStatus,
    error:
      first === undefined
        ? null
        : {
            code: String(first.code),
            message: [first.title ?? first.message ?? 'failed', details].filter(Boolean).join(': '),
          },
    timestamp: s.timestamp * 1000,
    clientMessageId: s.biz_opaque_callback_data ?? null,
    pricing: s.pricing === undefined ? null : toPricing(s.pricing),
  };
}

function toPricing(p: NonNullable<WebhookStatus['pricing']>): MessagePricing {
  return {
    billable: p.billable ?? false,
    model: p.pricing_model ?? null,
    category: p.category ?? null,
    type: p.type ?? null,
  };
}
