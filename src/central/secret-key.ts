import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The central server's key for secrets it must read back (a Cloud number's App Secret: verifying a
 * webhook's HMAC needs the secret itself, so a hash will not do). AES-256-GCM, `v1:` + base64url of
 * nonce (12) | tag (16) | ciphertext, like the desktop's key-file SecretBox. The key is
 * `CENTRAL_SECRET_KEY` (64 hex digits) when set, otherwise `<dataDir>/central-secret-key`, made on first
 * start with owner-only permissions. A copy of the database alone then holds no usable app secret.
 * Unlike the admin token, this key must never be replaced: the sealed secrets would be lost with it.
 */
export const SECRET_KEY_FILE = 'central-secret-key';
export const SECRET_KEY_ENV = 'CENTRAL_SECRET_KEY';
const KEY_HEX = /^[0-9a-f]{64}$/i;

export function loadOrCreateSecretKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnv = env[SECRET_KEY_ENV]?.trim();
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!KEY_HEX.test(fromEnv))
      throw new Error(
        `${SECRET_KEY_ENV} must be 64 hex digits (e.g. the output of \`openssl rand -hex 32\`).`,
      );
    return Buffer.from(fromEnv, 'hex');
  }
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, SECRET_KEY_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    if (!KEY_HEX.test(text))
      throw new Error(`${path} is not a central secret key (64 hex digits); restore it from a backup.`);
    return Buffer.from(text, 'hex');
  }
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  if (process.platform !== 'win32') chmodSync(path, 0o600);
  return key;
}

export function sealWithKey(key: Buffer, plain: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1:${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** Throws when the value was altered or sealed under another key. */
export function openWithKey(key: Buffer, sealed: string): string {
  if (!sealed.startsWith('v1:')) throw new Error('not a sealed value');
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  if (raw.length < 28) throw new Error('sealed value too short');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
