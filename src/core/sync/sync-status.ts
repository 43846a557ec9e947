import type { SyncStatus } from '../../shared/sync-contract';
import type { WorkspaceId } from '../../shared/types';
import type { SyncStateRow } from '../store/repositories/sync-state';
import type { PusherState } from './pusher';

/** What the Settings screen shows for an enrolled workspace: the stored row and the running pusher. */
export function enrolledStatus(
  row: SyncStateRow,
  running: PusherState | undefined,
  backlog: number,
): SyncStatus {
  const phase =
    row.state === 'needs-attention'
      ? 'needs-attention'
      : running !== undefined && running.phase !== 'stopped' && running.phase !== 'needs-attention'
        ? running.phase
        : row.lastError !== null
          ? 'retrying'
          : 'idle';
  return {
    workspaceId: row.workspaceId,
    enrolled: true,
    phase,
    serverUrl: row.serverUrl,
    centralWorkspaceId: row.centralWorkspaceId,
    centralWorkspaceName: row.centralWorkspaceName,
    enrolledAt: row.enrolledAt,
    shareMessageText: row.shareMessageText,
    lastAckedSeq: row.lastAckedSeq,
    backlog,
    lastSuccessAt: row.lastSuccessAt,
    lastError:
      row.lastError === null || row.lastErrorAt === null
        ? null
        : { message: row.lastError, at: row.lastErrorAt },
    nextAttemptAt: phase === 'retrying' ? (running?.nextAttemptAt ?? null) : null,
    catchingUp: phase === 'catching-up' || phase === 'pushing' ? (running?.catchingUp ?? null) : null,
  };
}

export function offStatus(workspaceId: WorkspaceId): SyncStatus {
  return {
    workspaceId,
    enrolled: false,
    phase: 'off',
    serverUrl: null,
    centralWorkspaceId: null,
    centralWorkspaceName: null,
    enrolledAt: null,
    shareMessageText: false,
    lastAckedSeq: 0,
    backlog: 0,
    lastSuccessAt: null,
    lastError: null,
    nextAttemptAt: null,
    catchingUp: null,
  };
}
