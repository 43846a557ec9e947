import { sql, type Kysely } from 'kysely';
import type { E164, MessageStatus, WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';
import { camelRow } from './row-fields';
import { powerOfTwoChunks } from './chunks';
import type { MessageOutcome, StatusUpdate, UndecidedRow } from './pipeline-message-types';

/** Statuses an ack may move a message from (a late 'delivered' never undoes 'read'). */
const ADVANCE_FROM: Partial<Record<MessageStatus, readonly MessageStatus[]>> = {
  sent: ['queued', 'sending'],
  delivered: ['queued', 'sending', 'sent'],
  read: ['queued', 'sending', 'sent', 'delivered'],
  failed: ['queued', 'sending', 'sent'],
};

/** What happened to each message: the decision's status and outcome, and the provider's acks. */
export function pipelineStatuses(db: Kysely<Database>) {
  return {
    /**
     * Moves decided messages out of 'received' with their outcome, grouped into one statement per
     * (status, outcome): a batch has a handful of groups, not one statement per message.
     */
    async setStatuses(
      workspaceId: WorkspaceId,
      updates: readonly StatusUpdate[],
      now: number,
    ): Promise<void> {
      const groups = new Map<
        string,
        {
          status: MessageStatus;
          outcome?: MessageOutcome | null;
          decision?: StatusUpdate['decision'];
          ids: string[];
        }
      >();
      for (const u of updates) {
        const key = `${u.status}\u0000${u.outcome === undefined ? '-' : String(u.outcome)}\u0000${u.decision?.reason ?? ''}\u0000${u.decision?.outcome ?? ''}`;
        let group = groups.get(key);
        if (group === undefined) {
          group = {
            status: u.status,
            ids: [],
            ...(u.outcome !== undefined && { outcome: u.outcome }),
            ...(u.decision !== undefined && { decision: u.decision }),
          };
          groups.set(key, group);
        }
        group.ids.push(u.id);
      }
      for (const { status, outcome, decision, ids } of groups.values()) {
        for (const chunk of powerOfTwoChunks(ids)) {
          await db
            .updateTable('messages')
            .set({
              status,
              updated_at: now,
              ...(outcome !== undefined && { outcome }),
              ...(decision !== undefined && { decision: decision.reason, disposition: decision.outcome }),
            })
            .where('id', 'in', chunk)
            // Still scoped, but kept off the index: with an IN list of bound ids, SQLite's planner
            // (no statistics) prefers the (workspace_id, created_at) index and walks the workspace's
            // whole history for every statement (measured ~10x slower per row). `|| ''` is plain SQL,
            // also valid on PostgreSQL.
            .where(sql<string>`workspace_id || ''`, '=', workspaceId)
            .execute();
        }
      }
    },

    async advanceStatus(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      providerMessageId: string,
      status: MessageStatus,
      now: number,
    ): Promise<boolean> {
      const from = ADVANCE_FROM[status];
      if (from === undefined) return false;
      const result = await db
        .updateTable('messages')
        .set({ status, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('business_number', '=', businessNumber)
        .where('provider_message_id', '=', providerMessageId)
        .where('status', 'in', from)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}

/** Inbound messages still waiting for a decision: what start-up recovery re-processes, decided once. */
export function pipelineUndecided(db: Kysely<Database>) {
  return {
    /** Stored but never decided, oldest first: what a start re-processes. */
    /**
     * Which of these messages still wait for a decision. Checked inside the decision's transaction, so
     * a message reached by two paths (a live batch and start-up recovery) is decided exactly once.
     */
    async stillUndecided(workspaceId: WorkspaceId, ids: readonly string[]): Promise<Set<string>> {
      const found = new Set<string>();
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await db
          .selectFrom('messages')
          .select('id')
          .where('workspace_id', '=', workspaceId)
          .where('id', 'in', ids.slice(i, i + 500))
          .where(sql<boolean>`status = 'received'`)
          .execute();
        for (const row of rows) found.add(row.id);
      }
      return found;
    },

    async listUndecided(workspaceId: WorkspaceId, limit = 500): Promise<UndecidedRow[]> {
      const rows = await db
        .selectFrom('messages')
        .select([
          'id',
          'business_number',
          'provider_message_id',
          'chat_id',
          'chat_kind',
          'contact_id',
          'text',
          'provider_ts',
          'created_at',
        ])
        .where('workspace_id', '=', workspaceId)
        // A literal, so SQLite can use the partial messages_undecided index.
        .where(sql<boolean>`status = 'received'`)
        .where('direction', '=', 'in')
        .orderBy('created_at')
        .orderBy('id')
        .limit(Math.min(limit, 5000))
        .execute();
      return rows.map((r) => ({ ...camelRow(r), businessNumber: r.business_number as E164 }));
    },
  };
}
