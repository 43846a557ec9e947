import type { Kysely } from 'kysely';
import type { FaqAttachment } from '../../../shared/media-send-contract';
import type { WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';

export interface StoredFaqAttachment extends FaqAttachment {
  sha256: string;
}

/** The photo or document each FAQ's answer sends (0017), at most one per FAQ; scoped to a workspace. */
export function createFaqAttachmentRepository(db: Kysely<Database>) {
  return {
    async forFaqs(
      workspaceId: WorkspaceId,
      faqIds: readonly string[],
    ): Promise<Map<string, StoredFaqAttachment>> {
      if (faqIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('faq_attachments')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('faq_id', 'in', [...new Set(faqIds)])
        .execute();
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
      const result = await db
        .deleteFrom('faq_attachments')
        .where('workspace_id', '=', workspaceId)
        .where('faq_id', '=', faqId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
