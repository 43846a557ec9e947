import type { Kysely } from 'kysely';
import type { E164, WorkspaceId } from '../../shared/types';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import type { Database } from '../store/schema';

/** The owner's message about to go out from the app (a typed reply, a template). */
export interface OwnerSending {
  id: string;
  /** The id it travels with: the echo from the phone then finds this row, not a copy. */
  messageId: string;
  from: E164;
  chatId: string;
  text: string;
}

/** Records the owner's message as `sending`, before WhatsApp is asked; marked sent or failed after. */
export async function recordOwnerSending(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  message: OwnerSending,
  now: number,
): Promise<void> {
  const { id, messageId, from, chatId, text } = message;
  await createPipelineMessageRepository(db).recordOutbound(
    workspaceId,
    {
      id,
      businessNumber: from,
      providerMessageId: messageId,
      chatId,
      author: 'owner',
      text,
      status: 'sending',
    },
    now,
  );
}
