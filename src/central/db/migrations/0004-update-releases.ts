import type { Kysely, Migration } from 'kysely';
import {
  createIndex,
  requiredColumns,
  textId,
  timestamps,
  workspaceId,
} from '../../../core/store/migrations/columns/index';

/**
 * The update feed: releases the admin uploaded (one installer per platform and version, stored as a
 * file under the data folder; the row holds its SHA-512 and size), each one's rollout (a percentage of
 * installations, its state) and the workspaces whose installations get it whatever the percentage.
 */
export const migration0004UpdateReleases: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('update_releases')
      .$call(textId)
      .$call(requiredColumns('text', 'platform', 'version', 'file_name', 'sha512'))
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('store_schema', 'text')
      .addColumn('notes', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('percent', 'integer', (c) => c.notNull())
      .$call(timestamps('bigint'))
      .addUniqueConstraint('update_releases_platform_version', ['platform', 'version'])
      .execute();
    await createIndex(db, 'update_releases_file', 'update_releases', ['file_name']);
    await db.schema
      .createTable('update_release_workspaces')
      .addColumn('release_id', 'text', (c) =>
        c.notNull().references('update_releases.id').onDelete('cascade'),
      )
      .$call(workspaceId)
      .addPrimaryKeyConstraint('update_release_workspaces_pk', ['release_id', 'workspace_id'])
      .execute();
  },
};
