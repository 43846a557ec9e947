import type { Faq } from '../../../shared/dto';
import type { WorkspaceId } from '../../../shared/types';
import { SwitchboardError } from '../../errors';
import { createFaqRepository, type FaqFields } from '../../store/repositories/faqs';
import { faqsToCsv } from './faq-csv';
import { importFaqCsv } from './faq-import';
import { tidyPhrasings } from './faq-phrasings';
import type { FaqServiceOptions } from './faq-service-options';
import { resolveUnanswered, type UnansweredAction } from './faq-unanswered';

export type { FaqServiceOptions } from './faq-service-options';
export { tidyPhrasings } from './faq-phrasings';

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
      // The question stays out of the event (it may be a customer's words, from Unanswered, and events
      // reach the central server whatever "Share message texts" says); the log shows it by its id.
      logger.child({ workspaceId }).info('faq.created', 'FAQ added', {
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
      logger.child({ workspaceId }).info('faq.updated', `FAQ changed: ${Object.keys(patch).join(', ')}`, {
        faqId,
        changed: Object.keys(patch),
      });
      return mustGet(workspaceId, faqId);
    },

    async exportCsv(workspaceId: WorkspaceId): Promise<string> {
      await options.requireWorkspace(workspaceId);
      return faqsToCsv(await repo.list(workspaceId, { includeDisabled: true }));
    },

    importCsv: (
      workspaceId: WorkspaceId,
      csv: string,
      onProgress?: (done: number, total: number) => void,
      chunk?: number,
    ) => importFaqCsv(options, workspaceId, csv, onProgress, chunk),

    resolveUnanswered: (workspaceId: WorkspaceId, ids: readonly string[], action: UnansweredAction) =>
      resolveUnanswered(options, workspaceId, ids, action),

    async delete(workspaceId: WorkspaceId, faqId: string): Promise<void> {
      const faq = await mustGet(workspaceId, faqId);
      await repo.delete(workspaceId, faqId);
      logger
        .child({ workspaceId })
        .info('faq.deleted', `FAQ deleted (it had ${faq.phrasings.length} phrasing(s))`, { faqId });
    },
  };
}
