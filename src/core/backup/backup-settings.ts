import { join } from 'node:path';
import type { BackupSettings } from '../../shared/backup-contract';
import type { SecretBox } from '../secrets/secret-box';
import { readArchiveHeader } from './archive-format';
import { machineKey, openArchiveKey, passphraseKey, type ArchiveKey } from './archive-keys';
import { readJsonFile, writeJsonFileAtomic } from './json-file';

const SETTINGS_FILE = 'settings.json';
const STATE_FILE = 'state.json';

export interface StoredSettings {
  keepDaily: number;
  keepWeekly: number;
  secondFolder: string | null;
  /** The passphrase's derived key, sealed with the machine's key store, so daily backups need no typing. */
  passphrase: { salt: string; N: number; r: number; p: number; sealedKey: string } | null;
}

export interface StoredState {
  lastGoodAt: number | null;
  lastGoodFile: string | null;
  lastError: { at: number; message: string } | null;
}

const DEFAULT_SETTINGS: StoredSettings = {
  keepDaily: 7,
  keepWeekly: 4,
  secondFolder: null,
  passphrase: null,
};

export interface BackupSettingsPatch {
  keepDaily?: number;
  keepWeekly?: number;
  secondFolder?: string | null;
  passphrase?: string | null;
}

export type BackupSettingsFiles = ReturnType<typeof createBackupSettingsFiles>;

/**
 * The backups folder's own files: the owner's settings (with the passphrase's key sealed) and the
 * state of the last backup, and the keys they give for a new archive or one to open.
 */
export function createBackupSettingsFiles(folder: string, secrets: SecretBox) {
  const settingsPath = join(folder, SETTINGS_FILE);
  const statePath = join(folder, STATE_FILE);

  const readSettings = (): StoredSettings => ({
    ...DEFAULT_SETTINGS,
    ...readJsonFile<StoredSettings>(settingsPath),
  });
  const readState = (): StoredState => ({
    lastGoodAt: null,
    lastGoodFile: null,
    lastError: null,
    ...readJsonFile<StoredState>(statePath),
  });

  const storedPassphraseKey = (): ArchiveKey | undefined => {
    const p = readSettings().passphrase;
    if (p === null) return undefined;
    const { sealedKey, ...params } = p;
    return {
      source: { source: 'passphrase', kdf: 'scrypt', ...params },
      masterKey: Buffer.from(secrets.open(sealedKey), 'base64'),
    };
  };

  return {
    readSettings,
    readState,
    writeState: (patch: Partial<StoredState>) => writeJsonFileAtomic(statePath, { ...readState(), ...patch }),
    keyForNewBackup: (): ArchiveKey => storedPassphraseKey() ?? machineKey(secrets),
    async keyOf(file: string, passphrase?: string): Promise<Buffer> {
      const header = await readArchiveHeader(file);
      const known = storedPassphraseKey();
      return openArchiveKey(header.key, {
        secrets,
        ...(passphrase !== undefined && { passphrase }),
        ...(known !== undefined && { knownPassphraseKey: known }),
      });
    },
    publicSettings(): BackupSettings {
      const s = readSettings();
      return {
        keepDaily: s.keepDaily,
        keepWeekly: s.keepWeekly,
        secondFolder: s.secondFolder,
        protection: s.passphrase === null ? 'this-computer' : 'passphrase',
        folder,
      };
    },
    /** Writes the changed settings; a new passphrase is stretched into a key and sealed. */
    async configure(patch: BackupSettingsPatch): Promise<StoredSettings> {
      const next: StoredSettings = { ...readSettings() };
      if (patch.keepDaily !== undefined) next.keepDaily = patch.keepDaily;
      if (patch.keepWeekly !== undefined) next.keepWeekly = patch.keepWeekly;
      if (patch.secondFolder !== undefined) next.secondFolder = patch.secondFolder;
      if (patch.passphrase === null) next.passphrase = null;
      if (typeof patch.passphrase === 'string') {
        const key = await passphraseKey(patch.passphrase);
        if (key.source.source !== 'passphrase') throw new Error('unreachable');
        const { salt, N, r, p } = key.source;
        next.passphrase = { salt, N, r, p, sealedKey: secrets.seal(key.masterKey.toString('base64')) };
      }
      writeJsonFileAtomic(settingsPath, next);
      return next;
    },
  };
}
