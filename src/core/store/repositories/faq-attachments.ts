import type { Kysely } from 'kysely';
import type { FaqAttachment } from '../../../shared/media-send-contract';
import type { WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';
import { keyedTable } from './keyed-table';

export interface StoredFaqAttachment extends FaqAttachment {
  sha256: string;
}

/** The photo or document each FAQ's answer sends (0017), at most one per FAQ; scoped to a workspace. */
export function createFaqAttachmentRepository(db: Kysely<Database>) {
  const attachments = keyedTable(db, 'faq_attachments');
  return {
    async forFaqs(
      workspaceId: WorkspaceId,
      faqIds: readonly string[],
    ): Promise<Map<string, StoredFaqAttachment>> {
      if (faqIds.length === 0) return new Map();
      const rows = await attachments.getIn({ workspace_id: workspaceId }, 'faq_id', faqIds);
      return new Map(
        rows.map((r) => [
          r.faq_id,
          {
            faqId: r.faq_id,
            kind: r.kind as FaqAttachment['kind'],
            mime: r.mime,
            fileName: r.file_name,
            size: r.size,
            sha256: r.sha256,
          },
        ]),
      );
    },

    async set(workspaceId: WorkspaceId, attachment: StoredFaqAttachment, now: number): Promise<void> {
      const values = {
        kind: attachment.kind,
        sha256: attachment.sha256,
        mime: attachment.mime,
        file_name: attachment.fileName,
        size: attachment.size,
        created_at: now,
      };
      await db
        .insertInto('faq_attachments')
        .values({ faq_id: attachment.faqId, workspace_id: workspaceId, ...values })
        .onConflict((oc) =>
          oc.column('faq_id').doUpdateSet(values).where('faq_attachments.workspace_id', '=', workspaceId),
        )
        .execute();
    },

    async remove(workspaceId: WorkspaceId, faqId: string): Promise<boolean> {
      return (await attachments.remove({ workspace_id: workspaceId, faq_id: faqId })) > 0;
    },
  };
}
