import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../shared/types';
import { createFaqAttachmentRepository } from '../store/repositories/faq-attachments';
import type { NewOutboxRow } from '../store/repositories/outbox';
import type { Database } from '../store/schema';

/** WhatsApp shows at most this much text under a photo or document. */
const MAX_CAPTION = 1024;

/**
 * The bot's answers from FAQs that carry a photo or document (the price list, the menu) send it with
 * the answer as its caption; an answer too long for a caption goes first as text, then the file
 * alone. One query per batch, and only for batches with FAQ answers.
 */
export async function withFaqFiles(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  rows: NewOutboxRow[],
  newOutboxId: () => string,
): Promise<NewOutboxRow[]> {
  const faqIds = rows.flatMap((r) => (r.faqId === undefined || r.faqId === null ? [] : [r.faqId]));
  if (faqIds.length === 0) return rows;
  const files = await createFaqAttachmentRepository(db).forFaqs(workspaceId, faqIds);
  if (files.size === 0) return rows;
  return rows.flatMap((row) => {
    const file = row.faqId === undefined || row.faqId === null ? undefined : files.get(row.faqId);
    if (file === undefined) return [row];
    const media = { kind: file.kind, sha256: file.sha256, mime: file.mime, fileName: file.fileName };
    if (row.text.length <= MAX_CAPTION) return [{ ...row, media: { ...media, caption: row.text } }];
    return [row, { ...row, id: newOutboxId(), text: file.fileName, media: { ...media, caption: null } }];
  });
}
