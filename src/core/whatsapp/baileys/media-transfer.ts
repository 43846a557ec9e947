// Files over Baileys: one HTTPS agent for Baileys' uploads and our downloads, and the download of a
// customer's file, asking their phone to upload it again when the link has expired.
import { Agent } from 'node:https';
import type { AnyMessageContent, WASocket } from '@whiskeysockets/baileys';
import { assertNever } from '../../errors';
import type { OutboundMedia } from '../provider';
import { MediaError } from '../../media/media-error';
import { downloadUrlOf, fetchEncrypted, openWhatsAppMedia, type WhatsAppMediaRef } from './media-download';

/**
 * Where media goes, like `waWebSocketUrl` for the chat socket: `host` replaces WhatsApp's media hosts
 * and `ca` is the certificate authority that host's certificate is checked against. Both are for a
 * local WhatsApp server (tests, demo mode); unset, WhatsApp's hosts and the system's roots are used.
 */
export interface MediaTransportOptions {
  host?: string;
  ca?: string;
}

/** How long the phone has to upload an expired file again. */
const REUPLOAD_TIMEOUT_MS = 30_000;

const MESSAGE_KEY: Record<WhatsAppMediaRef['type'], string> = {
  image: 'imageMessage',
  video: 'videoMessage',
  audio: 'audioMessage',
  document: 'documentMessage',
  sticker: 'stickerMessage',
};

export function parseMediaRef(json: string): WhatsAppMediaRef {
  let ref: Partial<WhatsAppMediaRef>;
  try {
    ref = JSON.parse(json) as Partial<WhatsAppMediaRef>;
  } catch {
    throw new MediaError('failed', 'The stored link to this file is unreadable.');
  }
  if (
    ref.v !== 1 ||
    typeof ref.mediaKey !== 'string' ||
    !ref.type ||
    !(ref.type in MESSAGE_KEY) ||
    !ref.key
  ) {
    throw new MediaError('failed', 'The stored link to this file is incomplete.');
  }
  return ref as WhatsAppMediaRef;
}

/**
 * What Baileys' sendMessage takes for a file the business sends. A voice note is sent as ptt (it
 * plays in the chat like a recorded one); Baileys works out its length, waveform and a photo's
 * thumbnail itself where it can, and sends without them where it cannot.
 */
export function baileysContent(media: OutboundMedia): AnyMessageContent {
  const caption = media.caption ?? undefined;
  switch (media.kind) {
    case 'image':
      return { image: media.data, mimetype: media.mime, ...(caption !== undefined && { caption }) };
    case 'document':
      return {
        document: media.data,
        mimetype: media.mime,
        fileName: media.fileName ?? 'document',
        ...(caption !== undefined && { caption }),
      };
    case 'voice':
      return { audio: media.data, mimetype: 'audio/ogg; codecs=opus', ptt: true };
    case 'audio':
      return { audio: media.data, mimetype: media.mime, ptt: false };
    default:
      return assertNever(media.kind, 'media kind');
  }
}

export function createBaileysMedia(options: MediaTransportOptions, socket: () => WASocket | null) {
  // No keep-alive: an idle pooled socket must not hold a closing process open.
  const agent = new Agent({ keepAlive: false, ...(options.ca !== undefined && { ca: options.ca }) });

  async function reupload(ref: WhatsAppMediaRef): Promise<WhatsAppMediaRef> {
    const sock = socket();
    if (sock === null)
      throw new MediaError('expired', 'The link has expired; connect the number to fetch it again.');
    const content = {
      mediaKey: Buffer.from(ref.mediaKey, 'base64'),
      directPath: ref.directPath,
      url: ref.url,
    };
    const message = { key: ref.key, message: { [MESSAGE_KEY[ref.type]]: content } };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        sock.updateMediaMessage(message as never),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('no answer from the phone')), REUPLOAD_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new MediaError(
        'expired',
        `The link has expired and the sender's phone did not send it again (${why}).`,
      );
    } finally {
      clearTimeout(timer);
    }
    return { ...ref, directPath: content.directPath ?? null, url: content.url ?? null };
  }

  return {
    /** For makeWASocket's `fetchAgent`: Baileys' uploads go through it. */
    agent,
    async download(refJson: string, limits: { maxBytes: number }): Promise<{ data: Buffer; ref?: string }> {
      let ref = parseMediaRef(refJson);
      if (ref.fileLength !== null && ref.fileLength > limits.maxBytes) {
        throw new MediaError(
          'too-large',
          `The file is ${ref.fileLength} bytes, over the ${limits.maxBytes}-byte limit.`,
        );
      }
      const fetch = (r: WhatsAppMediaRef) =>
        fetchEncrypted(downloadUrlOf(r, options.host), { agent, maxBytes: limits.maxBytes });
      let file: Buffer;
      let renewed = false;
      try {
        file = await fetch(ref);
      } catch (error) {
        if (!(error instanceof MediaError) || error.reason !== 'expired') throw error;
        ref = await reupload(ref);
        renewed = true;
        file = await fetch(ref);
      }
      const data = await openWhatsAppMedia(file, ref);
      return renewed ? { data, ref: JSON.stringify(ref) } : { data };
    },
  };
}
