// Downloads customers' files once each, after their messages are stored, outside the message queue (a
// slow download never holds up a reply). Each file is checked by the provider, capped per file and per
// workspace, stored by content hash, and its row moved to 'stored', or to 'failed' / 'too-large' with a
// reason the thread shows beside Retry. Rows still 'pending' at start (the app closed mid-download)
// are fetched again. Retention deletes files older than the workspace's setting, keeping the messages.
import type { WorkspaceSettings } from '../../shared/settings';
import type { WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { Store } from '../store/open-database';
import { createMessageMediaRepository } from '../store/repositories/message-media';
import type { WhatsAppProvider } from '../whatsapp/provider';
import { MediaError } from './media-error';
import type { MediaFiles } from './media-files';

const MB = 1024 * 1024;
const CONCURRENCY = 2;
const DAY_MS = 24 * 3_600_000;
const RESUME_BATCH = 500;

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
  const idleWaiters: (() => void)[] = [];
  let running = 0;
  let stopped = false;

  const settle = () => {
    if (running === 0 && queue.length === 0) for (const w of idleWaiters.splice(0)) w();
  };

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

    async prune() {
      let removed = 0;
      for (const workspaceId of await deps.workspaceIds()) {
        const { retentionDays } = await deps.mediaSettings(workspaceId);
        if (retentionDays === 0) continue;
        const now = deps.now();
        const unused = await repo.expireBefore(workspaceId, now - retentionDays * DAY_MS, now);
        for (const sha256 of unused) await deps.files.remove(sha256);
        removed += unused.length;
        if (unused.length > 0)
          deps.logger
            .child({ workspaceId })
            .info('media.pruned', `${unused.length} file(s) older than ${retentionDays} days deleted`, {
              files: unused.length,
              retentionDays,
            });
      }
      return removed;
    },

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
