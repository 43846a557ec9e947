import type { MediaKind } from '../../shared/media-contract';
import type { OutboundMediaKind } from '../../shared/media-send-contract';
import type { E164, ProviderKind } from '../../shared/types';

/**
 * The one interface the rest of the core uses to talk to WhatsApp. Baileys (an unofficial linked
 * device) and Meta's Cloud API both sit behind it; nothing outside `whatsapp/<provider>/` sees either
 * library's types. One provider instance serves one business number.
 */

/** What kind of chat a message came from; the pipeline ignores some of these per workspace. */
export type ChatKind = 'direct' | 'group' | 'status' | 'broadcast' | 'newsletter';

export interface InboundMessage {
  /** The shop's number that received it: the routing key. */
  businessNumber: E164;
  providerMessageId: string;
  /** Where a reply goes (a JID for Baileys, the customer's wa_id for the Cloud API). */
  chatId: string;
  chatKind: ChatKind;
  sender: {
    /** The customer's phone number when known; a LID-only sender may not reveal it. */
    phone: E164 | null;
    /** The id they wrote from (phone JID or LID for Baileys, wa_id or user_id for the Cloud API). */
    waId: string;
    name: string | null;
  };
  /** `undecryptable` arrives as a stub with no content: logged, never answered. */
  kind: 'text' | 'media' | 'undecryptable' | 'unsupported';
  text: string | null;
  /** Provider's send time, UTC ms. */
  timestamp: number;
  /** Delivered on reconnect after the app was offline (Baileys 'append'), not live. */
  offline: boolean;
  quotedId: string | null;
  /** A photo, voice note, document, location... (its caption, if any, is `text`). */
  media?: InboundMedia;
  /**
   * How long after `timestamp` a free-form reply may still be sent (the Cloud API's 24-hour customer
   * service window); absent when the provider sets no limit (Baileys).
   */
  replyWindowMs?: number;
}

/** What a message's media is, as the sender declared it; the file itself is fetched after ingest. */
export interface InboundMedia {
  kind: MediaKind;
  mime: string | null;
  size: number | null;
  fileName: string | null;
  caption: string | null;
  durationSeconds: number | null;
  /** The small JPEG the sender attached (images, video), base64. */
  thumbnail: string | null;
  location?: { latitude: number; longitude: number; name: string | null; address: string | null };
  contact?: { name: string; phone: string | null };
  /** What the provider's `fetchMedia` takes (opaque JSON); null when there is no file. */
  ref: string | null;
}

/** The rest of an InboundMedia that has no file (a location, a contact card): nothing to fetch. */
export const NO_FILE = {
  mime: null,
  size: null,
  fileName: null,
  caption: null,
  durationSeconds: null,
  thumbnail: null,
  ref: null,
} as const satisfies Partial<InboundMedia>;

