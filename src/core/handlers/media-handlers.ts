import type { CoreHandlers } from '../../shared/contract';
import { SwitchboardError } from '../errors';
import { createMessageMediaRepository } from '../store/repositories/message-media';
import { openMediaFile, type OpenFile } from '../media/open-media';
import type { HandlerContext } from './context';

type MediaHandlers = Pick<CoreHandlers, 'media.read' | 'media.retry' | 'media.open'>;

/** A message's file for the thread (shown, played, saved, opened), and Retry of a failed download. */
export function createMediaHandlers(ctx: HandlerContext, openFile?: OpenFile): MediaHandlers {
  const { app } = ctx;
  const repo = createMessageMediaRepository(app.store.db);

  const handlers: MediaHandlers = {
    async 'media.open'(input) {
      if (openFile === undefined) {
        throw new SwitchboardError(
          'UNAVAILABLE',
          'Opening files is for the desktop app; the browser downloads them.',
        );
      }
      const problem = await openMediaFile(await handlers['media.read'](input), openFile);
      if (problem !== '') {
        throw new SwitchboardError('UNAVAILABLE', `No app on this computer could open the file: ${problem}`);
      }
      app.logger.child({ workspaceId: input.workspaceId }).info('media.opened', 'The owner opened a file', {
        messageId: input.messageId,
      });
      return { opened: true };
    },

    async 'media.read'({ workspaceId, messageId }) {
      await app.workspaces.get(workspaceId);
      const row = await repo.get(workspaceId, messageId);
      if (row === undefined)
        throw new SwitchboardError('NOT_FOUND', 'That message has no file.', { messageId });
      if (row.state !== 'stored' || row.sha256 === null) {
        throw new SwitchboardError('CONFLICT', row.error ?? 'The file is not downloaded yet.', {
          messageId,
          state: row.state,
        });
      }
      const data = await app.media.files.read(row.sha256).catch(() => {
        throw new SwitchboardError('NOT_FOUND', 'The file is missing from the media folder; press Retry.', {
          messageId,
        });
      });
      return {
        mime: row.mime ?? 'application/octet-stream',
        fileName: row.fileName,
        data: data.toString('base64'),
      };
    },

    async 'media.retry'({ workspaceId, messageId }) {
      await app.workspaces.get(workspaceId);
      const row = await repo.get(workspaceId, messageId);
      if (row === undefined)
        throw new SwitchboardError('NOT_FOUND', 'That message has no file.', { messageId });
      if (row.state === 'stored' || row.state === 'none' || row.state === 'pending')
        return { state: row.state };
      await app.media.fetcher.retry(workspaceId, messageId);
      return { state: 'pending' };
    },
  };
  return handlers;
}
