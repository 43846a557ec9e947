import type { WorkspaceSettings } from '../../shared/settings';
import type { WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { Store } from '../store/open-database';
import type { WhatsAppProvider } from '../whatsapp/provider';
import type { MediaFiles } from './media-files';

/** What the media fetcher and its parts (the download, retention) are given. */
export interface MediaFetcherDeps {
  store: Store;
  files: MediaFiles;
  logger: Logger;
  provider(workspaceId: WorkspaceId, e164: string): WhatsAppProvider | undefined;
  mediaSettings(workspaceId: WorkspaceId): Promise<WorkspaceSettings['media']>;
  workspaceIds(): Promise<WorkspaceId[]>;
  now(): number;
  /** A message's media changed state (stored, failed): the thread reloads. */
  onChanged(workspaceId: WorkspaceId, chatId: string): void;
}
