import type { WorkspaceId } from '../../shared/types';
import type { MessageMediaRepository } from '../store/repositories/message-media';
import { MediaError } from './media-error';
import type { MediaFetcherDeps } from './media-fetcher-deps';

const MB = 1024 * 1024;

/**
 * One file's download: checked against the workspace's space and the per-file cap (skipped once for a
 * message in `pastFileCap`), fetched from the provider, stored by content hash, and the row moved on.
 */
export function createMediaDownload(
  deps: MediaFetcherDeps,
  repo: MessageMediaRepository,
  pastFileCap: Set<string>,
): (workspaceId: WorkspaceId, messageId: string) => Promise<void> {
  async function chatOf(workspaceId: WorkspaceId, messageId: string) {
    return deps.store.db
      .selectFrom('messages')
      .select(['business_number', 'chat_id'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', messageId)
      .executeTakeFirst();
  }

  async function fetchOne(workspaceId: WorkspaceId, messageId: string): Promise<void> {
    const row = await repo.get(workspaceId, messageId);
    const message = await chatOf(workspaceId, messageId);
    if (row?.state !== 'pending' || row.ref === null || message === undefined) return;
    const log = deps.logger.child({ workspaceId });
    const fail = async (state: 'failed' | 'too-large', why: string) => {
      await repo.markFailed(workspaceId, messageId, state, why, deps.now());
      log.warn('media.failed', `A ${row.kind} could not be downloaded: ${why}`, { messageId, state });
    };
    try {
      const limits = await deps.mediaSettings(workspaceId);
      const room = limits.maxWorkspaceMb * MB - (await repo.usage(workspaceId));
      if (room <= 0) {
        await fail('too-large', `This workspace's media space (${limits.maxWorkspaceMb} MB) is full.`);
        return;
      }
      const fileCap = pastFileCap.delete(messageId) ? Infinity : limits.maxFileMb * MB;
      const maxBytes = Math.min(fileCap, room);
      const provider = deps.provider(workspaceId, message.business_number);
      if (provider?.fetchMedia === undefined) {
        await fail('failed', `${message.business_number} is not connected; press Retry once it is.`);
        return;
      }
      const fetched = await provider.fetchMedia(row.ref, { maxBytes });
      if (fetched.ref !== undefined) await repo.updateRef(workspaceId, messageId, fetched.ref, deps.now());
      const file = await deps.files.put(fetched.data);
      await repo.markStored(workspaceId, messageId, file, deps.now());
      log.info('media.stored', `A ${row.kind} of ${file.size} bytes was stored`, {
        messageId,
        size: file.size,
        renewed: fetched.ref !== undefined,
      });
    } catch (error) {
      if (error instanceof MediaError)
        await fail(error.reason === 'too-large' ? 'too-large' : 'failed', error.message);
      else
        await fail(
          'failed',
          `Could not store the file: ${error instanceof Error ? error.message : String(error)}`,
        );
    } finally {
      deps.onChanged(workspaceId, message.chat_id);
    }
  }

  return fetchOne;
}
