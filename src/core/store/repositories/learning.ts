import type { Kysely } from 'kysely';
import type { LearnedItem } from '../../../shared/learn-contract';
import type { E164, WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';
import { normaliseToString } from '../../bot/faq/match-tokens';
import type { UnansweredQuestionsTable } from './unanswered-questions';

/** A customer message that went to a person because the bot had no answer (or no pick was clear). */
const HANDED_OVER_FOR_NO_ANSWER = ['handoff-bot%', 'handoff-clarify%', '%bot-abstained%'];

export interface WaitingAsker {
  chatId: string;
  businessNumber: E164;
  messageId: string;
}

/**
 * How long before an Unanswered question's first record its first asker may have written: it is
 * recorded when the bot gives up on the message, after the message arrived (a queue, a backlog after
 * being offline). Only bounds the scan: askers are matched by their words and by still waiting.
 */
const RECORDED_AFTER_ASKED_MS = 24 * 3_600_000;

/**
 * What the bot learned from the owner (table bot_learned, migration 0016) and the questions it can
 * learn from: every function takes the workspace, like every repository.
 */
export function createLearningRepository(db: Kysely<Database>, newId: () => string) {
  return {
    async record(
      workspaceId: WorkspaceId,
      rows: readonly { faqId: string; kind: 'phrasing' | 'faq'; text: string; chatId: string | null }[],
      now: number,
    ): Promise<void> {
      if (rows.length === 0) return;
      await db
        .insertInto('bot_learned')
        .values(
          rows.map((r) => ({
            id: newId(),
            workspace_id: workspaceId,
            faq_id: r.faqId,
            kind: r.kind,
            text: r.text.slice(0, 1000),
            chat_id: r.chatId,
            created_at: now,
          })),
        )
        .execute();
    },

    lastAnsweredByHand: (workspaceId: WorkspaceId, chatId: string) =>
      lastAnsweredByHand(db, workspaceId, chatId),

    /** What was learned since `since`, newest first, with each FAQ's question as it is now. */
    async since(workspaceId: WorkspaceId, since: number): Promise<LearnedItem[]> {
      const rows = await db
        .selectFrom('bot_learned as l')
        .leftJoin('faqs as f', (join) =>
          join.onRef('f.id', '=', 'l.faq_id').on('f.workspace_id', '=', workspaceId),
        )
        .select(['l.kind', 'l.text', 'l.faq_id', 'f.question', 'l.created_at'])
        .where('l.workspace_id', '=', workspaceId)
        .where('l.created_at', '>=', since)
        .orderBy('l.created_at', 'desc')
        .orderBy('l.id', 'desc')
        .execute();
      return rows.map((r) => ({
        kind: r.kind,
        text: r.text,
        faqId: r.faq_id,
        faqQuestion: r.question ?? null,
        at: r.created_at,
      }));
    },

    waitingAskers: (workspaceId: WorkspaceId, questionIds: readonly string[], faqId: string) =>
      waitingAskers(db, workspaceId, questionIds, faqId),

    /** Claims (FAQ, chat) for a send; false when another send claimed it first (exactly once). */
    async claimSend(
      workspaceId: WorkspaceId,
      faqId: string,
      asker: WaitingAsker,
      outboxId: string,
      now: number,
    ): Promise<boolean> {
      const result = await db
        .insertInto('faq_answer_sends')
        .values({
          workspace_id: workspaceId,
          faq_id: faqId,
          chat_id: asker.chatId,
          business_number: asker.businessNumber,
          outbox_id: outboxId,
          created_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
  };
}

/**
 * The chat's latest question the bot handed over for want of an answer, when the owner answered
 * by hand after it and it was not kept already: what the thread offers to save.
 */
async function lastAnsweredByHand(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  chatId: string,
): Promise<{ id: string; text: string; ownerAnswer: string | null } | undefined> {
  const row = await db
    .selectFrom('messages as m')
    .select(['m.id', 'm.text'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.chat_id', '=', chatId)
    .where('m.direction', '=', 'in')
    .where('m.text', 'is not', null)
    .where((eb) => eb.or(HANDED_OVER_FOR_NO_ANSWER.map((p) => eb('m.decision', 'like', p))))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('messages as o')
          .select('o.id')
          .where('o.workspace_id', '=', workspaceId)
          .where('o.chat_id', '=', chatId)
          .where('o.author', '=', 'owner')
          .whereRef('o.created_at', '>=', 'm.created_at'),
      ),
    )
    .orderBy('m.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row === undefined || row.text === null || row.text.trim() === '') return undefined;
  const kept = await db
    .selectFrom('bot_learned')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('chat_id', '=', chatId)
    .where('text', '=', row.text.trim().slice(0, 1000))
    .executeTakeFirst();
  if (kept !== undefined) return undefined;
  const answer = await db
    .selectFrom('messages as o')
    .select('o.text')
    .where('o.workspace_id', '=', workspaceId)
    .where('o.chat_id', '=', chatId)
    .where('o.author', '=', 'owner')
    .where('o.created_at', '>=', (eb) =>
      eb
        .selectFrom('messages')
        .select('created_at')
        .where('id', '=', row.id)
        .where('workspace_id', '=', workspaceId),
    )
    .orderBy('o.created_at')
    .limit(1)
    .executeTakeFirst();
  return { id: row.id, text: row.text.trim(), ownerAnswer: answer?.text ?? null };
}

/**
 * The customers who asked these Unanswered questions and still wait for a person, without this
 * FAQ's answer sent to them already: one entry per chat (its latest such message).
 */
async function waitingAskers(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  questionIds: readonly string[],
  faqId: string,
): Promise<WaitingAsker[]> {
  const questions = await db
    .withTables<{ unanswered_questions: UnansweredQuestionsTable }>()
    .selectFrom('unanswered_questions')
    .select(['normalized', 'first_seen_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...questionIds])
    .execute();
  if (questions.length === 0) return [];
  const wanted = new Set(questions.map((q) => q.normalized));
  const from = Math.min(...questions.map((q) => q.first_seen_at)) - RECORDED_AFTER_ASKED_MS;
  const rows = await db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', (join) =>
      join
        .onRef('c.chat_id', '=', 'm.chat_id')
        .onRef('c.business_number', '=', 'm.business_number')
        .on('c.workspace_id', '=', workspaceId),
    )
    .select(['m.id', 'm.chat_id', 'm.business_number', 'm.text'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.direction', '=', 'in')
    .where('m.created_at', '>=', from)
    .where('c.waiting_since', 'is not', null)
    .where((eb) => eb.or(HANDED_OVER_FOR_NO_ANSWER.map((p) => eb('m.decision', 'like', p))))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('faq_answer_sends as s')
            .select('s.chat_id')
            .where('s.workspace_id', '=', workspaceId)
            .where('s.faq_id', '=', faqId)
            .whereRef('s.chat_id', '=', 'm.chat_id'),
        ),
      ),
    )
    .orderBy('m.created_at', 'desc')
    .execute();
  const byChat = new Map<string, WaitingAsker>();
  for (const r of rows) {
    if (byChat.has(r.chat_id) || r.text === null) continue;
    if (!wanted.has(normaliseToString(r.text).slice(0, 2000))) continue;
    byChat.set(r.chat_id, {
      chatId: r.chat_id,
      businessNumber: r.business_number as E164,
      messageId: r.id,
    });
  }
  return [...byChat.values()];
}
