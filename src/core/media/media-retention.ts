import type { MessageMediaRepository } from '../store/repositories/message-media';
import type { MediaFetcherDeps } from './media-fetcher-deps';

const DAY_MS = 24 * 3_600_000;

/** Deletes files past each workspace's retention, keeping the messages; returns how many files went. */
export async function pruneMedia(deps: MediaFetcherDeps, repo: MessageMediaRepository): Promise<number> {
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
}
