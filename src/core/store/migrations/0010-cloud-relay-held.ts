import { sql, type Kysely, type Migration } from 'kysely';
import { createIndex } from './columns/index';

/**
 * Webhooks the relay client fetched for a Cloud number of the workspace whose provider is not running
 * (the owner disconnected it, it is being restarted with a new token, the app has not started it yet). Before this table the client
 * stopped at such a webhook without acknowledging it, and as acknowledgements are one seq per
 * workspace, every other number of the workspace waited too. Now it keeps the webhook here, on this
 * PC, acknowledges it, and hands it to the number, in order, once the number runs again.
 *
 * `relay_key` is the central server and its workspace: a relay seq is unique only there, and the pair
 * keeps a redelivered webhook (a crash between keeping and acknowledging) to one row. `messages` and
 * `statuses` count what it carries, for the number's card. Rows go with their workspace.
 */
export const migration0010CloudRelayHeld: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`create table cloud_relay_held (
      id integer primary key autoincrement,
      workspace_id text not null references workspaces (id) on delete cascade,
      phone_number_id text not null check (length(phone_number_id) between 1 and 40),
      relay_key text not null check (length(relay_key) between 1 and 400),
      seq integer not null check (seq > 0),
      notification text not null,
      messages integer not null check (messages >= 0),
      statuses integer not null check (statuses >= 0),
      received_at integer not null,
      held_at integer not null,
      unique (workspace_id, relay_key, seq)
    )`.execute(db);
    await createIndex(db, 'cloud_relay_held_number', 'cloud_relay_held', [
      'workspace_id',
      'phone_number_id',
      'id',
    ]);
  },
};
