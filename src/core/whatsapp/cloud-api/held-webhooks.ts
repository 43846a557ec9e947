import type { Generated, Kysely } from 'kysely';
import type { CloudRelayHeld } from '../../../shared/cloud-contract';
import type { RelayNotification } from '../../../shared/relay-protocol';
import type { WorkspaceId } from '../../../shared/types';
import type { Database } from '../../store/schema';

/** The table of migration 0010-cloud-relay-held, declared beside its only code. */
interface CloudRelayHeldTable {
  id: Generated<number>;
  workspace_id: string;
  phone_number_id: string;
  relay_key: string;
  seq: number;
  notification: string;
  messages: number;
  statuses: number;
  received_at: number;
  held_at: number;
}
type HeldTables = Database & { cloud_relay_held: CloudRelayHeldTable };

/** One kept webhook, as the relay fetched it, with the row id that orders and removes it. */
export interface HeldWebhook extends RelayNotification {
  id: number;
}

export type HeldWebhookStore = ReturnType<typeof createHeldWebhookStore>;

/**
 * Webhooks kept on this PC for a Cloud number of the workspace that is not running (relay-client.ts):
 * acknowledged to the central server once they are here, handed to the number in order when it runs.
 */
export function createHeldWebhookStore(db: Kysely<Database>) {
  const heldDb = db as unknown as Kysely<HeldTables>;
  return {
    /** Keeps one webhook; a redelivered one (same server and seq) stays one row. Returns whether it was new. */
    async hold(
      workspaceId: WorkspaceId,
      relayKey: string,
      item: RelayNotification,
      counts: { messages: number; statuses: number },
      now: number,
    ): Promise<boolean> {
      const result = await heldDb
        .insertInto('cloud_relay_held')
        .values({
          workspace_id: workspaceId,
          phone_number_id: item.phoneNumberId,
          relay_key: relayKey,
          seq: item.seq,
          notification: JSON.stringify(item.notification),
          messages: counts.messages,
          statuses: counts.statuses,
          received_at: item.receivedAt,
          held_at: now,
        })
        .onConflict((oc) => oc.columns(['workspace_id', 'relay_key', 'seq']).doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },

    /** What waits, per number: for the relay's status and the number's card. Oldest number first. */
    async summary(workspaceId: WorkspaceId): Promise<CloudRelayHeld[]> {
      const rows = await heldDb
        .selectFrom('cloud_relay_held')
        .select((eb) => [
          'phone_number_id',
          eb.fn.countAll<number>().as('webhooks'),
          eb.fn.sum<number>('messages').as('messages'),
          eb.fn.sum<number>('statuses').as('statuses'),
          eb.fn.min<number>('held_at').as('since'),
        ])
        .where('workspace_id', '=', workspaceId)
        .groupBy('phone_number_id')
        .orderBy('since')
        .execute();
      return rows.map((r) => ({
        phoneNumberId: r.phone_number_id,
        webhooks: Number(r.webhooks),
        messages: Number(r.messages),
        statuses: Number(r.statuses),
        since: Number(r.since),
      }));
    },

    /** The oldest kept webhooks of one number, in the order they were fetched. */
    async next(workspaceId: WorkspaceId, phoneNumberId: string, limit: number): Promise<HeldWebhook[]> {
      const rows = await heldDb
        .selectFrom('cloud_relay_held')
        .select(['id', 'seq', 'phone_number_id', 'received_at', 'notification'])
        .where('workspace_id', '=', workspaceId)
        .where('phone_number_id', '=', phoneNumberId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        seq: r.seq,
        phoneNumberId: r.phone_number_id,
        receivedAt: r.received_at,
        notification: JSON.parse(r.notification) as unknown,
      }));
    },

    async remove(workspaceId: WorkspaceId, ids: readonly number[]): Promise<void> {
      if (ids.length === 0) return;
      await heldDb
        .deleteFrom('cloud_relay_held')
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', ids)
        .execute();
    },
  };
}
