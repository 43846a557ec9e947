import type { Kysely } from 'kysely';
import type { E164, WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';
import { NO_CLARIFICATION, OWNER_TOOK_OVER } from './conversation-rows';
import { keyedTable } from './keyed-table';

/** A chat's state as it starts when the owner acts before the bot has seen the chat. */
function firstSeen(workspaceId: WorkspaceId, businessNumber: E164, chatId: string, now: number) {
  return {
    workspace_id: workspaceId,
    business_number: businessNumber,
    chat_id: chatId,
    first_seen_at: now,
    flood_count: 0,
    updated_at: now,
  };
}

/** The bot stops and starts for a chat: a hand-off to a person, and its release. */
export function conversationHandoff(db: Kysely<Database>) {
  return {
    /**
     * The owner answered by hand: the bot keeps out of this chat until `until`. Creates the state when
     * the owner writes first, so the customer is not greeted as a stranger afterwards.
     */
    async pause(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      chatId: string,
      until: number,
      now: number,
    ): Promise<void> {
      await db
        .insertInto('conversations')
        .values({ ...firstSeen(workspaceId, businessNumber, chatId, now), bot_paused_until: until })
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'business_number', 'chat_id']).doUpdateSet((eb) => ({
            // Never shorten a longer pause already in place (a CASE, not SQLite's two-argument max(),
            // so the statement also runs on PostgreSQL).
            bot_paused_until: eb
              .case()
              .when('conversations.bot_paused_until', '>', eb.ref('excluded.bot_paused_until'))
              .then(eb.ref('conversations.bot_paused_until'))
              .else(eb.ref('excluded.bot_paused_until'))
              .end(),
            // The owner is answering: a clarifying question of the bot's no longer waits for a pick.
            ...NO_CLARIFICATION,
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    },

    /**
     * "Give back to the bot": ends the hand-off, the owner's pause and the wait on every number of the
     * workspace, so the customer's next question is the bot's again. Returns how many chats were with
     * a person (handed over, paused or waiting).
     */
    async release(workspaceId: WorkspaceId, chatId: string, now: number): Promise<number> {
      return keyedTable(db, 'conversations').update(
        { workspace_id: workspaceId, chat_id: chatId },
        {
          handoff_since: null,
          handoff_reason: null,
          bot_paused_until: null,
          waiting_since: null,
          waiting_reason: null,
          released_at: now,
          ...NO_CLARIFICATION,
          updated_at: now,
        },
        (eb) =>
          eb.or([
            eb('handoff_since', 'is not', null),
            eb('waiting_since', 'is not', null),
            eb('bot_paused_until', '>', now),
          ]),
      );
    },
  };
}

/** The owner's own turns in a chat: taking it over, answering it, and the waiting marker. */
export function conversationOwnerTurns(db: Kysely<Database>) {
  const states = keyedTable(db, 'conversations');
  return {
    /**
     * "Take over": the owner answers this chat from now on; the bot keeps out on every number of the
     * chat until it is given back. Creates the state on `businessNumber` when the bot never saw the chat.
     */
    async takeOver(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      chatId: string,
      now: number,
    ): Promise<void> {
      const handoff = { handoff_since: now, handoff_reason: OWNER_TOOK_OVER };
      await db
        .insertInto('conversations')
        .values({ ...firstSeen(workspaceId, businessNumber, chatId, now), ...handoff })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await states.update(
        { workspace_id: workspaceId, chat_id: chatId },
        { ...handoff, updated_at: now },
        (eb) => eb('handoff_since', 'is', null),
      );
    },

    /** A person answered the customer (from the app or the phone): the chat no longer waits. */
    async answeredByOwner(workspaceId: WorkspaceId, chatId: string, now: number): Promise<number> {
      return states.update(
        { workspace_id: workspaceId, chat_id: chatId },
        { waiting_since: null, waiting_reason: null, ...NO_CLARIFICATION, updated_at: now },
        (eb) => eb('waiting_since', 'is not', null),
      );
    },

    /**
     * The chat needs a person from `now` (a reply could not be sent, a queued reply went stale): the
     * earliest wait is kept. With `handOver` the bot also keeps out until the chat is given back.
     * Returns true when the chat was not waiting before (the owner is to be told).
     */
    async markWaiting(
      workspaceId: WorkspaceId,
      businessNumber: E164,
      chatId: string,
      reason: string,
      now: number,
      handOver = false,
    ): Promise<boolean> {
      const key = { workspace_id: workspaceId, business_number: businessNumber, chat_id: chatId };
      if (handOver) {
        const handoff = { handoff_since: now, handoff_reason: reason, updated_at: now };
        await states.update(key, handoff, (eb) => eb('handoff_since', 'is', null));
      }
      const waiting = { waiting_since: now, waiting_reason: reason, updated_at: now };
      return (await states.update(key, waiting, (eb) => eb('waiting_since', 'is', null))) > 0;
    },
  };
}
