import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { AiKeyStore } from '../../bot/ai/workspace-ai';
import type { Logger } from '../../log/logger';
import type { SecretBox } from '../../secrets/secret-box';
import type { Database } from '../schema';
import { keyedTable } from './keyed-table';

/** Tables of migration 0007-ai, declared beside their only code. */
export interface AiKeysTable {
  workspace_id: string;
  provider_id: string;
  key_sealed: string;
  hint: string;
  updated_at: number;
}
export interface AiSpendTable {
  workspace_id: string;
  period: string;
  period_key: string;
  nano_usd: number;
  calls: number;
  noticed: number;
  updated_at: number;
}
export type AiTables = { ai_keys: AiKeysTable; ai_spend: AiSpendTable };

export interface StoredAiKey {
  providerId: string;
  /** The key's last four characters, for the owner to recognise it; never more. */
  hint: string;
  updatedAt: number;
}

export type AiKeyRepository = ReturnType<typeof createAiKeyRepository>;

/** API keys, sealed by the SecretBox before they reach the database; only `get` opens them. */
export function createAiKeyRepository(db: Kysely<Database>, box: SecretBox, logger?: Logger) {
  const table = db.withTables<AiTables>();
  const keys = keyedTable(table, 'ai_keys');
  const repo = {
    async set(
      workspaceId: WorkspaceId,
      providerId: string,
      apiKey: string,
      now: number,
    ): Promise<StoredAiKey> {
      const key = apiKey.trim();
      // Four characters of a long key, fewer of a short one: never more than a quarter of it.
      const hint = key.slice(-Math.min(4, Math.floor(key.length / 4)));
      await keys.upsert(
        {
          workspace_id: workspaceId,
          provider_id: providerId,
          key_sealed: box.seal(key),
          hint,
          updated_at: now,
        },
        ['workspace_id', 'provider_id'],
        ['key_sealed', 'hint', 'updated_at'],
      );
      return { providerId, hint, updatedAt: now };
    },

    async remove(workspaceId: WorkspaceId, providerId: string): Promise<boolean> {
      return (await keys.remove({ workspace_id: workspaceId, provider_id: providerId })) > 0;
    },

    async list(workspaceId: WorkspaceId): Promise<StoredAiKey[]> {
      const rows = await table
        .selectFrom('ai_keys')
        .select(['provider_id', 'hint', 'updated_at'])
        .where('workspace_id', '=', workspaceId)
        .orderBy('provider_id')
        .execute();
      return rows.map((r) => ({ providerId: r.provider_id, hint: r.hint, updatedAt: r.updated_at }));
    },

    /** The plain key, or null when none is stored or it cannot be opened (another PC's key file). */
    async get(workspaceId: WorkspaceId, providerId: string): Promise<string | null> {
      const row = await keys.find({ workspace_id: workspaceId, provider_id: providerId }, ['key_sealed']);
      if (row === undefined) return null;
      try {
        return box.open(row.key_sealed);
      } catch (error) {
        logger
          ?.child({ workspaceId })
          .error('ai.key_unreadable', `The API key of ${providerId} cannot be read; enter it again`, {
            provider: providerId,
            error,
          });
        return null;
      }
    },
  };
  return repo satisfies AiKeyStore & Record<string, unknown>;
}
