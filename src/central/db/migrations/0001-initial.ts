import { sql, type Kysely, type Migration } from 'kysely';
import {
  createIndex,
  createWorkspaceIndex,
  requiredColumns,
  requiredTime,
  textId,
  workspaceId,
  workspaceName,
} from '../../../core/store/migrations/columns/index';

/**
 * The first central schema, written with kysely's schema builder only, so the same migration runs on
 * SQLite and PostgreSQL. Times are `bigint` (PostgreSQL's int8; SQLite's integer affinity).
 */
export const migration0001Initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('workspaces')
      .$call(textId)
      .$call(workspaceName)
      .$call(requiredTime('created_at', 'bigint'))
      .execute();

    await db.schema
      .createTable('installations')
      .$call(textId)
      .$call(requiredColumns('text', 'name', 'app_version', 'platform'))
      .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('enrollments')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .$call(workspaceId)
      .$call(requiredTime('created_at', 'bigint'))
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addColumn('installation_id', 'text', (c) => c.references('installations.id'))
      .execute();
    await createWorkspaceIndex(db, 'enrollments');

    await db.schema
      .createTable('workspace_links')
      .$call(workspaceId)
      .addColumn('installation_id', 'text', (c) => c.notNull().references('installations.id'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('local_workspace_name', 'text', (c) => c.notNull())
      .addColumn('enrolled_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint')
      .addColumn('backlog', 'bigint', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('workspace_links_pk', ['workspace_id', 'installation_id'])
      .execute();
    await createIndex(db, 'workspace_links_installation', 'workspace_links', ['installation_id']);

    // The hot table. No foreign keys: the ingest endpoint has already proved the (workspace,
    // installation) pair through its token, and a check per row would only slow the batch down.
    await db.schema
      .createTable('events')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('installation_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('ts', 'bigint', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('debug', 'info', 'warn', 'error')`))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text')
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('meta', 'text')
      .addColumn('text', 'text')
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      // What makes a resent batch store nothing twice (insert ... on conflict do nothing).
      .addPrimaryKeyConstraint('events_pk', ['workspace_id', 'installation_id', 'seq'])
      .execute();
    // The drill-down pages a workspace's events by seq, newest first.
    await createIndex(db, 'events_workspace_seq', 'events', ['workspace_id', 'seq']);
    // "Errors in the last 24 h": a partial index holds only the (few) error rows.
    await db.schema
      .createIndex('events_errors')
      .on('events')
      .columns(['ts', 'workspace_id'])
      .where(sql.ref('level'), '=', 'error')
      .execute();

    await db.schema
      .createTable('number_states')
      .$call(workspaceId)
      .$call(requiredColumns('text', 'number', 'installation_id', 'provider', 'status'))
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('reported_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('number_states_pk', ['workspace_id', 'number'])
      .execute();

    await db.schema
      .createTable('daily_counts')
      .$call(workspaceId)
      .addColumn('day', 'integer', (c) => c.notNull())
      .addColumn('messages_in', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('messages_out', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('errors', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('daily_counts_pk', ['workspace_id', 'day'])
      .execute();
  },
};
