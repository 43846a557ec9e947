import { sql, type Kysely, type Migration } from 'kysely';

/**
 * What became of each customer message that needed an answer, stored on the message itself so the home
 * statistics (answer rate, hand-offs per day) are one indexed range query, not a replay of the event
 * log (which retention trims and which is a record for people, not figures):
 *   'bot'        the bot answered it (an FAQ or AI reply was queued for it)
 *   'handoff'    it went to a person (hand-off keyword, a photo, or a question the bot could not answer)
 *   'unanswered' the bot could not answer and hand-offs on abstain are off: nobody was told
 *   null         no answer was expected (greeting-only, flood guard, a chat already with a person,
 *                ignored chats) or the message predates this column and nothing shows what happened
 * Set in the same statement that moves an inbound message out of 'received' (process.ts).
 *
 * No new index: the statistics read one day at a time off messages_workspace_time (workspace_id,
 * created_at), and rows are stored in time order, so the table pages they touch are contiguous. A
 * covering index (workspace_id, created_at, direction, author, status, outcome) was measured on 100k
 * messages and gave no gain worth its cost on every insert and status change (bench/stats.bench.ts).
 */
export const migration0006MessageOutcome: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`alter table messages add column outcome text
      check (outcome is null or outcome in ('bot', 'handoff', 'unanswered'))`.execute(db);

    // Messages decided before this version: what their outbox rows show. A bot answer and a hand-off
    // notice are recorded as outbox rows naming the message they answer; a hand-off outside business
    // hours (away message instead of the notice) or with an empty notice left no trace, and stays null.
    await sql`update messages set outcome = 'bot'
      where direction = 'in' and (workspace_id, id) in (
        select workspace_id, inbound_message_id from outbox
        where kind in ('faq', 'ai') and inbound_message_id is not null)`.execute(db);
    await sql`update messages set outcome = 'handoff'
      where direction = 'in' and outcome is null and (workspace_id, id) in (
        select workspace_id, inbound_message_id from outbox
        where kind = 'handoff' and inbound_message_id is not null)`.execute(db);
  },
};
