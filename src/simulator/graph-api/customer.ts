// A simulated customer of a Cloud API number: writes to the business (each message becomes a signed
// webhook), and records what the business's sends did on their phone (replies, read ticks, typing).
import { createHash } from 'node:crypto';
import { newNumericId, newWamid } from './ids';
import type { SimList } from './interactive-list';
import type { WebhookContactJson, WebhookMessageJson } from './notifications';

export interface CloudCustomerOptions {
  name?: string;
  /** Writes with a username: webhooks carry an empty wa_id/from and a business-scoped user_id. */
  username?: string;
  /** false: sends are accepted, then fail with a 131026 status (not on WhatsApp). Default true. */
  onWhatsApp?: boolean;
  /** false: statuses stop at delivered. Default true. */
  readsReplies?: boolean;
}

/** A file the customer's phone received from the business. */
export interface ReceivedCloudMedia {
  kind: 'image' | 'document' | 'audio';
  id: string;
  mimeType: string;
  bytes: Buffer;
  fileName: string | null;
  caption: string | null;
}

export interface CloudReply {
  id: string;
  text: string;
  /** The business number (E.164) that sent it. */
  from: string;
  quotedId: string | null;
  /** The sender's `biz_opaque_callback_data`. */
  callbackData: string | null;
  template: string | null;
  at: number;
  /** A photo, document or audio the business sent: the bytes as the phone received them. */
  media?: ReceivedCloudMedia;
  /** An interactive list the business sent: the customer can pick one of its rows. */
  list?: SimList;
}

export interface CloudCustomer {
  /** E.164. */
  readonly phone: string;
  /** Digits of the phone, or '' for a username customer. */
  readonly waId: string;
  readonly userId: string | null;
  readonly name: string;
  /** What the business sends to: the wa_id, or the user_id of a username customer. */
  readonly address: string;
  send(business: string, text: string, options?: { quotedId?: string; id?: string }): Promise<string>;
  sendImage(business: string, image: { bytes: Buffer; mimeType?: string; caption?: string }): Promise<string>;
  /** A photo, voice note, audio, video, document or sticker: stored on the server, sent by its media id. */
  sendMedia(business: string, media: CloudMediaToSend): Promise<string>;
  sendLocation(business: string, place: CloudLocationToSend): Promise<string>;
  /** Contact cards as WhatsApp shares them (`type: "contacts"`). */
  sendContacts(business: string, cards: CloudContactCard[]): Promise<string>;
  /**
   * Taps a row of a list the business sent (the reply with `replyId`): a `list_reply` webhook quoting it.
   * Throws when that reply is no list or has no such row, as the phone would offer no such tap.
   */
  pickFromList(business: string, replyId: string, rowId: string): Promise<string>;
  readonly replies: CloudReply[];
  waitForReplies(count: number, timeoutMs?: number): Promise<CloudReply[]>;
  /** Ids of this customer's messages the business marked read. */
  readonly readReceipts: string[];
  /** Ids the business showed "typing..." on. */
  readonly typing: string[];
}

export interface CloudMediaToSend {
  /** `voice` is an audio message recorded in the chat (`audio` with `voice: true`). */
  kind: 'image' | 'audio' | 'voice' | 'video' | 'document' | 'sticker';
  bytes: Buffer;
  mimeType?: string;
  caption?: string;
  /** Documents. */
  filename?: string;
}

export interface CloudLocationToSend {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

export interface CloudContactCard {
  name: { formatted_name: string; first_name?: string; last_name?: string };
  phones?: { phone: string; wa_id?: string; type?: string }[];
}

const DEFAULT_MIME: Record<CloudMediaToSend['kind'], string> = {
  image: 'image/jpeg',
  audio: 'audio/mpeg',
  voice: 'audio/ogg; codecs=opus',
  video: 'video/mp4',
  document: 'application/pdf',
  sticker: 'image/webp',
};

export interface OutgoingCloudMessage {
  contact: WebhookContactJson;
  message: WebhookMessageJson;
}

export interface CustomerHooks {
  now(): number;
  submit(customer: CustomerImpl, business: string, item: OutgoingCloudMessage): Promise<void>;
  storeMedia(business: string, bytes: Buffer, mimeType: string): { id: string; sha256: string };
}

export class CustomerImpl implements CloudCustomer {
  readonly waId: string;
  readonly userId: string | null;
  readonly name: string;
  readonly onWhatsApp: boolean;
  readonly readsReplies: boolean;
  readonly replies: CloudReply[] = [];
  readonly readReceipts: string[] = [];
  readonly typing: string[] = [];
  /** Ids of the messages they sent. */
  readonly sentIds = new Set<string>();
  /** When they last wrote to each business number (phone_number_id): the 24-hour window. */
  readonly lastWrote = new Map<string, number>();
  private readonly waiters = new Set<{ count: number; resolve: () => void }>();

