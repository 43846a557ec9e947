import { describe, expect, it } from 'vitest';
import { SecretBoxError, type SecretBox } from '../core/index';
import { createSafeStorageSecretBox, type SafeStorageLike } from './safe-storage-secret-box';

/** Stands in for safeStorage: reversible, keyed, and refuses anything it did not make. */
function fakeSafeStorage(available = true, backend = 'gnome_libsecret'): SafeStorageLike {
  const MAGIC = Buffer.from('OSv1');
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => Buffer.concat([MAGIC, Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)]),
    decryptString: (encrypted) => {
      if (!encrypted.subarray(0, 4).equals(MAGIC)) throw new Error('Error while decrypting the ciphertext');
      return Buffer.from(encrypted.subarray(4).map((b) => b ^ 0x5a)).toString('utf8');
    },
  };
}

const fallback: SecretBox = {
  seal: (plain) => `v1:${Buffer.from(plain).toString('base64url')}`,
  open: (sealed) => Buffer.from(sealed.slice(3), 'base64url').toString(),
};

describe('safeStorage secret box', () => {
  it('seals with the OS key store and opens what it sealed', () => {
    const box = createSafeStorageSecretBox(fakeSafeStorage(), fallback, 'win32');
    const sealed = box.seal('sbw_token');
    expect(sealed).toMatch(/^os1:/);
    expect(box.open(sealed)).toBe('sbw_token');
  });

  it('falls back to the key-file box without a real key store, and still opens older values', () => {
    const basic = createSafeStorageSecretBox(fakeSafeStorage(true, 'basic_text'), fallback, 'linux');
    expect(basic.seal('t')).toMatch(/^v1:/);
    const none = createSafeStorageSecretBox(fakeSafeStorage(false), fallback, 'darwin');
    expect(none.seal('t')).toMatch(/^v1:/);
    const os = createSafeStorageSecretBox(fakeSafeStorage(), fallback, 'linux');
    expect(os.open(fallback.seal('from the file box'))).toBe('from the file box');
  });

  it('refuses a tampered value with a clear error', () => {
    const box = createSafeStorageSecretBox(fakeSafeStorage(), fallback, 'win32');
    expect(() => box.open('os1:AAAA')).toThrow(SecretBoxError);
    expect(() => box.open('os1:AAAA')).toThrow(/could not decrypt the stored secret/);
    const unavailable = createSafeStorageSecretBox(fakeSafeStorage(false), fallback, 'win32');
    expect(() => unavailable.open(box.seal('x'))).toThrow(/key store is not available/);
  });
});
