import { randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { SwitchboardError } from '../errors';
import type { SecretBox } from '../secrets/secret-box';
import type { ArchiveKeySource } from './archive-format';

/**
 * Where an archive's key comes from. A passphrase (scrypt: costly to guess, run on libuv's thread pool
 * so the app keeps turning) lets the archive be opened on any computer; the machine's key store (the
 * SecretBox the app seals tokens with) needs nothing from the owner, but only this install can open it.
 */

/** scrypt cost: 2^15 x 8 x 128 bytes = 32 MiB and ~100 ms per guess on a shop PC. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const MIN_PASSPHRASE = 8;

function scrypt(passphrase: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(
      passphrase.normalize('NFC'),
      salt,
      32,
      { ...options, maxmem: 128 * 1024 * 1024 },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    ),
  );
}

export function checkPassphrase(passphrase: string): void {
  if (passphrase.trim().length < MIN_PASSPHRASE) {
    throw new SwitchboardError(
      'VALIDATION',
      `Choose a passphrase of at least ${MIN_PASSPHRASE} characters (a few words you will remember).`,
    );
  }
}

export interface ArchiveKey {
  source: ArchiveKeySource;
  masterKey: Buffer;
}

/** A new passphrase key: a fresh salt, the key derived from it. */
export async function passphraseKey(passphrase: string): Promise<ArchiveKey> {
  checkPassphrase(passphrase);
  const salt = randomBytes(16);
  const masterKey = await scrypt(passphrase, salt, SCRYPT);
  return {
    source: { source: 'passphrase', kdf: 'scrypt', salt: salt.toString('base64'), ...SCRYPT },
    masterKey,
  };
}

/** A fresh random key for one archive, sealed into its header with this computer's key store. */
export function machineKey(secrets: SecretBox): ArchiveKey {
  const masterKey = randomBytes(32);
  return { source: { source: 'machine', sealedKey: secrets.seal(masterKey.toString('base64')) }, masterKey };
}

/** The key of an archive from its header: the passphrase re-derived, or the sealed key opened. */
export async function openArchiveKey(
  source: ArchiveKeySource,
  options: { secrets: SecretBox; passphrase?: string; knownPassphraseKey?: ArchiveKey },
): Promise<Buffer> {
  switch (source.source) {
    case 'machine':
      try {
        return Buffer.from(options.secrets.open(source.sealedKey), 'base64');
      } catch (error) {
        throw new SwitchboardError(
          'BACKUP_FAILED',
          "This backup was made with another computer's key store; it can only be opened there. " +
            'Backups for another computer need a passphrase.',
          {},
          { cause: error },
        );
      }
    case 'passphrase': {
      const known = options.knownPassphraseKey;
      if (known?.source.source === 'passphrase' && known.source.salt === source.salt) return known.masterKey;
      if (options.passphrase === undefined) {
        throw new SwitchboardError(
          'VALIDATION',
          'This backup is protected by a passphrase: type it to open it.',
          {
            needsPassphrase: true,
          },
        );
      }
      if (source.kdf !== 'scrypt' || source.N > 2 ** 20 || source.r > 32 || source.p > 16) {
        throw new SwitchboardError(
          'BACKUP_FAILED',
          'This backup uses key settings this version does not accept.',
        );
      }
      return scrypt(options.passphrase, Buffer.from(source.salt, 'base64'), {
        N: source.N,
        r: source.r,
        p: source.p,
      });
    }
    default:
      throw new SwitchboardError('BACKUP_FAILED', 'This backup uses a key this version does not know.');
  }
}
