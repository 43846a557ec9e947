import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import type { SecretBox } from '../../secrets/secret-box';
import type { Database } from '../../store/schema';
import { periodKeysIn, type BudgetLedger, type BudgetPeriod, type PeriodKeys, type Spend } from './cost';
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
      const hint = key.length <= 8 ? '' : key.slice(-4);
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
  /** Reads the current day's and month's totals: call once before the first message. */
  load(): Promise<void>;
  /** Resolves once every recorded spend is on disk. */
  flush(): Promise<void>;
  /** The workspace's spend in dollars this day and month, and its number of AI calls (for Settings). */
  summary(
    workspaceId: WorkspaceId,
  ): Promise<{ dayUsd: number; monthUsd: number; dayCalls: number; monthCalls: number }>;
}

/**
 * A BudgetLedger kept in memory for the hot path (the orchestrator asks it synchronously) and written
 * through to `ai_spend`, so a restart does not hand a workspace a fresh budget. Days and months are
 * counted in `timeZone` (default the shops' Africa/Lagos).
 */
export function createPersistentBudgetLedger(options: {
  db: Kysely<Database>;
  now: () => number;
  timeZone?: string;
  logger?: Logger;
}): PersistentBudgetLedger {
  const table = options.db.withTables<AiTables>();
  const keysAt = periodKeysIn(options.timeZone ?? 'Africa/Lagos');
  interface Totals {
    keys: PeriodKeys;
    day: number;
    month: number;
    noticed: Set<string>;
  }
  const totals = new Map<string, Totals>();
  let writes: Promise<void> = Promise.resolve();

  function current(workspaceId: string): Totals {
    const keys = keysAt(options.now());
    const previous = totals.get(workspaceId);
    const t: Totals = {
      keys,
      day: previous?.keys.day === keys.day ? previous.day : 0,
      month: previous?.keys.month === keys.month ? previous.month : 0,
      noticed: new Set(
        [...(previous?.noticed ?? [])].filter((n) => n === `day:${keys.day}` || n === `month:${keys.month}`),
      ),
    };
    totals.set(workspaceId, t);
    return t;
  }

  function write(task: () => Promise<unknown>): void {
    writes = writes
      .then(task)
      .then(() => undefined)
      .catch((error: unknown) => {
        options.logger?.error(
          'ai.spend_write_failed',
          'Could not save AI spending; budgets may reset at restart',
          {
            error,
          },
        );
      });
  }

  function upsert(
    workspaceId: string,
    period: BudgetPeriod,
    key: string,
    nano: number,
    noticed: boolean,
  ): Promise<unknown> {
    const now = options.now();
    return table
      .insertInto('ai_spend')
      .values({
        workspace_id: workspaceId,
        period,
        period_key: key,
        nano_usd: nano,
        calls: nano > 0 ? 1 : 0,
        noticed: noticed ? 1 : 0,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'period', 'period_key']).doUpdateSet((eb) => ({
          nano_usd: eb('ai_spend.nano_usd', '+', nano),
          calls: eb('ai_spend.calls', '+', nano > 0 ? 1 : 0),
          noticed: noticed ? 1 : eb.ref('ai_spend.noticed'),
          updated_at: now,
        })),
      )
      .execute();
  }

  return {
    async load() {
      const keys = keysAt(options.now());
      const rows = await table
        .selectFrom('ai_spend')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb('period', '=', 'day'), eb('period_key', '=', keys.day)]),
            eb.and([eb('period', '=', 'month'), eb('period_key', '=', keys.month)]),
          ]),
        )
        .execute();
      for (const row of rows) {
        const t = current(row.workspace_id);
        if (row.period === 'day') t.day = row.nano_usd;
        else t.month = row.nano_usd;
        if (row.noticed === 1) t.noticed.add(`${row.period}:${row.period_key}`);
      }
    },

    record(workspaceId, nanoUsd) {
      if (!Number.isSafeInteger(nanoUsd) || nanoUsd < 0)
        throw new RangeError('nanoUsd must be a non-negative integer');
      const t = current(workspaceId);
      t.day += nanoUsd;
      t.month += nanoUsd;
      const { day, month } = t.keys;
      write(async () => {
        await upsert(workspaceId, 'day', day, nanoUsd, false);
        await upsert(workspaceId, 'month', month, nanoUsd, false);
      });
    },

    spent(workspaceId): Spend {
      const t = current(workspaceId);
      return { keys: t.keys, day: t.day, month: t.month };
    },

    claimNotice(workspaceId, period, key) {
      const t = current(workspaceId);
      const id = `${period}:${key}`;
      if (t.noticed.has(id)) return false;
      t.noticed.add(id);
      write(() => upsert(workspaceId, period, key, 0, true));
      return true;
    },

    flush: () => writes,

    async summary(workspaceId) {
      await writes;
      const keys = keysAt(options.now());
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
