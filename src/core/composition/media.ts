import type { E164, WorkspaceId } from '../../shared/types';
import type { ConnectionManager } from '../connection/connection-manager';
import type { Clock } from '../ids';
import type { Logger } from '../log/logger';
import { createMediaFetcher } from '../media/media-fetcher';
import { createMediaFiles } from '../media/media-files';
import { createMediaUploads } from '../media/media-uploads';
import type { Store } from '../store/open-database';
import type { WorkspaceService } from '../workspace/workspace-service';

/**
 * Customers' files, downloaded once after their message is stored and kept under <dataDir>/media/,
 * and the files the owner sends, arriving in pieces from the screen.
 */
export function createMediaParts(deps: {
  dataDir: string;
  store: Store;
  logger: Logger;
  clock: Clock;
  workspaces: WorkspaceService;
  connections: ConnectionManager;
  onChanged: (workspaceId: WorkspaceId, chatId: string) => void;
}) {
  const { workspaces, clock, connections } = deps;
  const files = createMediaFiles(deps.dataDir);
  const fetcher = createMediaFetcher({
    store: deps.store,
    files,
    logger: deps.logger,
    provider: (workspaceId, e164) => {
      try {
        return connections.provider(workspaceId, e164 as E164);
      } catch {
        return undefined;
      }
    },
    mediaSettings: async (workspaceId) => (await workspaces.get(workspaceId)).settings.media,
    workspaceIds: async () => (await workspaces.list()).map((w) => w.id),
    now: () => clock.now(),
    onChanged: deps.onChanged,
  });
  const uploads = createMediaUploads({
    files,
    now: () => clock.now(),
    maxFileBytes: async (workspaceId) =>
      (await workspaces.get(workspaceId)).settings.media.maxFileMb * 1024 * 1024,
  });
  return { files, fetcher, uploads };
}
