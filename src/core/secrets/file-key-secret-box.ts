import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SecretBoxError, type SecretBox } from './secret-box';

export const SECRETS_KEY_FILE = 'secrets.key';

const PREFIX = 'v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Binds a sealed value to this format: a value of another format cannot be passed off as this one. */
const AAD = Buffer.from('switchboard.secret.v1');

/**
 * AES-256-GCM with a random key kept in `<dataDir>/secrets.key` (mode 0600), made on first use. A
 * sealed value is `v1:` + base64url(iv | tag | ciphertext); GCM's tag makes any change to it, or a
 * different key, fail loudly instead of decrypting to garbage.
 *
 * This protects the token in the database file, not against someone who can read the whole data
 * folder as this user; the desktop app uses the operating system's key store instead where it has one.
 */
export function createFileKeySecretBox(options: { dataDir: string } | { keyPath: string }): SecretBox {
  const keyPath = 'keyPath' in options ? options.keyPath : join(options.dataDir, SECRETS_KEY_FILE);
  let key: Buffer | undefined;
  return createAesGcmSecretBox(() => (key ??= readOrCreateKey(keyPath)), {
    prefix: PREFIX,
    aad: AAD,
    keyName: keyPath,
  });
}

/**
 * The sealing itself, for any 32-byte key: the key file's box above, and a backup archive's box that
 * carries secrets to another computer under the archive's own key. `prefix` and `aad` tell the boxes'
 * values apart, so one is never opened as the other.
 */
export function createAesGcmSecretBox(
  loadKey: () => Buffer,
  options: { prefix: string; aad: Buffer; keyName: string },
): SecretBox {
  const { prefix, aad, keyName } = options;
  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', loadKey(), iv);
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return prefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed) {
      if (typeof sealed !== 'string' || !sealed.startsWith(prefix)) {
        throw new SecretBoxError(
          'The stored secret is not in a format this version of Switchboard can read.',
        );
      }
      const raw = Buffer.from(sealed.slice(prefix.length), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) {
        throw new SecretBoxError('The stored secret is damaged (too short).');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', loadKey(), raw.subarray(0, IV_BYTES));
        decipher.setAAD(aad);
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch (error) {
        if (error instanceof SecretBoxError) throw error;
        throw new SecretBoxError(
          `The stored secret could not be decrypted: it was changed, or it was sealed with another key than ${keyName}.`,
          { cause: error },
        );
      }
    },
  };
}

function readOrCreateKey(path: string): Buffer {
  const existing = readKey(path);
  if (existing !== undefined) return existing;
  mkdirSync(dirname(path), { recursive: true });
  const fresh = randomBytes(KEY_BYTES);
  try {
    // 'wx': two processes starting at once cannot both write a key; the loser reads the winner's.
    writeFileSync(path, `${fresh.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const winner = readKey(path);
      if (winner !== undefined) return winner;
    }
    throw new SecretBoxError(`Could not create the key file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    // The mode given to open() is reduced by the umask, never widened; this only makes sure.
    chmodSync(path, 0o600);
  } catch {
    // Windows has no such modes; the file sits in the user's own profile folder.
  }
  return fresh;
}

function readKey(path: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretBoxError(`Could not read the key file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const key = Buffer.from(text.trim(), 'base64');
  // Never replace a damaged key file: every secret sealed with it would be lost for good.
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxError(
      `The key file ${path} is damaged (expected ${KEY_BYTES} bytes). Restore it from a backup, or move it ` +
        'away and enroll again with the central server.',
    );
  }
  return key;
}
