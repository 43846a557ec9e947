import type { WorkspaceId } from '../../../shared/types';

/**
 * Per workspace, the end of its chain of deliveries and releases: they never run at once, so held
 * webhooks keep their order.
 */
export interface RelayTurns {
  /** Runs `task` after the workspace's earlier tasks (whether they succeeded or not). */
  inTurn<T>(workspaceId: WorkspaceId, task: () => Promise<T>): Promise<T>;
}

export function createRelayTurns(): RelayTurns {
  const turns = new Map<WorkspaceId, Promise<unknown>>();
  return {
    inTurn(workspaceId, task) {
      const result = (turns.get(workspaceId) ?? Promise.resolve()).then(task);
      const tail = result.catch(() => undefined);
      turns.set(workspaceId, tail);
      void tail.then(() => {
        if (turns.get(workspaceId) === tail) turns.delete(workspaceId);
      });
      return result;
    },
  };
}
