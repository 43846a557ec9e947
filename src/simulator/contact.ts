// A simulated customer: a phone number, a LID, a full Signal identity, and a record of everything the
// business's client did towards them (replies, typing, read receipts).
import { randomBytes } from 'node:crypto';
import { proto } from '@whiskeysockets/baileys';
import type { Account, DeliverySender } from './accounts';
import type { MediaHost } from './media-host';
import { lidUserFor } from './accounts';
import { buildMediaMessage, type ReceivedMedia, type SentFile, type SimulatedMedia } from './contact-media';
import { lidJid, pnJid } from './frames';
import { SignalParty } from './signal-party';

export type ContactMessageKind =
  'conversation' | 'extended' | 'caption' | 'button' | 'list' | 'undecryptable';

export interface ContactReply {
  id: string;
  text: string;
  from: string;
  /** The address the business sent it to (phone-number JID or LID): both reach the phone. */
  to: string;
  at: number;
  /** A photo, voice note, document... the business sent, as the phone decrypted it. */
  media?: ReceivedMedia;
}

/**
 * How the business's next message to a contact fails: `nack`, the server refuses the message with an
 * error ack (463: the account may not start new chats; Baileys reports it as a failed status); or
 * `devicesError`, the device-list query before the send fails (Baileys' sendMessage throws).
 */
export type SendFault = { nack: number } | { devicesError: number };

/**
 * Which address a contact writes from: its phone number ('pn'), or its LID ('lid'), as WhatsApp's LID
 * migration moves accounts over. `alt: false` leaves the other address out of the envelope, as
 * WhatsApp sometimes does: the client must then know the mapping already.
 */
export interface Addressing {
  mode: 'pn' | 'lid';
  alt?: boolean;
}

export interface SimulatedContact {
  /** E.164, e.g. "+2348031234567". */
  readonly phone: string;
  /** The JID the client sees as key.remoteJid: "<digits>@s.whatsapp.net", or "<lid>@lid" when by LID. */
  readonly jid: string;
  /** The contact's LID JID (every contact has one; only contacts addressed by LID write from it). */
  readonly lid: string;
  /** The phone-number JID, "<digits>@s.whatsapp.net". */
  readonly pnJid: string;
  /** From the next message on, writes from this address (mid-conversation, as real accounts do). */
  addressBy(addressing: Addressing): void;
  readonly name: string | undefined;
  send(business: string, text: string, options?: { kind?: ContactMessageKind; id?: string }): Promise<string>;
  /**
   * Sends a photo, voice note, audio, video, document, sticker, location or contact card. Files are
   * encrypted with a fresh media key and put on the server's media host, as a phone uploads them.
   */
  sendMedia(business: string, media: SimulatedMedia, options?: { id?: string }): Promise<string>;
  /** Where the file of a message this contact sent is hosted now (a re-upload moves it). */
  mediaPath(messageId: string): string | undefined;
  readonly replies: ContactReply[];
  waitForReplies(count: number, timeoutMs?: number): Promise<ContactReply[]>;
  /** Chat states the client sent to this contact, in order ("composing", "paused", ...). */
  readonly presence: string[];
  /** Ids of this contact's messages that the client marked read. */
  readonly readReceipts: string[];
  /**
   * The phone loses its Signal sessions (as after restoring a backup): the next message from the
   * business cannot be decrypted, and the phone asks for it again with a retry receipt.
   */
  forgetSessions(): void;
  /** The business's next message to this contact fails as `fault` says (each call queues one). */
  failNextSend(fault: SendFault): void;
}

export interface OutgoingContactMessage {
  id: string;
  message?: proto.IMessage;
  mediaType?: string;
}

export interface ContactHooks {
  submit(contact: ContactImpl, business: string, message: OutgoingContactMessage): Promise<void>;
  mediaHost: MediaHost;
}

interface ReplyWaiter {
  count: number;
  resolve: (replies: ContactReply[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** The photo behind a `caption` message: a few bytes shaped like a JPEG. */
const CAPTION_PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(512, 1)]);

export function newMessageId(): string {
  // WhatsApp Web ids: "3EB0" followed by upper-case hex.
  return `3EB0${randomBytes(9).toString('hex').toUpperCase()}`;
}

export function buildContactMessage(
  kind: ContactMessageKind,
  text: string,
): Omit<OutgoingContactMessage, 'id'> {
  switch (kind) {
    case 'conversation':
      return { message: { conversation: text } };
    case 'extended':
      return { message: { extendedTextMessage: { text } } };
    case 'caption':
      // Only the caption matters to a text bot; the media fields make it look like a real image and are
      // never downloaded unless the app asks for the media.
      return {
        mediaType: 'image',
        message: {
          imageMessage: {
            caption: text,
            mimetype: 'image/jpeg',
            url: 'https://mmg.whatsapp.net/simulated/image.enc',
            directPath: '/simulated/image.enc',
            mediaKey: randomBytes(32),
            fileSha256: randomBytes(32),
            fileEncSha256: randomBytes(32),
            fileLength: 1024,
            width: 64,
            height: 64,
          },
        },
      };
    case 'button':
      return {
        message: {
          buttonsResponseMessage: {
            selectedButtonId: 'sim-button-1',
            selectedDisplayText: text,
            type: proto.Message.ButtonsResponseMessage.Type.DISPLAY_TEXT,
          },
        },
      };
    case 'list':
      return {
        message: {
          listResponseMessage: {
            title: text,
            listType: proto.Message.ListResponseMessage.ListType.SINGLE_SELECT,
            singleSelectReply: { selectedRowId: 'sim-row-1' },
          },
        },
      };
    case 'undecryptable':
      return {};
  }
}

/** The text a customer would see in a message from the business, or undefined for non-text content. */
export function textOfMessage(message: proto.IMessage): string | undefined {
  const inner = message.deviceSentMessage?.message ?? message;
  return (
    inner.conversation ??
    inner.extendedTextMessage?.text ??
    inner.imageMessage?.caption ??
    inner.videoMessage?.caption ??
    inner.documentMessage?.caption ??
    undefined
  );
}

export class ContactImpl implements SimulatedContact, DeliverySender {
  readonly phone: string;
  readonly digits: string;
  readonly lidUser: string;
  byLid: boolean;
  /** Whether the envelope names the other address too (sender_pn / sender_lid). */
  withAlt = true;
  readonly name: string | undefined;
  readonly party = new SignalParty();
  readonly replies: ContactReply[] = [];
  readonly presence: string[] = [];
  readonly readReceipts: string[] = [];
  private readonly waiters = new Set<ReplyWaiter>();
  private readonly sendFaults: SendFault[] = [];
  /** Files this phone sent, kept to upload again when the business asks (an expired link). */
  readonly sentFiles = new Map<string, SentFile & { directPath: string }>();

