import type { Kysely } from 'kysely';
import type { MediaKind } from '../../shared/media-contract';
import type { WorkspaceId } from '../../shared/types';
import { createMessageMediaRepository } from '../store/repositories/message-media';
import type { Database } from '../store/schema';

/** A file the app holds already (the owner's upload, a sent file), as a file kind of media row. */
export interface StoredFile {
  kind: MediaKind;
  mime: string;
  size: number;
  sha256: string;
  fileName: string | null;
  caption: string | null;
}

/** The thread shows the file like a customer's: a media row beside the message, stored already. */
export async function recordStoredFile(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  messageId: string,
  file: StoredFile,
  now: number,
): Promise<void> {
  const media = createMessageMediaRepository(db);
  const { sha256, ...described } = file;
  const none = { durationSeconds: null, thumbnail: null, extra: null, ref: null };
  await media.insertMany(workspaceId, [{ messageId, ...described, ...none, state: 'stored' }], now);
  await media.markStored(workspaceId, messageId, { sha256, size: file.size }, now);
}