  constructor(
    readonly phone: string,
    options: CloudCustomerOptions,
    private readonly hooks: CustomerHooks,
  ) {
    const digits = phone.replace(/\D/g, '');
    this.waId = options.username === undefined ? digits : '';
    this.userId = options.username === undefined ? null : `NG.${newNumericId(16)}`;
    this.name = options.name ?? options.username ?? `Customer ${digits.slice(-4)}`;
    this.onWhatsApp = options.onWhatsApp !== false;
    this.readsReplies = options.readsReplies !== false;
  }

  get address(): string {
    return this.userId ?? this.waId;
  }

  contactJson(): WebhookContactJson {
    return {
      profile: { name: this.name },
      wa_id: this.waId,
      ...(this.userId !== null && { user_id: this.userId }),
    };
  }

  async send(
    business: string,
    text: string,
    options: { quotedId?: string; id?: string } = {},
  ): Promise<string> {
    return this.submit(business, options.id ?? newWamid(), 'text', {
      text: { body: text },
      ...(options.quotedId !== undefined && {
        context: { from: business.replace(/\D/g, ''), id: options.quotedId },
      }),
    });
  }

  sendImage(
    business: string,
    image: { bytes: Buffer; mimeType?: string; caption?: string },
  ): Promise<string> {
    return this.sendMedia(business, { kind: 'image', ...image });
  }

  async sendMedia(business: string, file: CloudMediaToSend): Promise<string> {
    const mimeType = file.mimeType ?? DEFAULT_MIME[file.kind];
    const media = this.hooks.storeMedia(business, file.bytes, mimeType);
    const type = file.kind === 'voice' ? 'audio' : file.kind;
    return this.submit(business, newWamid(), type, {
      [type]: {
        id: media.id,
        mime_type: mimeType,
        sha256: media.sha256,
        ...(file.kind === 'voice' && { voice: true }),
        ...(file.caption !== undefined && { caption: file.caption }),
        ...(file.filename !== undefined && { filename: file.filename }),
      },
    });
  }

  pickFromList(business: string, replyId: string, rowId: string): Promise<string> {
    const list = this.replies.find((r) => r.id === replyId)?.list;
    const row = list?.rows.find((r) => r.id === rowId);
    if (row === undefined) throw new Error(`message ${replyId} has no list row ${rowId} to pick`);
    return this.submit(business, newWamid(), 'interactive', {
      interactive: {
        type: 'list_reply',
        list_reply: {
          id: row.id,
          title: row.title,
          ...(row.description !== null && { description: row.description }),
        },
      },
      context: { from: business.replace(/\D/g, ''), id: replyId },
    });
  }

  sendLocation(business: string, place: CloudLocationToSend): Promise<string> {
    return this.submit(business, newWamid(), 'location', { location: { ...place } });
  }

  sendContacts(business: string, cards: CloudContactCard[]): Promise<string> {
    return this.submit(business, newWamid(), 'contacts', { contacts: cards });
  }

  /** The message as a webhook would carry it, without sending it (for batches). */
  message(business: string, text: string, id: string = newWamid()): OutgoingCloudMessage {
    return {
      contact: this.contactJson(),
      message: {
        from: this.waId,
        id,
        timestamp: String(Math.floor(this.hooks.now() / 1000)),
        type: 'text',
        text: { body: text },
      },
    };
  }

  recordReply(reply: CloudReply): void {
    this.replies.push(reply);
    for (const waiter of [...this.waiters]) {
      if (this.replies.length >= waiter.count) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  waitForReplies(count: number, timeoutMs = 5_000): Promise<CloudReply[]> {
    if (this.replies.length >= count) return Promise.resolve(this.replies.slice());
    return new Promise((resolve, reject) => {
      const waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.replies.slice());
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new Error(`customer ${this.phone}: ${this.replies.length}/${count} replies after ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private async submit(
    business: string,
    id: string,
    type: string,
    content: Record<string, unknown>,
  ): Promise<string> {
    const message: WebhookMessageJson = {
      from: this.waId,
      id,
      timestamp: String(Math.floor(this.hooks.now() / 1000)),
      type,
      ...content,
    };
    await this.hooks.submit(this, business, { contact: this.contactJson(), message });
    return id;
  }
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
