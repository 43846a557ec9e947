import type { Kysely, Migration } from 'kysely';
import { createIndex } from '../../../core/store/migrations/columns/index';

/**
 * The dashboard's Cloud numbers page shows, per number, its newest notification and how many of its
 * notifications wait for the desktop. Without this index both would read the whole workspace's
 * notifications (payloads included); with it they are an index seek and a count over the
 * unacknowledged part. Intake pays one more index entry per notification.
 */
export const migration0003RelayNumberIndex: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await createIndex(db, 'relay_notifications_number', 'relay_notifications', [
      'workspace_id',
      'phone_number_id',
      'seq',
    ]);
  },
};
