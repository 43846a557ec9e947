import { sql, type Kysely } from 'kysely';
import type { E164, MessageStatus, WorkspaceId } from '../../../shared/types';
import type { ContactsTable, Database } from '../schema';
import { powerOfTwoChunks } from './chunks';
import type { ContactIdentity } from './contacts';

/**
 * The pipeline's writes to `messages` and `contacts`. The per-row repositories compile one kysely
 * query per row; a burst of inbound messages goes through here instead, a few multi-row statements per
 * batch (toolchain.md: ~70-75% of raw speed against ~19% for single-row inserts). Also the outbound
 * rows the sender records, so a chat's history shows the bot's replies next to the customer's messages.
 */

export interface InboundRow {
  /** Our id for the message. */
  id: string;
  businessNumber: E164;
  providerMessageId: string;
  chatId: string;
  chatKind: string;
  sender: ContactIdentity;
  text: string | null;
  providerTs: number | null;
}

export interface IngestOutcome {
  id: string;
  /** False when the (number, provider id) was already stored: a redelivery. */
  inserted: boolean;
  contactId: string | null;
}

export interface OutboundRow {
  id: string;
  businessNumber: E164;
  providerMessageId: string;
  chatId: string;
  author: 'bot' | 'owner';
  text: string | null;
  status: MessageStatus;
}

/** A stored inbound message that was never decided (the process stopped in between). */
export interface UndecidedRow {
  id: string;
  businessNumber: E164;
  providerMessageId: string;
  chatId: string;
  chatKind: string | null;
  contactId: string | null;
  text: string | null;
  providerTs: number | null;
  createdAt: number;
}

/**
 * What became of an inbound message that needed an answer (migration 0006): the bot answered it, it
 * went to a person, or nobody was told. Null when no answer was expected.
 */
export const MESSAGE_OUTCOMES = ['bot', 'handoff', 'unanswered'] as const;
export type MessageOutcome = (typeof MESSAGE_OUTCOMES)[number];

export interface StatusUpdate {
  id: string;
  status: MessageStatus;
  /** Written with the status when given (null clears it); left as it is when undefined. */
  outcome?: MessageOutcome | null;
  /** decide()'s reason code and outcome (migration 0011); left as they are when undefined. */
  decision?: { reason: string; outcome: 'answered' | 'person' | 'left' | 'unanswered' };
}

export type PipelineMessageRepository = ReturnType<typeof createPipelineMessageRepository>;

/** Statuses an ack may move a message from (a late 'delivered' never undoes 'read'). */
const ADVANCE_FROM: Partial<Record<MessageStatus, readonly MessageStatus[]>> = {
  sent: ['queued', 'sending'],
  delivered: ['queued', 'sending', 'sent'],
  read: ['queued', 'sending', 'sent', 'delivered'],
  failed: ['queued', 'sending', 'sent'],
};

type ContactRow = Omit<ContactsTable, 'workspace_id'>;

