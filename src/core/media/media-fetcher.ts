// Downloads customers' files once each, after their messages are stored, outside the message queue (a
// slow download never holds up a reply). Each file is checked by the provider, capped per file and per
// workspace, stored by content hash, and its row moved to 'stored', or to 'failed' / 'too-large' with a
// reason the thread shows beside Retry. Rows still 'pending' at start (the app closed mid-download)
// are fetched again. Retention deletes files older than the workspace's setting, keeping the messages.
import type { WorkspaceId } from '../../shared/types';
import { createMessageMediaRepository } from '../store/repositories/message-media';
import { createMediaDownload } from './media-download';
import type { MediaFetcherDeps } from './media-fetcher-deps';
import { pruneMedia } from './media-retention';

export type { MediaFetcherDeps } from './media-fetcher-deps';

const CONCURRENCY = 2;
const RESUME_BATCH = 500;

export interface MediaFetcher {
  fetch(workspaceId: WorkspaceId, messageId: string): void;
  /** The owner pressed Retry: a too-large file is then fetched past the per-file cap (not the workspace's). */
  retry(workspaceId: WorkspaceId, messageId: string): Promise<boolean>;
  /** Fetches what was left pending and applies retention; call once the numbers are starting. */
  resume(): Promise<void>;
  /** Deletes files past each workspace's retention; returns how many files went. */
  prune(): Promise<number>;
  /** Resolves when nothing is queued or downloading (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function createMediaFetcher(deps: MediaFetcherDeps): MediaFetcher {
  const repo = createMessageMediaRepository(deps.store.db);
  const queue: { workspaceId: WorkspaceId; messageId: string }[] = [];
  const queued = new Set<string>();
  const pastFileCap = new Set<string>();
  const fetchOne = createMediaDownload(deps, repo, pastFileCap);
  const idleWaiters: (() => void)[] = [];
  let running = 0;
  let stopped = false;

  const settle = () => {
    if (running === 0 && queue.length === 0) for (const w of idleWaiters.splice(0)) w();
  };

  function pump(): void {
    while (!stopped && running < CONCURRENCY && queue.length > 0) {
      const next = queue.shift()!;
      running++;
      fetchOne(next.workspaceId, next.messageId)
        .catch((error: unknown) =>
          deps.logger.error('media.failed', 'A media download crashed', { error, messageId: next.messageId }),
        )
        .finally(() => {
          running--;
          queued.delete(`${next.workspaceId}\u0000${next.messageId}`);
          pump();
          settle();
        });
    }
  }

  const fetcher: MediaFetcher = {
    fetch(workspaceId, messageId) {
      const key = `${workspaceId}\u0000${messageId}`;
      if (stopped || queued.has(key)) return;
      queued.add(key);
      queue.push({ workspaceId, messageId });
      pump();
    },

    async retry(workspaceId, messageId) {
      const row = await repo.get(workspaceId, messageId);
      if (row?.state === 'too-large') pastFileCap.add(messageId);
      const requeued = await repo.requeue(workspaceId, messageId, deps.now());
      if (requeued) fetcher.fetch(workspaceId, messageId);
      return requeued;
    },

    async resume() {
      await fetcher.prune();
      for (const workspaceId of await deps.workspaceIds()) {
        for (const messageId of await repo.pending(workspaceId, RESUME_BATCH))
          fetcher.fetch(workspaceId, messageId);
      }
    },

    prune: () => pruneMedia(deps, repo),

    idle() {
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },

    async stop() {
      stopped = true;
      queue.length = 0;
      queued.clear();
      await fetcher.idle();
    },
  };
  return fetcher;
}
