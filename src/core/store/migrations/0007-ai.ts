import { sql, type Kysely, type Migration } from 'kysely';
import { counter, flag, requiredTime, workspaceId } from './columns/index';

/**
 * The AI side of the bot. `ai_keys`: each workspace's API key per provider, sealed by the
 * SecretBox (never the key itself; `hint` is its last four characters, so the owner can tell which key
 * is set). `ai_spend`: what the workspace spent per day and per month, so budgets hold across restarts,
 * and whether the owner was already told that period's budget ran out.
 */
export const migration0007Ai: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('ai_keys')
      .$call(workspaceId)
      .addColumn('provider_id', 'text', (c) => c.notNull().check(sql`length(provider_id) between 1 and 40`))
      .addColumn('key_sealed', 'text', (c) => c.notNull())
      .addColumn('hint', 'text', (c) => c.notNull().check(sql`length(hint) <= 8`))
      .$call(requiredTime('updated_at'))
      .addPrimaryKeyConstraint('ai_keys_pk', ['workspace_id', 'provider_id'])
      .execute();

    await db.schema
      .createTable('ai_spend')
      .$call(workspaceId)
      .addColumn('period', 'text', (c) => c.notNull().check(sql`period in ('day', 'month')`))
      // '2026-11-25' or '2026-11', in the workspace's time zone.
      .addColumn('period_key', 'text', (c) => c.notNull().check(sql`length(period_key) between 7 and 10`))
      .$call(counter('nano_usd'))
      .$call(counter('calls'))
      .$call(flag('noticed', 0))
      .$call(requiredTime('updated_at'))
      .addPrimaryKeyConstraint('ai_spend_pk', ['workspace_id', 'period', 'period_key'])
      .execute();
  },
};
