// Downloads a customer's file from WhatsApp's media host and opens it. Baileys' own download decrypts
// without checking the MAC or either hash, so a truncated or tampered file would be stored as whole:
// here the encrypted file is fetched in full (bounded by the size cap), its SHA-256 and MAC checked,
// then decrypted and the plaintext's SHA-256 checked, before anything reaches the media store.
import { createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { request, type Agent } from 'node:https';
import { getMediaKeys } from '@whiskeysockets/baileys';
import { MediaError } from '../../media/media-error';

/** What the core keeps of a Baileys media message to fetch it later (JSON in message_media.ref). */
export interface WhatsAppMediaRef {
  v: 1;
  /** HKDF info type: 'image', 'video', 'audio', 'document', 'sticker'. */
  type: 'image' | 'video' | 'audio' | 'document' | 'sticker';
  directPath: string | null;
  url: string | null;
  /** base64 */
  mediaKey: string;
  fileSha256: string | null;
  fileEncSha256: string | null;
  fileLength: number | null;
  /** The message's key, for asking the sender's phone to upload it again. */
  key: { remoteJid: string; id: string; fromMe: boolean };
}

const MAC_LENGTH = 10;
const DEFAULT_MEDIA_HOST = 'mmg.whatsapp.net';
const DOWNLOAD_TIMEOUT_MS = 60_000;

/**
 * Where the file lives: the direct path on the host the message names (WhatsApp's own by default).
 * `host` replaces every media host, the way `waWebSocketUrl` replaces the chat socket: a local
 * WhatsApp server serves its media itself.
 */
export function downloadUrlOf(ref: Pick<WhatsAppMediaRef, 'directPath' | 'url'>, host?: string): string {
  if (host !== undefined) {
    const path = ref.directPath ?? (ref.url ? pathOf(ref.url) : null);
    if (path) return `https://${host}${path}`;
  }
  if (ref.directPath) {
    let host = DEFAULT_MEDIA_HOST;
    try {
      if (ref.url) host = new URL(ref.url).host;
    } catch {
      // A malformed url: WhatsApp's host serves every direct path.
    }
    return `https://${host}${ref.directPath}`;
  }
  if (ref.url) return ref.url;
  throw new MediaError('failed', 'The message names no file to download.');
}

/** The encrypted file, at most `maxBytes` + MAC; 404/410 mean the link expired. */
export function fetchEncrypted(url: string, options: { agent?: Agent; maxBytes: number }): Promise<Buffer> {
  const limit = options.maxBytes + 16 + MAC_LENGTH;
  return new Promise<Buffer>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        headers: { Origin: 'https://web.whatsapp.com' },
        timeout: DOWNLOAD_TIMEOUT_MS,
        ...(options.agent !== undefined && { agent: options.agent }),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status === 404 || status === 410) {
          res.resume();
          reject(new MediaError('expired', `The link to the file has expired (HTTP ${status}).`));
          return;
        }
        if (status < 200 || status >= 300) {
          res.resume();
          reject(new MediaError('failed', `WhatsApp's media server answered HTTP ${status}.`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) {
            req.destroy();
            reject(new MediaError('too-large', `The file is larger than ${options.maxBytes} bytes.`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', (error) =>
          reject(new MediaError('failed', `Download interrupted: ${error.message}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) =>
      reject(new MediaError('failed', `Could not download the file: ${error.message}`)),
    );
    req.end();
  });
}

/** Checks the encrypted hash and the MAC, decrypts, checks the plaintext hash. Throws MediaError('corrupt'). */
export async function openWhatsAppMedia(file: Buffer, ref: WhatsAppMediaRef): Promise<Buffer> {
  const corrupt = (why: string) => new MediaError('corrupt', `The downloaded file is damaged: ${why}.`);
  if (ref.fileEncSha256 !== null && !sha256(file).equals(Buffer.from(ref.fileEncSha256, 'base64'))) {
    throw corrupt('its encrypted hash does not match');
  }
  if (file.length < 16 + MAC_LENGTH) throw corrupt('it is too short');
  const { iv, cipherKey, macKey } = await getMediaKeys(Buffer.from(ref.mediaKey, 'base64'), ref.type);
  if (iv === undefined || cipherKey === undefined || macKey === undefined) throw corrupt('no media key');
  const ciphertext = file.subarray(0, file.length - MAC_LENGTH);
  const mac = createHmac('sha256', macKey).update(iv).update(ciphertext).digest().subarray(0, MAC_LENGTH);
  if (!timingSafeEqual(mac, file.subarray(file.length - MAC_LENGTH))) throw corrupt('its MAC does not match');
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', cipherKey, iv);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw corrupt('it does not decrypt');
  }
  if (ref.fileSha256 !== null && !sha256(plaintext).equals(Buffer.from(ref.fileSha256, 'base64'))) {
    throw corrupt('its hash does not match');
  }
  return plaintext;
}

function pathOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return null;
  }
}

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}
