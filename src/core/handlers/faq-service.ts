import type { Faq } from '../../shared/dto';
import type { WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import type { Clock, IdGenerator } from '../ids';
import type { Logger } from '../log/logger';
import type { Store } from '../store/open-database';
import { createFaqRepository, type FaqFields } from '../store/repositories/faqs';

export interface FaqServiceOptions {
  store: Store;
  logger: Logger;
  clock: Clock;
  newId: IdGenerator;
  /** Throws NOT_FOUND for a workspace that does not exist. */
  requireWorkspace: (workspaceId: WorkspaceId) => Promise<unknown>;
}

export type FaqService = ReturnType<typeof createFaqService>;

/**
 * The owner's FAQs: an FAQ and its phrasings are written in one transaction, phrasings are tidied
 * (blank, repeated and same-as-the-question ones dropped), and every change is logged. Inputs arrive
 * already checked by the contract's schemas.
 */
export function createFaqService(options: FaqServiceOptions) {
  const { store, logger, clock, newId } = options;
  const repo = createFaqRepository(store.db, newId);

  async function mustGet(workspaceId: WorkspaceId, faqId: string): Promise<Faq> {
    const faq = await repo.get(workspaceId, faqId);
    if (faq === undefined) {
      throw new SwitchboardError('NOT_FOUND', 'That FAQ does not exist (it may have been deleted).', {
        faqId,
      });
    }
    return faq;
  }

  return {
    async list(workspaceId: WorkspaceId, filter: { search?: string; includeDisabled?: boolean } = {}) {
      await options.requireWorkspace(workspaceId);
      const all = await repo.list(workspaceId, { includeDisabled: filter.includeDisabled ?? true });
      const needle = filter.search?.trim().toLocaleLowerCase() ?? '';
      if (needle === '') return all;
      return all.filter((faq) =>
        [faq.question, faq.answer, ...faq.phrasings].some((text) =>
          text.toLocaleLowerCase().includes(needle),
        ),
      );
    },

    async create(workspaceId: WorkspaceId, fields: FaqFields): Promise<Faq> {
      await options.requireWorkspace(workspaceId);
      const tidy = { ...fields, phrasings: tidyPhrasings(fields.question, fields.phrasings) };
      const id = newId();
      const faq = await store.transaction((trx) =>
        createFaqRepository(trx, newId).create(workspaceId, id, tidy, clock.now()),
      );
      logger.child({ workspaceId }).info('faq.created', `FAQ added: "${faq.question}"`, {
        faqId: id,
        phrasings: faq.phrasings.length,
        enabled: faq.enabled,
      });
      return faq;
    },

    async update(workspaceId: WorkspaceId, faqId: string, patch: Partial<FaqFields>): Promise<Faq> {
      const before = await mustGet(workspaceId, faqId);
      const question = patch.question ?? before.question;
      const tidy: Partial<FaqFields> = {
        ...patch,
        ...(patch.phrasings !== undefined && { phrasings: tidyPhrasings(question, patch.phrasings) }),
      };
      const updated = await store.transaction((trx) =>
        createFaqRepository(trx, newId).update(workspaceId, faqId, tidy, clock.now()),
      );
      if (!updated) return mustGet(workspaceId, faqId); // deleted meanwhile: NOT_FOUND
      logger.child({ workspaceId }).info('faq.updated', `FAQ changed: "${question}"`, {
        faqId,
        changed: Object.keys(patch),
      });
      return mustGet(workspaceId, faqId);
    },

    async delete(workspaceId: WorkspaceId, faqId: string): Promise<void> {
      const faq = await mustGet(workspaceId, faqId);
      await repo.delete(workspaceId, faqId);
      logger.child({ workspaceId }).info('faq.deleted', `FAQ deleted: "${faq.question}"`, { faqId });
    },
  };
}

/** Keeps the owner's order; drops blanks, repeats (ignoring case and spacing) and copies of the question. */
export function tidyPhrasings(question: string, phrasings: readonly string[]): string[] {
  const key = (text: string) => text.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  const seen = new Set([key(question)]);
  const result: string[] = [];
  for (const phrasing of phrasings) {
    const text = phrasing.trim();
    const k = key(text);
    if (k === '' || seen.has(k)) continue;
    seen.add(k);
    result.push(text);
  }
  return result;
}
