// What a Baileys message's media is: its kind and what the sender declared (mime, size, name,
// duration, thumbnail), and the reference the provider needs to download the file later.
import type { proto, WAMessageKey } from '@whiskeysockets/baileys';
import { NO_FILE, type InboundMedia } from '../provider';
import type { WhatsAppMediaRef } from './media-download';

type FileContent = proto.Message.IImageMessage &
  proto.Message.IVideoMessage &
  proto.Message.IAudioMessage &
  proto.Message.IDocumentMessage &
  proto.Message.IStickerMessage;

const b64 = (v: Uint8Array | null | undefined): string | null =>
  v === null || v === undefined || v.length === 0 ? null : Buffer.from(v).toString('base64');

const num = (v: number | { toString(): string } | null | undefined): number | null => {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v.toString());
  return Number.isFinite(n) ? n : null;
};

function fileOf(
  m: proto.IMessage,
): { kind: InboundMedia['kind']; type: WhatsAppMediaRef['type']; content: FileContent } | undefined {
  if (m.imageMessage) return { kind: 'image', type: 'image', content: m.imageMessage };
  if (m.videoMessage) return { kind: 'video', type: 'video', content: m.videoMessage };
  if (m.audioMessage)
    return { kind: m.audioMessage.ptt === true ? 'voice' : 'audio', type: 'audio', content: m.audioMessage };
  if (m.documentMessage) return { kind: 'document', type: 'document', content: m.documentMessage };
  const withCaption = m.documentWithCaptionMessage?.message?.documentMessage;
  if (withCaption) return { kind: 'document', type: 'document', content: withCaption };
  if (m.stickerMessage) return { kind: 'sticker', type: 'sticker', content: m.stickerMessage };
  return undefined;
}

/** The phone number in a vCard's first TEL line (`waid=` first, as WhatsApp writes it). */
function vcardPhone(vcard: string | null | undefined): string | null {
  if (!vcard) return null;
  const waid = /waid=(\d{6,15})/i.exec(vcard);
  if (waid) return `+${waid[1]}`;
  const tel = /^TEL[^:]*:(.+)$/im.exec(vcard);
  return tel ? tel[1]!.trim() : null;
}

/** The media of a normalized message, or undefined for text and everything else. */
export function mediaOfMessage(m: proto.IMessage, key: WAMessageKey): InboundMedia | undefined {
  if (m.locationMessage) {
    const l = m.locationMessage;
    return {
      kind: 'location',
      ...NO_FILE,
      location: {
        latitude: l.degreesLatitude ?? 0,
        longitude: l.degreesLongitude ?? 0,
        name: l.name ?? null,
        address: l.address ?? null,
      },
    };
  }
  if (m.contactMessage) {
    const c = m.contactMessage;
    return {
      kind: 'contact',
      ...NO_FILE,
      contact: { name: c.displayName ?? 'Contact', phone: vcardPhone(c.vcard) },
    };
  }
  const file = fileOf(m);
  if (!file) return undefined;
  const c = file.content;
  const mediaKey = b64(c.mediaKey);
  const ref: WhatsAppMediaRef | null =
    mediaKey === null || (!c.directPath && !c.url)
      ? null
      : {
          v: 1,
          type: file.type,
          directPath: c.directPath ?? null,
          url: c.url ?? null,
          mediaKey,
          fileSha256: b64(c.fileSha256),
          fileEncSha256: b64(c.fileEncSha256),
          fileLength: num(c.fileLength),
          key: { remoteJid: key.remoteJid ?? '', id: key.id ?? '', fromMe: key.fromMe === true },
        };
  return {
    kind: file.kind,
    mime: c.mimetype ?? null,
    size: num(c.fileLength),
    fileName: c.fileName ?? null,
    caption: c.caption ?? null,
    durationSeconds: num(c.seconds),
    thumbnail: b64(c.jpegThumbnail),
    ref: ref === null ? null : JSON.stringify(ref),
  };
}
