import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';
import { camelRow } from './row-fields';
import type { AiTables } from './ai-keys';

export type SpendPeriod = 'day' | 'month';

export interface SpendRow {
  workspaceId: string;
  period: SpendPeriod;
  periodKey: string;
  nanoUsd: number;
  calls: number;
  noticed: boolean;
}

export type AiSpendRepository = ReturnType<typeof createAiSpendRepository>;

/** What each workspace spent on AI per local day and month (`ai_spend`, migration 0007-ai). */
export function createAiSpendRepository(db: Kysely<Database>) {
  const table = db.withTables<AiTables>();
  return {
    /**
     * Adds `nano` to the period's total (one call when it is more than nothing); `noticed` sets the
     * "owner was told" flag, null leaves it as it is.
     */
    async add(
      workspaceId: string,
      period: SpendPeriod,
      key: string,
      nano: number,
      noticed: boolean | null,
      now: number,
    ): Promise<void> {
      const calls = nano > 0 ? 1 : 0;
      await table
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
    },

    /** Every workspace's totals of days and months from these keys on, oldest first. */
    async since(keys: { day: string; month: string }): Promise<SpendRow[]> {
      const rows = await table
        .selectFrom('ai_spend')
        .select(['workspace_id', 'period', 'period_key', 'nano_usd', 'calls', 'noticed'])
        .where((eb) =>
          eb.or([
            eb.and([eb('period', '=', 'day'), eb('period_key', '>=', keys.day)]),
            eb.and([eb('period', '=', 'month'), eb('period_key', '>=', keys.month)]),
          ]),
        )
        .orderBy('period_key')
        .execute();
      return rows.map((r) => ({ ...camelRow(r), period: r.period as SpendPeriod, noticed: r.noticed === 1 }));
    },

    /** The workspace's day and month totals under these keys (missing: nothing spent). */
    async totals(
      workspaceId: WorkspaceId,
      keys: { day: string; month: string },
    ): Promise<{ day?: { nanoUsd: number; calls: number }; month?: { nanoUsd: number; calls: number } }> {
      const rows = await table
        .selectFrom('ai_spend')
        .select(['period', 'period_key', 'nano_usd', 'calls'])
        .where('workspace_id', '=', workspaceId)
        .where('period_key', 'in', [keys.day, keys.month])
        .execute();
      const of = (period: SpendPeriod) => {
        const row = rows.find((r) => r.period === period && r.period_key === keys[period]);
        return row === undefined ? undefined : { nanoUsd: row.nano_usd, calls: row.calls };
      };
      return { day: of('day'), month: of('month') };
    },
  };
}
