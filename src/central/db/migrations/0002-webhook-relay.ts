import type { Kysely, Migration } from 'kysely';
import {
  createIndex,
  createWorkspaceIndex,
  timestamps,
  workspaceId,
} from '../../../core/store/migrations/columns/index';

/**
 * The webhook relay: Cloud API numbers registered to workspaces (the app secret sealed
 * with the server's key, the verify token hashed), the notifications Meta posted, per workspace in seq
 * order until the desktop acknowledges them, each workspace's seq counter and acknowledgement, and the
 * changes for a phone_number_id nobody registered (kept, never delivered).
 */
export const migration0002WebhookRelay: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('cloud_numbers')
      .addColumn('phone_number_id', 'text', (c) => c.primaryKey())
      .$call(workspaceId)
      .addColumn('app_secret_sealed', 'text', (c) => c.notNull())
      .addColumn('verify_token_hash', 'text', (c) => c.notNull())
      .$call(timestamps('bigint'))
      .execute();
    await createWorkspaceIndex(db, 'cloud_numbers');
    await createIndex(db, 'cloud_numbers_verify_token', 'cloud_numbers', ['verify_token_hash']);

    // One row per workspace: the seq counter (its row lock orders concurrent intakes on PostgreSQL, so
    // seqs commit in order and a poll never sees seq n+1 before n) and what the desktop acknowledged.
    await db.schema
      .createTable('relay_cursors')
      .addColumn('workspace_id', 'text', (c) =>
        c.primaryKey().references('workspaces.id').onDelete('cascade'),
      )
      .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('acked_seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('relay_notifications')
      .$call(workspaceId)
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('phone_number_id', 'text', (c) => c.notNull())
      // SHA-256 of the change: Meta's retries and duplicates carry the same bytes and are stored once.
      .addColumn('dedupe_key', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('relay_notifications_pk', ['workspace_id', 'seq'])
      .addUniqueConstraint('relay_notifications_dedupe', ['workspace_id', 'dedupe_key'])
      .execute();

    await db.schema
      .createTable('relay_unroutable')
      .addColumn('dedupe_key', 'text', (c) => c.primaryKey())
      .addColumn('phone_number_id', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
