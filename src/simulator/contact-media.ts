// Media a simulated customer sends (encrypted and put on the media host, as a phone uploads it) and
// media the business sends them (downloaded from the host and decrypted, with every hash checked).
import { proto } from '@whiskeysockets/baileys';
import { decryptMedia, encryptMedia, type MediaKeyType } from './media-crypto';
import type { MediaHost } from './media-host';

export type SimulatedMedia =
  | { kind: 'image'; data: Buffer; mimetype?: string; caption?: string; thumbnail?: Buffer }
  | { kind: 'video'; data: Buffer; mimetype?: string; caption?: string; seconds?: number; thumbnail?: Buffer }
  /** A voice note: opus in ogg, played in the chat (ptt). */
  | { kind: 'voice'; data: Buffer; seconds?: number }
  | { kind: 'audio'; data: Buffer; mimetype?: string; seconds?: number }
  | { kind: 'document'; data: Buffer; fileName: string; mimetype?: string; caption?: string }
  | { kind: 'sticker'; data: Buffer; mimetype?: string }
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { kind: 'contact'; displayName: string; vcard: string };

/** What the customer's phone received from the business: decrypted, and checked against its hashes. */
export interface ReceivedMedia {
  kind: 'image' | 'video' | 'voice' | 'audio' | 'document' | 'sticker' | 'location' | 'contact';
  mimetype?: string;
  data?: Buffer;
  fileName?: string;
  caption?: string;
  seconds?: number;
  latitude?: number;
  longitude?: number;
  displayName?: string;
  /** Set when the file could not be fetched or failed a check; `data` is then absent. */
  error?: string;
}

/** What the phone keeps of a file it sent, to upload it again when the link has expired. */
export interface SentFile {
  file: Buffer;
  mediaKey: Buffer;
}

export interface BuiltMediaMessage {
  message: proto.IMessage;
  /** The stanza's <enc mediatype>, as WhatsApp sets it. */
  mediaType: string;
  sent?: SentFile;
}

function upload(host: MediaHost, data: Buffer, type: MediaKeyType) {
  const encrypted = encryptMedia(data, type);
  const hosted = host.put(encrypted.file);
  return {
    fields: {
      url: hosted.url,
      directPath: hosted.directPath,
      mediaKey: encrypted.mediaKey,
      fileSha256: encrypted.fileSha256,
      fileEncSha256: encrypted.fileEncSha256,
      fileLength: encrypted.fileLength,
      mediaKeyTimestamp: Math.floor(Date.now() / 1000),
    },
    sent: { file: encrypted.file, mediaKey: encrypted.mediaKey },
  };
}

export function buildMediaMessage(media: SimulatedMedia, host: MediaHost): BuiltMediaMessage {
  switch (media.kind) {
    case 'image': {
      const { fields, sent } = upload(host, media.data, 'image');
      const imageMessage = {
        ...fields,
        mimetype: media.mimetype ?? 'image/jpeg',
        ...(media.caption !== undefined && { caption: media.caption }),
        ...(media.thumbnail !== undefined && { jpegThumbnail: media.thumbnail }),
      };
      return { message: { imageMessage }, mediaType: 'image', sent };
    }
    case 'video': {
      const { fields, sent } = upload(host, media.data, 'video');
      const videoMessage = {
        ...fields,
        mimetype: media.mimetype ?? 'video/mp4',
        seconds: media.seconds ?? 1,
        ...(media.caption !== undefined && { caption: media.caption }),
        ...(media.thumbnail !== undefined && { jpegThumbnail: media.thumbnail }),
      };
      return { message: { videoMessage }, mediaType: 'video', sent };
    }
    case 'voice':
    case 'audio': {
      const { fields, sent } = upload(host, media.data, 'audio');
      const audioMessage = {
        ...fields,
        mimetype: media.kind === 'voice' ? 'audio/ogg; codecs=opus' : (media.mimetype ?? 'audio/mpeg'),
        seconds: media.seconds ?? 1,
        ptt: media.kind === 'voice',
      };
      return { message: { audioMessage }, mediaType: media.kind === 'voice' ? 'ptt' : 'audio', sent };
    }
    case 'document': {
      const { fields, sent } = upload(host, media.data, 'document');
      const documentMessage = {
        ...fields,
        mimetype: media.mimetype ?? 'application/pdf',
        fileName: media.fileName,
        title: media.fileName,
        ...(media.caption !== undefined && { caption: media.caption }),
      };
      return { message: { documentMessage }, mediaType: 'document', sent };
    }
    case 'sticker': {
      const { fields, sent } = upload(host, media.data, 'sticker');
      const stickerMessage = { ...fields, mimetype: media.mimetype ?? 'image/webp' };
      return { message: { stickerMessage }, mediaType: 'sticker', sent };
    }
    case 'location':
      return {
        message: {
          locationMessage: {
            degreesLatitude: media.latitude,
            degreesLongitude: media.longitude,
            ...(media.name !== undefined && { name: media.name }),
            ...(media.address !== undefined && { address: media.address }),
          },
        },
        mediaType: 'location',
      };
    case 'contact':
      return {
        message: { contactMessage: { displayName: media.displayName, vcard: media.vcard } },
        mediaType: 'vcard',
      };
  }
}

