import { sql, type Kysely, type Migration } from 'kysely';
import { counter, flag, requiredTime } from './columns/index';

/**
 * Central sync. `installation` holds this data folder's identity: one row, made here with a
 * random id so it exists from the first start and never changes (a copied data folder keeps it, which
 * is what the central server should see: the same history). `sync_state` is one row per enrolled
 * workspace: where it pushes, its sealed token, and how far the server has acknowledged its events.
 */
export const migration0005Sync: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('installation')
      .addColumn('singleton', 'integer', (c) =>
        c
          .primaryKey()
          .defaultTo(1)
          .check(sql`singleton = 1`),
      )
      .addColumn('id', 'text', (c) => c.notNull().check(sql`length(id) between 8 and 64`))
      .$call(requiredTime('created_at'))
      .execute();
    await sql`insert into installation (singleton, id, created_at)
      values (1, lower(hex(randomblob(16))), cast(unixepoch('subsec') * 1000 as integer))`.execute(db);

    await db.schema
      .createTable('sync_state')
      .addColumn('workspace_id', 'text', (c) =>
        c.primaryKey().references('workspaces.id').onDelete('cascade'),
      )
      .addColumn('server_url', 'text', (c) =>
        c
          .notNull()
          .check(
            sql`(server_url like 'http://%' or server_url like 'https://%') and length(server_url) <= 500`,
          ),
      )
      .addColumn('central_workspace_id', 'text', (c) =>
        c.notNull().check(sql`length(central_workspace_id) between 1 and 200`),
      )
      .addColumn('central_workspace_name', 'text', (c) =>
        c.notNull().check(sql`length(central_workspace_name) <= 200`),
      )
      // SecretBox output (`v1:...`): never the token itself.
      .addColumn('token_sealed', 'text', (c) => c.notNull())
      // The highest seq the server said it committed; the pusher resumes after it.
      .$call(counter('last_acked_seq'))
      .$call(flag('share_message_text', 0))
      // 'needs-attention': the server refused the token (401/403); nothing is pushed until enrolled again.
      .addColumn('state', 'text', (c) =>
        c
          .notNull()
          .defaultTo('active')
          .check(sql`state in ('active', 'needs-attention')`),
      )
      .addColumn('enrolled_at', 'integer', (c) => c.notNull())
      .addColumn('last_success_at', 'integer')
      .addColumn('last_error', 'text', (c) => c.check(sql`last_error is null or length(last_error) <= 2000`))
      .addColumn('last_error_at', 'integer')
      .$call(requiredTime('updated_at'))
      .addCheckConstraint('sync_state_error_pair', sql`(last_error is null) = (last_error_at is null)`)
      .execute();
  },
};
