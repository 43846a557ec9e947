import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import type { SecretBox } from '../../secrets/secret-box';
import type { Database } from '../../store/schema';
import { createBudgetLedger, periodKeysIn, type BudgetLedger, type BudgetPeriod } from './cost';
import type { AiKeyStore } from './workspace-ai';

/** Tables of migration 0007-ai, declared here (like unanswered questions) to keep them beside their code. */
interface AiKeysTable {
  workspace_id: string;
  provider_id: string;
  key_sealed: string;
  hint: string;
  updated_at: number;
}
interface AiSpendTable {
  workspace_id: string;
  period: string;
  period_key: string;
  nano_usd: number;
  calls: number;
  noticed: number;
  updated_at: number;
}
type AiTables = { ai_keys: AiKeysTable; ai_spend: AiSpendTable };

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
      await table
        .insertInto('ai_keys')
        .values({
          workspace_id: workspaceId,
          provider_id: providerId,
          key_sealed: box.seal(key),
          hint,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'provider_id']).doUpdateSet({
            key_sealed: box.seal(key),
            hint,
            updated_at: now,
          }),
        )
        .execute();
      return { providerId, hint, updatedAt: now };
    },

    async remove(workspaceId: WorkspaceId, providerId: string): Promise<boolean> {
      const result = await table
        .deleteFrom('ai_keys')
        .where('workspace_id', '=', workspaceId)
        .where('provider_id', '=', providerId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
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
      const row = await table
        .selectFrom('ai_keys')
        .select('key_sealed')
        .where('workspace_id', '=', workspaceId)
        .where('provider_id', '=', providerId)
        .executeTakeFirst();
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

export interface PersistentBudgetLedger extends BudgetLedger {
  /** Reads the current days' and months' totals: call once before the first message. */
  load(): Promise<void>;
  /** Resolves once every recorded spend is on disk. */
  flush(): Promise<void>;
  /** The workspace's spend in dollars this day and month, and its number of AI calls (for Settings). */
  summary(
    workspaceId: WorkspaceId,
  ): Promise<{ dayUsd: number; monthUsd: number; dayCalls: number; monthCalls: number }>;
}

/** Longest a zone's date is behind or ahead of UTC's, and then some: rows this recent may be "today". */
const LOAD_WINDOW_MS = 36 * 3_600_000;

/**
 * The in-memory ledger (cost.ts) for the hot path (the orchestrator asks it synchronously), written
 * through to `ai_spend`, so a restart does not hand a workspace a fresh budget. Days and months are
 * counted in each workspace's time zone (`setTimeZone`; `timeZone` until then, default Africa/Lagos).
 */
export function createPersistentBudgetLedger(options: {
  db: Kysely<Database>;
  now: () => number;
  timeZone?: string;
  logger?: Logger;
}): PersistentBudgetLedger {
  const table = options.db.withTables<AiTables>();
  const zones = new Map<string, string>();
  const defaultZone = options.timeZone ?? 'Africa/Lagos';
  let writes: Promise<void> = Promise.resolve();

  function write(task: () => Promise<unknown>): void {
    writes = writes
      .then(task)
      .then(() => undefined)
      .catch((error: unknown) => {
        options.logger?.error(
          'ai.spend_write_failed',
          'Could not save AI spending; budgets may reset at restart',
          { error },
        );
      });
  }

  function upsert(
    workspaceId: string,
    period: BudgetPeriod,
    key: string,
    nano: number,
    noticed: boolean | null,
  ): Promise<unknown> {
    const now = options.now();
    const calls = nano > 0 ? 1 : 0;
    return table
      .insertInto('ai_spend')
      .values({
        workspace_id: workspaceId,
        period,
        period_key: key,
        nano_usd: nano,
        calls,
        noticed: noticed === true ? 1 : 0,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'period', 'period_key']).doUpdateSet((eb) => ({
          nano_usd: eb('ai_spend.nano_usd', '+', nano),
          calls: eb('ai_spend.calls', '+', calls),
          noticed: noticed === null ? eb.ref('ai_spend.noticed') : noticed ? 1 : 0,
          updated_at: now,
        })),
      )
      .execute();
  }

  const memory = createBudgetLedger({
    now: options.now,
    timeZone: defaultZone,
    onRecord: (workspaceId, keys, nano) =>
      write(async () => {
        await upsert(workspaceId, 'day', keys.day, nano, null);
        await upsert(workspaceId, 'month', keys.month, nano, null);
      }),
    onNotice: (workspaceId, period, key, noticed) =>
      write(() => upsert(workspaceId, period, key, 0, noticed)),
  });
  const keysOf = (workspaceId: string) => periodKeysIn(zones.get(workspaceId) ?? defaultZone)(options.now());

  return {
    ...memory,
    setTimeZone(workspaceId, timeZone) {
      zones.set(workspaceId, timeZone);
      memory.setTimeZone(workspaceId, timeZone);
    },

    async load() {
      // The zones are not known yet: every day and month key some zone may be in now.
      const since = periodKeysIn('UTC')(options.now() - LOAD_WINDOW_MS);
      const rows = await table
        .selectFrom('ai_spend')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb('period', '=', 'day'), eb('period_key', '>=', since.day)]),
            eb.and([eb('period', '=', 'month'), eb('period_key', '>=', since.month)]),
          ]),
        )
        .orderBy('period_key')
        .execute();
      for (const row of rows) {
        memory.seed(
          row.workspace_id,
          row.period as BudgetPeriod,
          row.period_key,
          row.nano_usd,
          row.noticed === 1,
        );
      }
    },

    flush: () => writes,

    async summary(workspaceId) {
      await writes;
      const keys = keysOf(workspaceId);
      const rows = await table
        .selectFrom('ai_spend')
        .select(['period', 'period_key', 'nano_usd', 'calls'])
        .where('workspace_id', '=', workspaceId)
        .where('period_key', 'in', [keys.day, keys.month])
        .execute();
      const day = rows.find((r) => r.period === 'day' && r.period_key === keys.day);
      const month = rows.find((r) => r.period === 'month' && r.period_key === keys.month);
      return {
        dayUsd: (day?.nano_usd ?? 0) / 1e9,
        monthUsd: (month?.nano_usd ?? 0) / 1e9,
        dayCalls: day?.calls ?? 0,
        monthCalls: month?.calls ?? 0,
      };
    },
  };
}
