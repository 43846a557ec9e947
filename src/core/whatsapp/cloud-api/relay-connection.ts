import type { WorkspaceId } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import type { SecretBox } from '../../secrets/secret-box';
import type { SyncStateRepository } from '../../store/repositories/sync-state';
import type { TimerHandle, Timers } from '../../timers';

/** Where a workspace's relay polls: its central sync enrollment. */
export interface RelayTarget {
  serverUrl: string;
  centralWorkspaceId: string;
  token: string;
}

/** Why there is no target: not enrolled, or enrolled but the token cannot be used. */
export type NoTarget = { left: true } | { left: false; problem: string };

/**
 * The relay's line to the central server: which server and token a workspace uses, one HTTP request,
 * and a pause; all of them end early when the relay stops.
 */
export interface RelayConnection {
  target(workspaceId: WorkspaceId): Promise<RelayTarget | NoTarget>;
  request(
    method: 'GET' | 'POST',
    url: string,
    token: string,
    timeoutMs: number,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }>;
  /** Waits `ms`, or less when the relay stops. */
  sleep(ms: number): Promise<void>;
}

export interface RelayConnectionOptions {
  syncState: SyncStateRepository;
  secrets: SecretBox;
  fetch: typeof fetch;
  timers: Timers;
  log: Logger;
  stopping: AbortSignal;
}

export function createRelayConnection(options: RelayConnectionOptions): RelayConnection {
  const { stopping, timers } = options;
  return {
    target: (workspaceId) => targetOf(options, workspaceId),
    async request(method, url, token, timeoutMs, body) {
      const signal = AbortSignal.any([stopping, AbortSignal.timeout(timeoutMs)]);
      const response = await options.fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal,
        redirect: 'error',
      });
      const text = await response.text();
      let json: unknown = null;
      try {
        json = text === '' ? null : (JSON.parse(text) as unknown);
      } catch {
        json = null;
      }
      return { status: response.status, json };
    },
    sleep: (ms) =>
      new Promise((resolve) => {
        if (stopping.aborted) return resolve();
        let handle: TimerHandle | undefined = undefined;
        const done = (): void => {
          if (handle !== undefined) timers.clearTimeout(handle);
          stopping.removeEventListener('abort', done);
          resolve();
        };
        handle = timers.setTimeout(done, ms);
        stopping.addEventListener('abort', done);
      }),
  };
}

async function targetOf(
  options: RelayConnectionOptions,
  workspaceId: WorkspaceId,
): Promise<RelayTarget | NoTarget> {
  const row = await options.syncState.get(workspaceId);
  if (row === undefined) return { left: true };
  if (row.state !== 'active') {
    return {
      left: false,
      problem: 'central sync needs attention: the central server refused this business’s token',
    };
  }
  try {
    return {
      serverUrl: row.serverUrl.replace(/\/+$/, ''),
      centralWorkspaceId: row.centralWorkspaceId,
      token: options.secrets.open(row.tokenSealed),
    };
  } catch (error) {
    options.log.error('cloud.relay_token', 'The workspace token for the relay cannot be opened', {
      workspaceId,
      error,
    });
    return { left: false, problem: 'the central sync token cannot be opened on this computer' };
  }
}