  constructor(
    digits: string,
    options: { lid?: boolean; name?: string },
    private readonly hooks: ContactHooks,
  ) {
    this.digits = digits;
    this.phone = `+${digits}`;
    this.lidUser = lidUserFor(digits);
    this.byLid = options.lid === true;
    this.name = options.name;
  }

  get jid(): string {
    return this.byLid ? lidJid(this.lidUser) : pnJid(this.digits);
  }

  get lid(): string {
    return lidJid(this.lidUser);
  }

  get pnJid(): string {
    return pnJid(this.digits);
  }

  addressBy(addressing: Addressing): void {
    this.byLid = addressing.mode === 'lid';
    this.withAlt = addressing.alt !== false;
  }

  get label(): string {
    return `contact ${this.phone}${this.byLid ? ' (lid)' : ''}`;
  }

  /**
   * v7 clients read the other identity from the envelope (decode-wa-message.ts, extractAddressingContext):
   * a LID sender carries sender_pn (the client exposes it as key.remoteJidAlt), a phone-number sender
   * carries sender_lid (also remoteJidAlt); addressing_mode says which of the two `from` is.
   */
  envelope(_account: Account): Record<string, string> {
    const attrs: Record<string, string> = this.byLid
      ? { from: this.jid, addressing_mode: 'lid', ...(this.withAlt && { sender_pn: this.pnJid }) }
      : { from: this.jid, addressing_mode: 'pn', ...(this.withAlt && { sender_lid: this.lid }) };
    if (this.name) attrs.notify = this.name;
    return attrs;
  }

  async send(
    business: string,
    text: string,
    options: { kind?: ContactMessageKind; id?: string } = {},
  ): Promise<string> {
    const id = options.id ?? newMessageId();
    // A captioned photo is a real encrypted file on the media host, so a client that downloads it can.
    if (options.kind === 'caption')
      return this.sendMedia(business, { kind: 'image', data: CAPTION_PHOTO, caption: text }, { id });
    await this.hooks.submit(this, business, {
      id,
      ...buildContactMessage(options.kind ?? 'conversation', text),
    });
    return id;
  }

  async sendMedia(business: string, media: SimulatedMedia, options: { id?: string } = {}): Promise<string> {
    const id = options.id ?? newMessageId();
    const built = buildMediaMessage(media, this.hooks.mediaHost);
    if (built.sent) {
      const content = Object.values(built.message)[0] as { directPath?: string };
      this.sentFiles.set(id, { ...built.sent, directPath: content.directPath ?? '' });
    }
    await this.hooks.submit(this, business, { id, message: built.message, mediaType: built.mediaType });
    return id;
  }

  mediaPath(messageId: string): string | undefined {
    return this.sentFiles.get(messageId)?.directPath;
  }

  forgetSessions(): void {
    this.party.forgetSessions();
  }

  failNextSend(fault: SendFault): void {
    this.sendFaults.push(fault);
  }

  /** The queued fault of this kind, used up; undefined when none waits. */
  takeSendFault(kind: 'nack' | 'devicesError'): number | undefined {
    const index = this.sendFaults.findIndex((f) => kind in f);
    if (index < 0) return undefined;
    const [fault] = this.sendFaults.splice(index, 1);
    return 'nack' in fault! ? fault.nack : fault!.devicesError;
  }

  recordReply(reply: ContactReply): void {
    this.replies.push(reply);
    for (const waiter of [...this.waiters]) {
      if (this.replies.length >= waiter.count) this.settle(waiter, undefined);
    }
  }

  waitForReplies(count: number, timeoutMs = 5_000): Promise<ContactReply[]> {
    if (this.replies.length >= count) return Promise.resolve(this.replies.slice());
    return new Promise<ContactReply[]>((resolve, reject) => {
      const waiter: ReplyWaiter = {
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.settle(
            waiter,
            new Error(`${this.label}: ${this.replies.length}/${count} replies after ${timeoutMs} ms`),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  dispose(): void {
    for (const waiter of [...this.waiters]) this.settle(waiter, new Error(`${this.label}: server stopped`));
  }

  private settle(waiter: ReplyWaiter, error: Error | undefined): void {
    if (!this.waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    if (error) waiter.reject(error);
    else waiter.resolve(this.replies.slice());
  }
}
