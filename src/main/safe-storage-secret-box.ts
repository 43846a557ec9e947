import { SecretBoxError, type SecretBox } from '../core/index';

/** The part of Electron's safeStorage this adapter uses (typed structurally so tests need no Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keyring was found and the "encryption" is a fixed key. */
  getSelectedStorageBackend?(): string;
}

const PREFIX = 'os1:';

/**
 * Seals with the operating system's key store (DPAPI on Windows, the Keychain on macOS, the Secret
 * Service / KWallet on Linux) through Electron's safeStorage, so a copied data folder alone cannot
 * unseal the central server's token. Where the OS has none (Linux without a keyring), it falls back to
 * the core's key-file box; values sealed by either stay readable, told apart by their prefix.
 */
export function createSafeStorageSecretBox(
  safeStorage: SafeStorageLike,
  fallback: SecretBox,
  platform: NodeJS.Platform = process.platform,
): SecretBox {
  const usable = (): boolean =>
    safeStorage.isEncryptionAvailable() &&
    !(platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text');
  return {
    seal(plain) {
      if (!usable()) return fallback.seal(plain);
      return PREFIX + safeStorage.encryptString(plain).toString('base64');
    },
    open(sealed) {
      if (!sealed.startsWith(PREFIX)) return fallback.open(sealed);
      if (!safeStorage.isEncryptionAvailable()) {
        throw new SecretBoxError(
          "The operating system's key store is not available, so the stored secret cannot be read.",
        );
      }
      try {
        return safeStorage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
      } catch (error) {
        throw new SecretBoxError(
          'The operating system could not decrypt the stored secret: it was changed, or sealed by another user or computer.',
          { cause: error },
        );
      }
    },
  };
}