/** The owner answered a chat by hand from their phone: the pipeline pauses the bot there. */
export interface OwnerReply {
  businessNumber: E164;
  chatId: string;
  providerMessageId: string;
  text: string | null;
  timestamp: number;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface DeliveryAck {
  businessNumber: E164;
  providerMessageId: string;
  chatId: string;
  status: DeliveryStatus;
  error: { code: string; message: string } | null;
  timestamp: number;
  /**
   * The caller's id for the message (SendOptions.messageId) when the provider could not use it as the
   * message id: the Cloud API echoes it from `biz_opaque_callback_data`. Absent when it equals
   * providerMessageId (Baileys) or is unknown.
   */
  clientMessageId?: string | null;
  /** What WhatsApp says this message costs, when it says (Cloud API status webhooks). */
  pricing?: MessagePricing | null;
}

export interface MessagePricing {
  billable: boolean;
  /** 'PMP' (per message) since July 2025; older notifications say 'CBP'. */
  model: string | null;
  /** 'service', 'utility', 'marketing', 'authentication', ... */
  category: string | null;
  /** e.g. 'free_customer_service', 'regular'. */
  type: string | null;
}

/** Why a connection closed, in provider-neutral terms; `code` is WhatsApp's (Baileys' DisconnectReason). */
export interface CloseInfo {
  code: number | null;
  message: string;
  /** Whether this number has stored credentials (a paired device). */
  paired: boolean;
  /** The server stopped offering QR codes: nobody scanned in time. */
  qrExhausted: boolean;
  /** The WhatsApp account the session was linked to, when it is not this number (a QR scanned with
   * another phone); the provider closed it on purpose with CLOSE_CODES.linkedToAnotherNumber. */
  linkedNumber?: E164;
}

export type ProviderStatus =
  { state: 'connecting' } | { state: 'open'; isNewLogin: boolean } | { state: 'closed'; close: CloseInfo };

export interface ProviderEvents {
  qr: { qr: string; expiresAt: number };
  pairingCode: { code: string };
  status: ProviderStatus;
  message: InboundMessage;
  ownerReply: OwnerReply;
  ack: DeliveryAck;
  /** The provider's credentials were paired or changed (e.g. after a scan). */
  paired: { ownNumber: E164 };
}

export type ProviderListener<K extends keyof ProviderEvents> = (event: ProviderEvents[K]) => void;

export interface SendOptions {
  /** Chosen by the caller (the outbox row id), so a send retried after a crash keeps its id. */
  messageId: string;
  quotedId?: string;
}

/** A file the business sends: the bytes from the media store, with what WhatsApp shows of it. */
export interface OutboundMedia {
  kind: OutboundMediaKind;
  data: Buffer;
  mime: string;
  fileName: string | null;
  /** Photos and documents; WhatsApp shows no caption on a voice note or audio. */
  caption: string | null;
}

/** A message with rows to pick from (a Cloud API interactive list); a pick arrives as the row's title. */
export interface OutboundList {
  body: string;
  /** The button that opens the list. */
  button: string;
  rows: { id: string; title: string; description?: string }[];
}

export interface WhatsAppProvider {
  readonly kind: ProviderKind;
  readonly businessNumber: E164;
  /**
   * Opens one connection. Resolves once the attempt has started; the outcome arrives as `status`
   * events. Calling it while a connection is live ends that one first: never two sockets per number.
   */
  connect(): Promise<void>;
  /**
   * Ends the live connection, if any, without logging out. A socket ended by `disconnect` or replaced
   * by `connect` emits no further events: only closes the caller did not ask for reach the supervisor.
   */
  disconnect(reason: string): Promise<void>;
  /** Asks for an 8-character code the owner types on the phone, instead of scanning a QR. */
  requestPairingCode(): Promise<string>;
  sendText(chatId: string, text: string, options: SendOptions): Promise<{ providerMessageId: string }>;
  /**
   * Sends a photo, document, voice note or audio with the same id rules as `sendText`. Throws like it
   * (a SwitchboardError with `sendClass` when the provider knows whether a retry can help).
   */
  sendMedia?(
    chatId: string,
    media: OutboundMedia,
    options: SendOptions,
  ): Promise<{ providerMessageId: string }>;
  /**
   * Sends a list to pick from, with the same id rules as `sendText`. Absent where WhatsApp has no such
   * message for a business (a linked phone): the caller sends numbered text instead.
   */
  sendList?(chatId: string, list: OutboundList, options: SendOptions): Promise<{ providerMessageId: string }>;
  sendTyping(chatId: string, state: 'composing' | 'paused'): Promise<void>;
  markRead(chatId: string, providerMessageIds: string[]): Promise<void>;
  /** The paired account's number, or null while unpaired. */
  ownNumber(): E164 | null;
  /**
   * Fetches and checks a message's file (`InboundMedia.ref`), at most `maxBytes`. Throws MediaError.
   * Returns a new `ref` when the provider had to renew the link (Baileys asks the sender's phone to
   * upload an expired file again), so the next download starts from it.
   */
  fetchMedia?(ref: string, limits: { maxBytes: number }): Promise<{ data: Buffer; ref?: string }>;
  /** A cheap round trip to the server; rejects on timeout. Catches sockets that look open but are dead. */
  ping(timeoutMs: number): Promise<void>;
  on<K extends keyof ProviderEvents>(event: K, listener: ProviderListener<K>): () => void;
}
