import type { CoreHandlers } from '../../shared/contract';
import type { WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import { createFaqAttachmentRepository } from '../store/repositories/faq-attachments';
import type { HandlerContext } from './context';

type FaqAttachmentHandlers = Pick<CoreHandlers, 'faq.attachment' | 'faq.attach' | 'faq.detach'>;

/** The file an FAQ's answer carries (a price list, a menu): shown, set from an upload, removed. */
export function createFaqAttachmentHandlers(ctx: HandlerContext): FaqAttachmentHandlers {
  const { app, hub, clock } = ctx;
  const uploads = app.media.uploads;
  const attachments = createFaqAttachmentRepository(app.store.db);

  async function faqOf(workspaceId: WorkspaceId, faqId: string): Promise<void> {
    const found = await app.store.db
      .selectFrom('faqs')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', faqId)
      .executeTakeFirst();
    if (found === undefined)
      throw new SwitchboardError('NOT_FOUND', 'That FAQ does not exist in this workspace.', { faqId });
  }

  return {
    async 'faq.attachment'({ workspaceId, faqId }) {
      await faqOf(workspaceId, faqId);
      const found = (await attachments.forFaqs(workspaceId, [faqId])).get(faqId);
      if (found === undefined) return null;
      const { sha256: _sha256, ...shown } = found;
      return shown;
    },

    async 'faq.attach'({ workspaceId, faqId, uploadId }) {
      await faqOf(workspaceId, faqId);
      const file = uploads.take(workspaceId, uploadId);
      if (file.kind !== 'image' && file.kind !== 'document') {
        uploads.giveBack(workspaceId, file);
        throw new SwitchboardError(
          'VALIDATION',
          'An answer can carry a photo or a document (a price list, a menu), not a voice note or audio.',
          { reason: 'UNSUPPORTED_TYPE' },
        );
      }
      const attachment = {
        faqId,
        kind: file.kind,
        mime: file.mime,
        fileName: file.fileName,
        size: file.size,
        sha256: file.sha256,
      };
      await attachments.set(workspaceId, attachment, clock.now());
      app.logger.child({ workspaceId }).info('faq.attached', `A ${file.kind} was attached to an FAQ`, {
        faqId,
        bytes: file.size,
      });
      hub.emit('faq.changed', { workspaceId });
      const { sha256: _sha256, ...shown } = attachment;
      return shown;
    },

    async 'faq.detach'({ workspaceId, faqId }) {
      await faqOf(workspaceId, faqId);
      const removed = await attachments.remove(workspaceId, faqId);
      if (removed) hub.emit('faq.changed', { workspaceId });
      return { removed };
    },
  };
}
