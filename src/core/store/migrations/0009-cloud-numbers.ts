import { sql, type Kysely, type Migration } from 'kysely';
import { createIndex, createWorkspaceIndex, flag, timestamps, workspaceId } from './columns/index';

/**
 * Numbers on Meta's WhatsApp Cloud API. `cloud_numbers`: one row per phone number whose
 * provider is 'cloud-api', with Meta's ids, the Graph API address, and its secrets SEALED by the
 * SecretBox (the access token always; the app secret and verify token only for a host that takes
 * webhooks itself); `token_hint` is the token's last four characters, never more. The last live check
 * (display number, verified name, quality rating) is kept for the UI. A number removed takes its row
 * with it; `phone_number_id` is unique on the machine (webhooks are routed by it).
 *
 * `cloud_message_pricing`: the `pricing` object of a sent message's status webhooks, once per message,
 * so each workspace sees what its replies cost beside its AI cost.
 */
export const migration0009CloudNumbers: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('cloud_numbers')
      .addColumn('number_id', 'text', (c) =>
        c.primaryKey().references('phone_numbers.id').onDelete('cascade'),
      )
      .$call(workspaceId)
      .addColumn('phone_number_id', 'text', (c) =>
        c
          .notNull()
          .unique()
          .check(sql`length(phone_number_id) between 1 and 40`),
      )
      .addColumn('waba_id', 'text', (c) => c.notNull().check(sql`length(waba_id) between 1 and 40`))
      // null: the app's default (graph.facebook.com, the pinned version).
      .addColumn('graph_base_url', 'text', (c) =>
        c.check(sql`graph_base_url is null or length(graph_base_url) <= 300`),
      )
      .addColumn('graph_version', 'text', (c) =>
        c.check(sql`graph_version is null or length(graph_version) <= 10`),
      )
      .addColumn('token_sealed', 'text', (c) => c.notNull())
      .addColumn('token_hint', 'text', (c) => c.notNull().check(sql`length(token_hint) <= 8`))
      .addColumn('app_secret_sealed', 'text')
      .addColumn('verify_token_sealed', 'text')
      .addColumn('display_phone_number', 'text')
      .addColumn('verified_name', 'text')
      .addColumn('quality_rating', 'text')
      .addColumn('last_checked_at', 'integer')
      .$call(timestamps())
      .execute();
    await createWorkspaceIndex(db, 'cloud_numbers');

    await db.schema
      .createTable('cloud_message_pricing')
      .$call(workspaceId)
      .addColumn('business_number', 'text', (c) => c.notNull())
      .addColumn('provider_message_id', 'text', (c) => c.notNull())
      .$call(flag('billable'))
      .addColumn('pricing_model', 'text')
      .addColumn('category', 'text')
      .addColumn('type', 'text')
      .addColumn('recorded_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('cloud_message_pricing_pk', [
        'workspace_id',
        'business_number',
        'provider_message_id',
      ])
      .execute();
    await createIndex(db, 'cloud_message_pricing_time', 'cloud_message_pricing', [
      'workspace_id',
      'recorded_at',
    ]);
  },
};
