import type { CoreHandlers, UnansweredGroupView } from '../../shared/contract';
import type { WorkspaceId } from '../../shared/types';
import { createFaqAttachmentRepository } from '../store/repositories/faq-attachments';
import { createUnansweredRepository } from '../store/repositories/unanswered-questions';
import { createId } from '../ids';
import type { HandlerContext } from './context';
import { tryMatchers } from './try-matchers';

type FaqHandlers = Pick<
  CoreHandlers,
  | 'faq.list'
  | 'faq.create'
  | 'faq.update'
  | 'faq.delete'
  | 'faq.try'
  | 'faq.exportCsv'
  | 'faq.importCsv'
  | 'unanswered.list'
  | 'unanswered.resolve'
>;

/** Sample wordings the Unanswered screen shows per group. */
const SAMPLES = 5;

export function createFaqHandlers(ctx: HandlerContext): FaqHandlers {
  const { faqs, hub, app } = ctx;
  // "Try a message": one matcher per workspace, rebuilt after its FAQs or settings change.
  const matcherOf = tryMatchers(ctx);

  const changed = (workspaceId: WorkspaceId) => hub.emit('faq.changed', { workspaceId });

  return {
    // Each with the file its answer sends, so the list can show which carry one.
    async 'faq.list'({ workspaceId, search, includeDisabled }) {
      const list = await faqs.list(workspaceId, { includeDisabled, ...(search !== undefined && { search }) });
      const files = await createFaqAttachmentRepository(app.store.db).forFaqs(
        workspaceId,
        list.map((faq) => faq.id),
      );
      return list.map((faq) => {
        const file = files.get(faq.id);
        return {
          ...faq,
          attachment: file === undefined ? null : { kind: file.kind, fileName: file.fileName },
        };
      });
    },

    async 'faq.create'({ workspaceId, ...fields }) {
      const faq = await faqs.create(workspaceId, fields);
      changed(workspaceId);
      return faq;
    },

    async 'faq.update'({ workspaceId, faqId, patch }) {
      const faq = await faqs.update(workspaceId, faqId, patch);
      changed(workspaceId);
      return faq;
    },

    async 'faq.delete'({ workspaceId, faqId }) {
      await faqs.delete(workspaceId, faqId);
      changed(workspaceId);
      return null;
    },

    async 'faq.try'({ workspaceId, text }) {
      const { matcher, questions } = await matcherOf(workspaceId);
      return {
        threshold: matcher.threshold,
        matches: matcher.tryMessage(text).map((m) => ({
          faqId: m.faqId,
          question: questions.get(m.faqId) ?? '',
          confidence: m.confidence,
          matchedPhrasing: m.explanation.matchedPhrasing,
          words: m.explanation.words,
          notes: m.explanation.notes,
          wouldAnswer: m.wouldAnswer,
        })),
      };
    },

    async 'faq.exportCsv'({ workspaceId }) {
      const csv = await faqs.exportCsv(workspaceId);
      return { csv, filename: `faqs-${new Date(ctx.clock.now()).toISOString().slice(0, 10)}.csv` };
    },

    async 'faq.importCsv'({ workspaceId, csv }) {
      const result = await faqs.importCsv(workspaceId, csv, (done, total) =>
        hub.emit('faq.importProgressed', { workspaceId, done, total }),
      );
      if (result.created + result.updated > 0) changed(workspaceId);
      return result;
    },

    async 'unanswered.list'({ workspaceId }) {
      await app.workspaces.get(workspaceId);
      const groups = await createUnansweredRepository(app.store.db, createId).listGroups(workspaceId);
      return groups.map((g): UnansweredGroupView => ({
        key: g.key,
        representative: g.representative,
        count: g.count,
        lastSeenAt: g.lastSeenAt,
        samples: g.questions.slice(0, SAMPLES).map((q) => ({ id: q.id, text: q.text, count: q.count })),
        ids: g.questions.map((q) => q.id),
      }));
    },

    async 'unanswered.resolve'({ workspaceId, ids, action }) {
      const result = await faqs.resolveUnanswered(workspaceId, ids, action);
      if (result.faqId !== null) changed(workspaceId);
      hub.emit('unanswered.changed', { workspaceId });
      return result;
    },
  };
}
