import { sql, type Kysely, type Migration } from 'kysely';

/**
 * "Every customer message ends in an outcome the owner can see" needs three things stored:
 *
 * conversations.waiting_since / waiting_reason: the chat needs a person since then and nobody has
 *   answered since. Set when the bot hands the chat over, when a customer writes in a chat already
 *   with a person or paused by the owner, when a reply could not be sent; cleared when the owner
 *   answers (from the app or the phone) or gives the chat back to the bot. It is the "Needs you" list
 *   (oldest first) and what notifications are about: one indexed column instead of a replay of the
 *   thread. `handoff_since` still says whether the bot keeps out; `waiting_since` says whether a
 *   person owes the customer an answer.
 * conversations.released_at: when the owner last gave the chat back to the bot. A message that waited
 *   for a person before that was deliberately left by the owner, which the outcome check counts.
 * conversations.last_answer_faq_id: the FAQ the bot answered last in the flood window, so a repeat
 *   ("price?", "price??") is counted while a different question in the window is still answered.
 * messages.decision: decide()'s reason code for an inbound message ('faq-answer', 'small-talk-thanks',
 *   'owner-paused', ...): why it ended as it did, in the owner's log and the thread.
 * messages.disposition: which of the four outcomes it ended in (answered, person, left, unanswered): what
 *   the outcome check (pipeline/outcome-check.ts) holds against the outbox and the chat's state.
 *
 * Backfill: a chat handed over and not answered by the owner since waits from its hand-off; decided
 * messages get the disposition their stored outcome says, or 'left' where nothing says more.
 */
export const migration0011ConversationPolicy: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`alter table conversations add column waiting_since integer`.execute(db);
    await sql`alter table conversations add column waiting_reason text`.execute(db);
    await sql`alter table conversations add column released_at integer`.execute(db);
    await sql`alter table conversations add column last_answer_faq_id text`.execute(db);
    await sql`alter table messages add column decision text`.execute(db);
    await sql`alter table messages add column disposition text
      check (disposition is null or disposition in ('answered', 'person', 'left', 'unanswered'))`.execute(db);
    await sql`update messages set disposition = case outcome
        when 'bot' then 'answered' when 'handoff' then 'person' when 'unanswered' then 'unanswered'
        else 'left' end
      where direction = 'in' and status in ('processed', 'ignored')`.execute(db);
    await sql`update conversations set waiting_since = handoff_since, waiting_reason = handoff_reason
      where handoff_since is not null and not exists (
        select 1 from messages m
        where m.workspace_id = conversations.workspace_id and m.chat_id = conversations.chat_id
          and m.author = 'owner' and m.created_at >= conversations.handoff_since)`.execute(db);
    await sql`create index conversations_waiting on conversations (workspace_id, waiting_since)
      where waiting_since is not null`.execute(db);
  },
};
