import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import { SwitchboardError } from '../../errors';
import type { IdGenerator } from '../../ids';
import { createFaqRepository } from '../../store/repositories/faqs';
import { createLearningRepository } from '../../store/repositories/learning';
import { createUnansweredRepository } from '../../store/repositories/unanswered-questions';
import type { Database } from '../../store/schema';
import { tidyPhrasings } from './faq-phrasings';
import type { FaqServiceOptions } from './faq-service-options';

export type UnansweredAction =
  | { type: 'add-phrasing'; faqId: string }
  | { type: 'new-faq'; question: string; answer: string }
  | { type: 'dismiss' };

/**
 * Handles a group of unanswered questions in one transaction: its texts become phrasings of an
 * FAQ (or of a new one), or it is dismissed; then the group is marked resolved.
 */
export async function resolveUnanswered(
  options: FaqServiceOptions,
  workspaceId: WorkspaceId,
  ids: readonly string[],
  action: UnansweredAction,
): Promise<{ resolved: number; faqId: string | null }> {
  const { store, logger, clock, newId } = options;
  await options.requireWorkspace(workspaceId);
  const wanted = new Set(ids);
  const texts = (await createUnansweredRepository(store.db, newId).listGroups(workspaceId))
    .flatMap((g) => g.questions)
    .filter((q) => wanted.has(q.id))
    .map((q) => q.text.slice(0, 300));
  if (texts.length === 0) {
    throw new SwitchboardError('NOT_FOUND', 'Those questions were already handled (or never asked here).', {
      ids: ids.length,
    });
  }
  const now = clock.now();
  const result = await store.transaction(async (trx) => {
    const faqId = await applyAction(trx, newId, workspaceId, action, texts, now);
    // For Home's "what the bot learned this week".
    if (faqId !== null) {
      await createLearningRepository(trx, newId).record(
        workspaceId,
        action.type === 'new-faq'
          ? [{ faqId, kind: 'faq', text: action.question, chatId: null }]
          : texts.map((text) => ({ faqId, kind: 'phrasing' as const, text, chatId: null })),
        now,
      );
    }
    const resolved = await createUnansweredRepository(trx, newId).resolve(workspaceId, [...wanted]);
    return { resolved, faqId };
  });
  logger
    .child({ workspaceId })
    .info(
      'bot.unanswered_resolved',
      `${result.resolved} unanswered question(s) ${action.type === 'dismiss' ? 'dismissed' : 'added to an FAQ'}`,
      {
        action: action.type,
        resolved: result.resolved,
        faqId: result.faqId,
      },
    );
  return result;
}

/** The FAQ the texts went to (an existing one, or one made from them); null when dismissed. */
async function applyAction(
  trx: Kysely<Database>,
  newId: IdGenerator,
  workspaceId: WorkspaceId,
  action: UnansweredAction,
  texts: readonly string[],
  now: number,
): Promise<string | null> {
  const faqs = createFaqRepository(trx, newId);
  let faqId: string | null = null;
  if (action.type === 'add-phrasing') {
    const faq = await faqs.get(workspaceId, action.faqId);
    if (faq === undefined) {
      throw new SwitchboardError('NOT_FOUND', 'That FAQ does not exist (it may have been deleted).', {
        faqId: action.faqId,
      });
    }
    const phrasings = tidyPhrasings(faq.question, [...faq.phrasings, ...texts]).slice(0, 100);
    await faqs.update(workspaceId, faq.id, { phrasings }, now);
    faqId = faq.id;
  } else if (action.type === 'new-faq') {
    faqId = newId();
    await faqs.create(
      workspaceId,
      faqId,
      {
        question: action.question,
        answer: action.answer,
        phrasings: tidyPhrasings(action.question, texts).slice(0, 100),
        enabled: true,
      },
      now,
    );
  }
  return faqId;
}
