import { sql, type Kysely, type Selectable } from 'kysely';
import type { Message } from '../../../shared/dto';
import type {
  E164,
  MessageAuthor,
  MessageDirection,
  MessageStatus,
  WorkspaceId,
} from '../../../shared/types';
import type { Database, MessagesTable } from '../schema';
import { keyedTable } from './keyed-table';
import { scopedTable } from './scoped-table';

export type NewMessage = Omit<Message, 'workspaceId' | 'createdAt' | 'updatedAt'>;

export type MessageRepository = ReturnType<typeof createMessageRepository>;

export function createMessageRepository(db: Kysely<Database>) {
  return {
    ...messageWrites(db),
    ...messageReads(db),
  };
}

/** A message's row as it is first stored. */
export function newMessageRow(workspaceId: WorkspaceId, message: NewMessage, now: number) {
  return {
    id: message.id,
    workspace_id: workspaceId,
    business_number: message.businessNumber,
    provider_message_id: message.providerMessageId,
    chat_id: message.chatId,
    contact_id: message.contactId,
    direction: message.direction,
    author: message.author,
    text: message.text,
    status: message.status,
    provider_ts: message.providerTs,
    created_at: now,
    updated_at: now,
  };
}

/** Storing a message once, and moving its status. */
function messageWrites(db: Kysely<Database>) {
  return {
    /**
     * Stores a message once. WhatsApp delivers the same message again after reconnects and retries;
     * the unique (workspace, business number, provider id) key turns the second write into a no-op, reported as
     * `inserted: false` so the caller can log the duplicate instead of answering it twice.
     */
    async insert(workspaceId: WorkspaceId, message: NewMessage, now: number): Promise<{ inserted: boolean }> {
      const result = await db
        .insertInto('messages')
        .values(newMessageRow(workspaceId, message, now))
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'business_number', 'provider_message_id']).doNothing(),
        )
        .executeTakeFirst();
      return { inserted: (result.numInsertedOrUpdatedRows ?? 0n) > 0n };
    },

    async setStatus(
      workspaceId: WorkspaceId,
      id: string,
      status: MessageStatus,
      now: number,
      /** Only a message in this status changes (the owner's Retry moves a failed message once). */
      from?: MessageStatus,
    ): Promise<boolean> {
      const fromStatus = from === undefined ? undefined : sql<boolean>`status = ${from}`;
      return (
        (await keyedTable(db, 'messages').update(
          { workspace_id: workspaceId, id },
          { status, updated_at: now },
          fromStatus,
        )) > 0
      );
    },
  };
}

/** A message by id or provider id, a chat's history, and counts. */
function messageReads(db: Kysely<Database>) {
  const messages = scopedTable(db, 'messages');
  return {
    async get(workspaceId: WorkspaceId, id: string): Promise<Message | undefined> {
      const row = await messages.get(workspaceId, id);
      return row === undefined ? undefined : toMessage(row);
    },

    async findByProviderId(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      providerMessageId: string,
    ): Promise<Message | undefined> {
      const key = {
        workspace_id: workspaceId,
        business_number: businessNumber,
        provider_message_id: providerMessageId,
      };
      const row = await keyedTable(db, 'messages').get(key);
      return row === undefined ? undefined : toMessage(row);
    },

    /** A chat's messages, newest first; pass the oldest `createdAt` seen to page further back. */
    async listByChat(
      workspaceId: WorkspaceId,
      chatId: string,
      options: { before?: number; limit?: number } = {},
    ): Promise<Message[]> {
      let query = db
        .selectFrom('messages')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('chat_id', '=', chatId);
      if (options.before !== undefined) query = query.where('created_at', '<', options.before);
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.min(options.limit ?? 50, 500))
        .execute();
      return rows.map(toMessage);
    },

    async countSince(workspaceId: WorkspaceId, since: number): Promise<number> {
      const row = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('created_at', '>=', since)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

function toMessage(row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    workspaceId: row.workspace_id as WorkspaceId,
    businessNumber: row.business_number as E164,
    providerMessageId: row.provider_message_id,
    chatId: row.chat_id,
    contactId: row.contact_id,
    direction: row.direction as MessageDirection,
    author: row.author as MessageAuthor,
    text: row.text,
    status: row.status as MessageStatus,
    providerTs: row.provider_ts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
