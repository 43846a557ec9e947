import type { CoreHandlers } from '../../shared/contract';
import type { HandlerContext } from './context';

type FaqHandlers = Pick<CoreHandlers, 'faq.list' | 'faq.create' | 'faq.update' | 'faq.delete'>;

export function createFaqHandlers(ctx: HandlerContext): FaqHandlers {
  const { faqs, hub } = ctx;
  return {
    'faq.list': ({ workspaceId, search, includeDisabled }) =>
      faqs.list(workspaceId, { includeDisabled, ...(search !== undefined && { search }) }),

    async 'faq.create'({ workspaceId, ...fields }) {
      const faq = await faqs.create(workspaceId, fields);
      hub.emit('faq.changed', { workspaceId });
      return faq;
    },

    async 'faq.update'({ workspaceId, faqId, patch }) {
      const faq = await faqs.update(workspaceId, faqId, patch);
      hub.emit('faq.changed', { workspaceId });
      return faq;
    },

    async 'faq.delete'({ workspaceId, faqId }) {
      await faqs.delete(workspaceId, faqId);
      hub.emit('faq.changed', { workspaceId });
      return null;
    },
  };
}
