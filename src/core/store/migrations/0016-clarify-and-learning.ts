import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The clarifying question and what the bot learns from the owner.
 *
 * conversations.clarify_faq_ids / clarify_asked_at / clarify_expires_at: the bot was unsure between a
 *   few FAQs and asked the customer "Do you mean 1) ... or 2) ...?". The offered FAQ ids (a JSON array,
 *   in the order offered) are what "1" or "the second one" picks; past the expiry an unanswered
 *   question goes to a person. Kept on the chat's row because decide() reads and writes the chat's
 *   state in one piece; null when nothing is pending.
 * bot_learned: each phrasing or FAQ the owner added from a conversation or the Unanswered screen, for
 *   Home's "what the bot learned this week". The FAQ's own tables say what it is; this says where it
 *   came from and when. Rows go with their workspace; an FAQ removed later leaves the row (the week's
 *   count stays true) with `faq_id` set to null.
 * faq_answer_sends: a new FAQ's answer sent to a customer who had asked it: one row per (FAQ, chat), so
 *   pressing "Send to the customers who asked" twice, or on two screens, sends once.
 */
export const migration0016ClarifyAndLearning: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`alter table conversations add column clarify_faq_ids text`.execute(db);
    await sql`alter table conversations add column clarify_asked_at integer`.execute(db);
    await sql`alter table conversations add column clarify_expires_at integer`.execute(db);
    await sql`create index conversations_clarify_due on conversations (clarify_expires_at)
      where clarify_expires_at is not null`.execute(db);
    await sql`create table bot_learned (
      id text primary key,
      workspace_id text not null references workspaces (id) on delete cascade,
      faq_id text references faqs (id) on delete set null,
      kind text not null check (kind in ('phrasing', 'faq')),
      text text not null check (length(text) between 1 and 1000),
      chat_id text,
      created_at integer not null
    )`.execute(db);
    await sql`create index bot_learned_workspace_time on bot_learned (workspace_id, created_at)`.execute(db);
    await sql`create table faq_answer_sends (
      workspace_id text not null references workspaces (id) on delete cascade,
      faq_id text not null,
      chat_id text not null,
      business_number text not null,
      outbox_id text not null,
      created_at integer not null,
      primary key (workspace_id, faq_id, chat_id)
    )`.execute(db);
  },
};
