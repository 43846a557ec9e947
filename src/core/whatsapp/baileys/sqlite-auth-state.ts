import {
  BufferJSON,
  initAuthCreds,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import type { WorkspaceId } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import type { AuthKeyChange, WaAuthRepository } from '../../store/repositories/wa-auth';

export interface SqliteAuthState {
  state: AuthenticationState;
  /** Persist the creds object; called on every `creds.update`. */
  saveCreds(): Promise<void>;
  /** Whether these credentials belong to a paired device (`creds.account` is set only after pairing). */
  isPaired(): boolean;
}

/**
 * Baileys' auth state kept in the store's SQLite tables instead of `useMultiFileAuthState`, which its
 * authors call unfit for production: its writes are not atomic, and an unreadable creds file silently
 * becomes fresh credentials (a 401 later). Here every `keys.set` batch is one transaction, and a creds
 * row that cannot be parsed is an error, never a silent new identity.
 */
export async function loadSqliteAuthState(options: {
  repo: WaAuthRepository;
  workspaceId: WorkspaceId;
  phoneNumberId: string;
  logger: Logger;
  now: () => number;
  /**
   * LID <-> phone pairs Baileys stored (its 'lid-mapping' keys: `<pnUser>` -> `<lidUser>`), after they
   * commit. Every mapping Baileys learns lands there, including the first history sync's, which it
   * otherwise keeps to itself (rc14's event buffer drops `lidPnMappings` from 'messaging-history.set').
   */
  onLidMappings?: (pairs: { lid: string; pn: string }[]) => void;
}): Promise<SqliteAuthState> {
  const { repo, workspaceId, phoneNumberId } = options;
  const stored = await repo.readCreds(workspaceId, phoneNumberId);
  let creds: AuthenticationCreds;
  if (stored === undefined) {
    creds = initAuthCreds();
  } else {
    try {
      creds = JSON.parse(stored, BufferJSON.reviver) as AuthenticationCreds;
    } catch (error) {
      throw new Error(
        `the stored WhatsApp credentials for this number cannot be read: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  const keys: SignalKeyStore = {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const rows = await repo.getKeys(workspaceId, phoneNumberId, type, ids);
      const result: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const [id, json] of Object.entries(rows)) {
        let value: unknown = JSON.parse(json, BufferJSON.reviver);
        // Protobuf values must be revived as message objects, or app-state sync fails to decode them.
        if (type === 'app-state-sync-key' && value !== null) {
          value = proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>);
        }
        result[id] = value as SignalDataTypeMap[T];
      }
      return result;
    },

    async set(data: SignalDataSet) {
      // Serialise everything first: a value that cannot be written aborts the batch before any row changes.
      const changes: AuthKeyChange[] = [];
      for (const [type, entries] of Object.entries(data)) {
        for (const [id, value] of Object.entries(entries ?? {})) {
          changes.push({
            type,
            id,
            value: value === null || value === undefined ? null : JSON.stringify(value, BufferJSON.replacer),
          });
        }
      }
      await repo.setKeys(workspaceId, phoneNumberId, changes);
      const pairs = Object.entries(data['lid-mapping'] ?? {}).flatMap(([pnUser, lidUser]) =>
        typeof lidUser === 'string' && !pnUser.endsWith('_reverse')
          ? [{ lid: `${lidUser}@lid`, pn: `${pnUser}@s.whatsapp.net` }]
          : [],
      );
      if (pairs.length > 0) options.onLidMappings?.(pairs);
    },

    async clear() {
      await repo.clear(workspaceId, phoneNumberId);
    },
  };

  return {
    state: { creds, keys },
    saveCreds: () =>
      repo.writeCreds(workspaceId, phoneNumberId, JSON.stringify(creds, BufferJSON.replacer), options.now()),
    isPaired: () => creds.account !== undefined && creds.account !== null,
  };
}
