import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventName, Events } from '../../../shared/contract';
import { errorMessage } from '../client/client';
import { useEvent, useOnReconnect, useWorkspace } from './app-context';

/**
 * A Settings section's status object for the current workspace: loaded when the workspace changes,
 * reloaded when `event` names this workspace or the connection to the core comes back. `set` takes a
 * fresher value from a command's answer without another round trip.
 */
export function useWorkspaceStatus<T, E extends EventName>(
  load: (workspaceId: string) => Promise<T>,
  event: E,
): { status: T | null; set: (status: T) => void; loadError: string | null; workspaceId: string } {
  const workspace = useWorkspace();
  const [status, setStatus] = useState<T | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // `load` is a fresh closure each render; the workspace is what decides when to load again.
  const loader = useRef(load);
  loader.current = load;

  const reload = useCallback(async () => {
    try {
      setStatus(await loader.current(workspace.id));
      setLoadError(null);
    } catch (failure) {
      setLoadError(errorMessage(failure));
    }
  }, [workspace.id]);

  useEffect(() => {
    setStatus(null);
    void reload();
  }, [reload]);
  useEvent(event, (payload: Events[E]) => {
    const named = (payload as { workspaceId?: string }).workspaceId;
    if (named === undefined || named === workspace.id) void reload();
  });
  useOnReconnect(() => void reload());
  return { status, set: setStatus, loadError, workspaceId: workspace.id };
}
