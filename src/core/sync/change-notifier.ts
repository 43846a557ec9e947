import type { WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { TimerHandle, Timers } from '../timers';

/**
 * Tells listeners that a workspace's sync status changed: important changes (a phase) at once,
 * progress at most once per interval per workspace.
 */
export interface ChangeNotifier {
  notify(workspaceId: WorkspaceId, important: boolean): void;
  onChanged(listener: (workspaceId: WorkspaceId) => void): () => void;
  /** Drops pending notifications and every listener. */
  close(): void;
}

export function createChangeNotifier(timers: Timers, intervalMs: number, logger: Logger): ChangeNotifier {
  const listeners = new Set<(workspaceId: WorkspaceId) => void>();
  const pending = new Map<WorkspaceId, TimerHandle>();

  const emit = (workspaceId: WorkspaceId): void => {
    for (const listener of [...listeners]) {
      try {
        listener(workspaceId);
      } catch (error) {
        logger.error('error', 'a sync.changed listener failed', { error });
      }
    }
  };

  return {
    notify(workspaceId, important) {
      const handle = pending.get(workspaceId);
      if (important) {
        if (handle !== undefined) timers.clearTimeout(handle);
        pending.delete(workspaceId);
        emit(workspaceId);
        return;
      }
      if (handle !== undefined) return;
      pending.set(
        workspaceId,
        timers.setTimeout(() => {
          pending.delete(workspaceId);
          emit(workspaceId);
        }, intervalMs),
      );
    },
    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      for (const handle of pending.values()) timers.clearTimeout(handle);
      pending.clear();
      listeners.clear();
    },
  };
}
