// WhatsApp's media encryption, written from the protocol (not borrowed from Baileys) so that the
// client's implementation is checked against an independent one in both directions.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hkdf, sha256 } from './keys';

/** Which HKDF info string a media type uses; stickers share the image keys, voice notes the audio keys. */
export type MediaKeyType = 'image' | 'video' | 'audio' | 'document' | 'sticker' | 'ptt';

const INFO: Record<MediaKeyType, string> = {
  image: 'WhatsApp Image Keys',
  sticker: 'WhatsApp Image Keys',
  video: 'WhatsApp Video Keys',
  audio: 'WhatsApp Audio Keys',
  ptt: 'WhatsApp Audio Keys',
  document: 'WhatsApp Document Keys',
};

const MAC_LENGTH = 10;

interface ExpandedKeys {
  iv: Buffer;
  cipherKey: Buffer;
  macKey: Buffer;
}

/** The 32-byte media key expanded with HKDF-SHA256 (no salt) to 112 bytes: iv 16, cipher 32, mac 32. */
export function expandMediaKey(mediaKey: Uint8Array, type: MediaKeyType): ExpandedKeys {
  const expanded = hkdf(mediaKey, 112, Buffer.alloc(0), INFO[type]);
  return {
    iv: expanded.subarray(0, 16),
    cipherKey: expanded.subarray(16, 48),
    macKey: expanded.subarray(48, 80),
  };
}

export interface EncryptedMedia {
  mediaKey: Buffer;
  /** AES-256-CBC(plaintext) followed by the first 10 bytes of HMAC-SHA256(macKey, iv || ciphertext). */
  file: Buffer;
  fileSha256: Buffer;
  fileEncSha256: Buffer;
  fileLength: number;
}

export function encryptMedia(
  plaintext: Uint8Array,
  type: MediaKeyType,
  mediaKey = randomBytes(32),
): EncryptedMedia {
  const { iv, cipherKey, macKey } = expandMediaKey(mediaKey, type);
  const cipher = createCipheriv('aes-256-cbc', cipherKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const mac = createHmac('sha256', macKey).update(iv).update(ciphertext).digest().subarray(0, MAC_LENGTH);
  const file = Buffer.concat([ciphertext, mac]);
  return {
    mediaKey: Buffer.from(mediaKey),
    file,
    fileSha256: sha256(plaintext),
    fileEncSha256: sha256(file),
    fileLength: plaintext.length,
  };
}

/**
 * Checks what a client uploaded and decrypts it: the encrypted hash, the MAC, then the plaintext's hash.
 * Throws with the first check that fails, as the recipient's phone would refuse the file.
 */
export function decryptMedia(
  file: Uint8Array,
  mediaKey: Uint8Array,
  type: MediaKeyType,
  expected: { fileSha256?: Uint8Array | null; fileEncSha256?: Uint8Array | null },
): Buffer {
  if (expected.fileEncSha256 && !sha256(file).equals(Buffer.from(expected.fileEncSha256))) {
    throw new Error('fileEncSha256 does not match the uploaded file');
  }
  if (file.length < MAC_LENGTH + 16) throw new Error(`media file too short (${file.length} bytes)`);
  const { iv, cipherKey, macKey } = expandMediaKey(mediaKey, type);
  const ciphertext = file.subarray(0, file.length - MAC_LENGTH);
  const mac = file.subarray(file.length - MAC_LENGTH);
  const wanted = createHmac('sha256', macKey).update(iv).update(ciphertext).digest().subarray(0, MAC_LENGTH);
  if (!timingSafeEqual(mac, wanted)) throw new Error('media MAC does not match');
  const decipher = createDecipheriv('aes-256-cbc', cipherKey, iv);
  const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  if (expected.fileSha256 && !sha256(plaintext).equals(Buffer.from(expected.fileSha256))) {
    throw new Error('fileSha256 does not match the decrypted file');
  }
  return plaintext;
}
