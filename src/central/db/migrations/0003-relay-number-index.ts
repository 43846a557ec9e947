import type { Kysely, Migration } from 'kysely';

/**
 * The dashboard's Cloud numbers page shows, per number, its newest notification and how many of its
 * notifications wait for the desktop. Without this index both would read the whole workspace's
 * notifications (payloads included); with it they are an index seek and a count over the
 * unacknowledged part. Intake pays one more index entry per notification.
 */
export const migration0003RelayNumberIndex: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('relay_notifications_number')
      .on('relay_notifications')
      .columns(['workspace_id', 'phone_number_id', 'seq'])
      .execute();
  },
};