export function createPipelineMessageRepository(db: Kysely<Database>) {
  /**
   * One contact per customer, with the contacts repository's rules (phone first, then WhatsApp id;
   * fill in what is new, never overwrite with nothing), for a whole batch in two or three statements.
   * A change that would take a phone or WhatsApp id another contact holds is skipped rather than
   * failing the batch: a unique-key error here would lose every message in it.
   */
  async function resolveContacts(
    workspaceId: WorkspaceId,
    identities: readonly ContactIdentity[],
    newId: () => string,
    now: number,
  ): Promise<(string | null)[]> {
    const phones = [...new Set(identities.flatMap((i) => (i.phone === null ? [] : [i.phone])))];
    const waIds = [...new Set(identities.flatMap((i) => (i.waId === null ? [] : [i.waId])))];
    const byPhone = new Map<string, ContactRow>();
    const byWaId = new Map<string, ContactRow>();
    const byId = new Map<string, ContactRow>();
    const index = (c: ContactRow) => {
      byId.set(c.id, c);
      if (c.phone_e164 !== null) byPhone.set(c.phone_e164, c);
      if (c.wa_id !== null) byWaId.set(c.wa_id, c);
    };
    // Two indexed lookups, not one `phone in (..) or wa_id in (..)`: SQLite answers the OR by scanning
    // every contact of the workspace, which grows with the shop.
    const lookups = [
      { column: 'phone_e164' as const, values: phones },
      { column: 'wa_id' as const, values: waIds },
    ];
    for (const { column, values } of lookups) {
      for (const chunk of powerOfTwoChunks(values)) {
        const rows = await db
          .selectFrom('contacts')
          .select(['id', 'phone_e164', 'wa_id', 'name', 'created_at', 'updated_at'])
          .where('workspace_id', '=', workspaceId)
          .where(column, 'in', chunk)
          .execute();
        // A contact found by both lookups must stay one object, or an update would fork it.
        for (const row of rows) if (!byId.has(row.id)) index(row);
      }
    }

    const inserts = new Map<string, ContactRow>();
    const updates = new Map<string, ContactRow>();
    const ids = identities.map((identity) => {
      if (identity.phone === null && identity.waId === null) return null;
      const existing =
        (identity.phone !== null ? byPhone.get(identity.phone) : undefined) ??
        (identity.waId !== null ? byWaId.get(identity.waId) : undefined);
      if (existing === undefined) {
        const row: ContactRow = {
          id: newId(),
          phone_e164: identity.phone,
          wa_id: identity.waId,
          name: identity.name ?? null,
          created_at: now,
          updated_at: now,
        };
        inserts.set(row.id, row);
        index(row);
        return row.id;
      }
      let phone = existing.phone_e164 ?? identity.phone;
      let waId = identity.waId ?? existing.wa_id;
      const name = identity.name ?? existing.name;
      if (
        phone !== null &&
        phone !== existing.phone_e164 &&
        (byPhone.get(phone)?.id ?? existing.id) !== existing.id
      ) {
        phone = existing.phone_e164;
      }
      if (waId !== null && waId !== existing.wa_id && (byWaId.get(waId)?.id ?? existing.id) !== existing.id) {
        waId = existing.wa_id;
      }
      if (phone !== existing.phone_e164 || waId !== existing.wa_id || name !== existing.name) {
        if (existing.wa_id !== null && existing.wa_id !== waId) byWaId.delete(existing.wa_id);
        existing.phone_e164 = phone;
        existing.wa_id = waId;
        existing.name = name;
        existing.updated_at = now;
        index(existing);
        if (!inserts.has(existing.id)) updates.set(existing.id, existing);
      }
      return existing.id;
    });

    for (const chunk of powerOfTwoChunks([...inserts.values()])) {
      await db
        .insertInto('contacts')
        .values(chunk.map((c) => ({ ...c, workspace_id: workspaceId })))
        .execute();
    }
    for (const c of updates.values()) {
      await db
        .updateTable('contacts')
        .set({ phone_e164: c.phone_e164, wa_id: c.wa_id, name: c.name, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', c.id)
        .execute();
    }
    return ids;
  }

  return {
    /**
     * Stores inbound messages once each and upserts their senders. The unique (workspace, number,
     * provider id) key drops redeliveries, including two copies inside the same batch; `inserted` says
     * which rows are new. Call inside `store.transaction` so messages and contacts commit together.
     */
    async ingest(
      workspaceId: WorkspaceId,
      rows: readonly InboundRow[],
      newContactId: () => string,
      now: number,
    ): Promise<IngestOutcome[]> {
      if (rows.length === 0) return [];
      const contactIds = await resolveContacts(
        workspaceId,
        rows.map((r) => r.sender),
        newContactId,
        now,
      );
      const inserted = new Set<string>();
      const contactOf = new Map(rows.map((r, i) => [r.id, contactIds[i] ?? null]));
      // 14 columns x 128 rows = 1,792 parameters, well under SQLite's 32,766.
      for (const chunk of powerOfTwoChunks(rows)) {
        const values = chunk.map((r) => ({
          id: r.id,
          workspace_id: workspaceId,
          business_number: r.businessNumber,
          provider_message_id: r.providerMessageId,
          chat_id: r.chatId,
          contact_id: contactOf.get(r.id) ?? null,
          direction: 'in',
          author: 'contact',
          text: r.text,
          status: 'received',
          provider_ts: r.providerTs,
          created_at: now,
          updated_at: now,
          chat_kind: r.chatKind,
        }));
        const result = await db
          .insertInto('messages')
          .values(values)
          .onConflict((oc) =>
            oc.columns(['workspace_id', 'business_number', 'provider_message_id']).doNothing(),
          )
          .returning('id')
          .execute();
        for (const { id } of result) inserted.add(id);
      }
      return rows.map((r, i) => ({
        id: r.id,
        inserted: inserted.has(r.id),
        contactId: contactIds[i] ?? null,
      }));
    },

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
      return rows.map((r) => ({
        id: r.id,
        businessNumber: r.business_number as E164,
        providerMessageId: r.provider_message_id,
        chatId: r.chat_id,
        chatKind: r.chat_kind,
        contactId: r.contact_id,
        text: r.text,
        providerTs: r.provider_ts,
        createdAt: r.created_at,
      }));
    },

    /**
     * The bot's (or the owner's) outgoing message in the chat history, written when its send starts:
     * Baileys asks for a sent message's text by id when the recipient's phone requests a retry. Its
     * provider id is the outbox id until the provider reports another. Written once per id.
     */
    async recordOutbound(workspaceId: WorkspaceId, message: OutboundRow, now: number): Promise<void> {
      await db
        .insertInto('messages')
        .values({
          id: message.id,
          workspace_id: workspaceId,
          business_number: message.businessNumber,
          provider_message_id: message.providerMessageId,
          chat_id: message.chatId,
          contact_id: null,
          direction: 'out',
          author: message.author,
          text: message.text,
          status: message.status,
          provider_ts: null,
          created_at: now,
          updated_at: now,
          chat_kind: null,
        })
        // Any conflict, not only messages.insert's (number, provider id): a Cloud API row resent after a
        // crash still has our id but already carries Meta's id (attachProviderId), so it meets the row on
        // its primary key instead, and must stay as it is.
        .onConflict((oc) => oc.doNothing())
        .execute();
    },

    /** The send went through: the provider's id (acks refer to it) and 'sent', unless an ack got there first. */
    async markOutboundSent(
      workspaceId: WorkspaceId,
      id: string,
      providerMessageId: string,
      now: number,
    ): Promise<void> {
      await db
        .updateTable('messages')
        .set((eb) => ({
          provider_message_id: providerMessageId,
          status: eb
            .case()
            .when('status', 'in', ['queued', 'sending'])
            .then('sent')
            .else(eb.ref('status'))
            .end(),
          updated_at: now,
        }))
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .execute();
    },

    /** Applies a delivery ack to the message with that provider id, never moving it backwards. */
    /**
     * The provider's own id for an outbound message we recorded under our id (Cloud API: Meta assigns
     * the id), so its statuses find it. Only replaces our placeholder, never another provider id.
     */
    async attachProviderId(
      workspaceId: WorkspaceId,
      id: string,
      providerMessageId: string,
      now: number,
    ): Promise<boolean> {
      const result = await db
        .updateTable('messages')
        .set({ provider_message_id: providerMessageId, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .where('provider_message_id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
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