type FileMessage = proto.Message.IImageMessage &
  proto.Message.IVideoMessage &
  proto.Message.IAudioMessage &
  proto.Message.IDocumentMessage;

/** The media of a message the business sent, fetched from the host and decrypted; undefined for text. */
export function receiveMedia(message: proto.IMessage, host: MediaHost): ReceivedMedia | undefined {
  const inner = message.deviceSentMessage?.message ?? message;
  if (inner.locationMessage) {
    return {
      kind: 'location',
      latitude: inner.locationMessage.degreesLatitude ?? 0,
      longitude: inner.locationMessage.degreesLongitude ?? 0,
    };
  }
  if (inner.contactMessage) {
    return { kind: 'contact', displayName: inner.contactMessage.displayName ?? '' };
  }
  const found = fileMessageOf(inner);
  if (!found) return undefined;
  const { kind, keyType, content } = found;
  const base: ReceivedMedia = {
    kind,
    ...(content.mimetype && { mimetype: content.mimetype }),
    ...(content.fileName && { fileName: content.fileName }),
    ...(content.caption && { caption: content.caption }),
    ...(content.seconds && { seconds: content.seconds }),
  };
  const file = content.directPath ? host.file(content.directPath) : undefined;
  if (!file || !content.mediaKey) return { ...base, error: 'file not on the media host' };
  try {
    const data = decryptMedia(file, content.mediaKey, keyType, content);
    if (content.fileLength != null && Number(content.fileLength) !== data.length) {
      return { ...base, error: `fileLength ${String(content.fileLength)} but ${data.length} bytes` };
    }
    return { ...base, data };
  } catch (err) {
    return { ...base, error: err instanceof Error ? err.message : String(err) };
  }
}

function fileMessageOf(
  m: proto.IMessage,
): { kind: ReceivedMedia['kind']; keyType: MediaKeyType; content: FileMessage } | undefined {
  if (m.imageMessage) return { kind: 'image', keyType: 'image', content: m.imageMessage };
  if (m.videoMessage) return { kind: 'video', keyType: 'video', content: m.videoMessage };
  if (m.audioMessage) {
    const content = m.audioMessage as FileMessage;
    return { kind: content.ptt ? 'voice' : 'audio', keyType: 'audio', content };
  }
  if (m.documentMessage) return { kind: 'document', keyType: 'document', content: m.documentMessage };
  if (m.stickerMessage) return { kind: 'sticker', keyType: 'sticker', content: m.stickerMessage };
  const withCaption = m.documentWithCaptionMessage?.message?.documentMessage;
  if (withCaption) return { kind: 'document', keyType: 'document', content: withCaption };
  return undefined;
}
