import type { WorkspaceId } from '../../shared/types';
import type { ConnectionEvent, ConnectionManager } from '../connection/connection-manager';
import type { Logger } from '../log/logger';
import type { MediaFetcher } from '../media/media-fetcher';
import type { MediaFiles } from '../media/media-files';
import {
  createPipeline,
  type ChatActivity,
  type Pipeline,
  type PipelineAlert,
  type PipelineOptions,
} from '../pipeline/pipeline';
import type { InboundJournal } from '../store/inbound-journal';
import type { Store } from '../store/open-database';
import type { Timers } from '../timers';

/**
 * The pipeline on the connections: customers' messages in, the bot's and the owner's replies out,
 * files fetched once a message is stored, and what the owner must know raised as alerts.
 */
export function createCorePipeline(deps: {
  store: Store;
  logger: Logger;
  journal: InboundJournal;
  media: { files: MediaFiles; fetcher: MediaFetcher };
  connections: ConnectionManager;
  subscribe: (listener: (event: ConnectionEvent) => void) => () => void;
  ai: PipelineOptions['ai'];
  onAlert: (alert: PipelineAlert) => void;
  onActivity: (activity: ChatActivity) => void;
  onUnanswered: (workspaceId: WorkspaceId) => void;
  options: { timers?: Timers; random?: () => number } | undefined;
}): Pipeline {
  const { media, connections, options } = deps;
  return createPipeline({
    store: deps.store,
    logger: deps.logger,
    journal: deps.journal,
    readMedia: (sha256) => media.files.read(sha256),
    onFilesToFetch: (stored) => {
      for (const m of stored) media.fetcher.fetch(m.workspaceId, m.id);
    },
    connections: {
      provider: (workspaceId, e164) => {
        try {
          return connections.provider(workspaceId, e164);
        } catch {
          return undefined;
        }
      },
    },
    subscribe: deps.subscribe,
    onAlert: deps.onAlert,
    ai: deps.ai,
    onActivity: deps.onActivity,
    onUnanswered: deps.onUnanswered,
    ...(options?.timers !== undefined && { timers: options.timers }),
    ...(options?.random !== undefined && { random: options.random }),
  });
}
