import { RELAY_LIMITS, type RelayNotification } from '../shared/relay-protocol';
import type { CentralDatabase, CentralDb } from './db/open';

/** Acknowledged notifications are kept this long so a late retry from Meta (up to 7 days) is still known. */
export const RELAY_KEEP_ACKED_MS = 8 * 86_400_000;

/** The workspace's notifications after max(after, acked), oldest first, bounded by count and bytes. */
export async function readRelay(
  db: CentralDb,
  workspaceId: string,
  after: number,
  limit: number,
): Promise<{ notifications: RelayNotification[]; ackedSeq: number }> {
  const cursor = await db
    .selectFrom('relay_cursors')
    .select('acked_seq')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  const ackedSeq = cursor?.acked_seq ?? 0;
  const rows = await db
    .selectFrom('relay_notifications')
    .select(['seq', 'phone_number_id', 'payload', 'received_at'])
    .where('workspace_id', '=', workspaceId)
    .where('seq', '>', Math.max(after, ackedSeq))
    .orderBy('seq')
    .limit(limit)
    .execute();
  const notifications: RelayNotification[] = [];
  let bytes = 0;
  for (const row of rows) {
    bytes += row.payload.length;
    if (notifications.length > 0 && bytes > RELAY_LIMITS.maxBatchBytes) break;
    notifications.push({
      seq: row.seq,
      phoneNumberId: row.phone_number_id,
      receivedAt: row.received_at,
      notification: JSON.parse(row.payload) as unknown,
    });
  }
  return { notifications, ackedSeq };
}

/**
 * The desktop has journaled everything up to `seq`. The acknowledgement only moves forward and never
 * past the last seq given out; acknowledged rows older than RELAY_KEEP_ACKED_MS are dropped.
 */
export async function ackRelay(
  database: CentralDatabase,
  workspaceId: string,
  seq: number,
  now: number,
): Promise<number> {
  return database.transaction(async (trx) => {
    const cursor = await trx
      .selectFrom('relay_cursors')
      .select(['last_seq', 'acked_seq'])
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    if (cursor === undefined) return 0;
    const target = Math.min(seq, cursor.last_seq);
    if (target <= cursor.acked_seq) return cursor.acked_seq;
    await trx
      .updateTable('relay_cursors')
      .set({ acked_seq: target })
      .where('workspace_id', '=', workspaceId)
      .where('acked_seq', '<', target)
      .execute();
    await trx
      .deleteFrom('relay_notifications')
      .where('workspace_id', '=', workspaceId)
      .where('seq', '<=', target)
      .where('received_at', '<', now - RELAY_KEEP_ACKED_MS)
      .execute();
    return target;
  });
}

/** Long polls waiting in this process, woken when an intake commits for their workspace. */
export interface RelayWaiters {
  /** Resolves on a notify for the workspace, after `ms`, or at shutdown, whichever first. */
  wait(workspaceId: string, ms: number, signal: AbortSignal): Promise<void>;
  notify(workspaceIds: readonly string[]): void;
  shutdown(): void;
  readonly closed: boolean;
}

export function createRelayWaiters(): RelayWaiters {
  const waiting = new Map<string, Set<() => void>>();
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    wait(workspaceId, ms, signal) {
      if (closed || signal.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        let set = waiting.get(workspaceId);
        if (set === undefined) waiting.set(workspaceId, (set = new Set()));
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          set.delete(done);
          if (set.size === 0 && waiting.get(workspaceId) === set) waiting.delete(workspaceId);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done);
        set.add(done);
      });
    },
    notify(workspaceIds) {
      for (const id of workspaceIds) for (const wake of [...(waiting.get(id) ?? [])]) wake();
    },
    shutdown() {
      closed = true;
      for (const set of [...waiting.values()]) for (const wake of [...set]) wake();
    },
  };
}
