import { sql } from 'kysely';
import type { Store } from '../store/open-database';

/**
 * Replies still queued or being sent, in every workspace: the desktop updater never restarts the app
 * over them. Not in the outbox repository, whose every function is scoped to one workspace. The
 * statuses are literals so SQLite uses the partial `outbox_pending` index.
 */
export async function pendingReplies(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(sql<boolean>`outbox.status in ('queued', 'sending')`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
