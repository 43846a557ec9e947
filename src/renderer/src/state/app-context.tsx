import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AppInfo, EventName, Events } from '../../../shared/contract';
import type { Workspace } from '../../../shared/dto';
import type { StreamStatus, SwitchboardClient } from '../client/client';
import { providedContext, readStored, writeStored } from './provided';

const SELECTED_KEY = 'switchboard.workspace';

interface AppContextValue {
  client: SwitchboardClient;
  info: AppInfo;
  workspaces: Workspace[];
  workspace: Workspace | undefined;
  selectWorkspace: (id: string) => void;
  reloadWorkspaces: () => Promise<Workspace[]>;
  stream: StreamStatus;
  /** Customer messages that arrived while the app was open, newest first, per workspace. */
  recentMessages: Readonly<Record<string, Events['message.received'][]>>;
}

const RECENT_MESSAGES = 6;

const [AppContext, useAppContext] = providedContext<AppContextValue>('useApp', 'AppProvider');

export function AppProvider(props: {
  client: SwitchboardClient;
  info: AppInfo;
  initialWorkspaces: Workspace[];
  children: ReactNode;
}) {
  const { client, info } = props;
  const [workspaces, setWorkspaces] = useState(props.initialWorkspaces);
  const [selectedId, setSelectedId] = useState<string | null>(() => readStored(SELECTED_KEY));
  const [stream, setStream] = useState<StreamStatus>('open');
  const [recentMessages, setRecentMessages] = useState<Record<string, Events['message.received'][]>>({});

  const reloadWorkspaces = useCallback(async () => {
    const list = await client.invoke('workspace.list');
    setWorkspaces(list);
    return list;
  }, [client]);

  const selectWorkspace = useCallback((id: string) => {
    setSelectedId(id);
    writeStored(SELECTED_KEY, id);
  }, []);

  useEffect(
    () => client.on('workspace.changed', () => void reloadWorkspaces().catch(() => undefined)),
    [client, reloadWorkspaces],
  );
  useEffect(() => client.onStreamStatus(setStream), [client]);
  useEffect(
    () =>
      client.on('message.received', (message) =>
        setRecentMessages((all) => ({
          ...all,
          [message.workspaceId]: [message, ...(all[message.workspaceId] ?? [])].slice(0, RECENT_MESSAGES),
        })),
      ),
    [client],
  );

  const workspace = workspaces.find((w) => w.id === selectedId) ?? workspaces[0];
  const value = useMemo(
    () => ({
      client,
      info,
      workspaces,
      workspace,
      selectWorkspace,
      reloadWorkspaces,
      stream,
      recentMessages,
    }),
    [client, info, workspaces, workspace, selectWorkspace, reloadWorkspaces, stream, recentMessages],
  );
  return <AppContext.Provider value={value}>{props.children}</AppContext.Provider>;
}

export function useApp(): AppContextValue {
  return useAppContext();
}

/** The selected workspace (screens under the shell always have one). */
export function useWorkspace(): Workspace {
  const { workspace } = useApp();
  if (workspace === undefined) throw new Error('no workspace selected');
  return workspace;
}

/** Subscribes to a contract event for the component's lifetime; the latest `fn` is always called. */
export function useEvent<E extends EventName>(event: E, fn: (payload: Events[E]) => void): void {
  const { client } = useApp();
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  });
  useEffect(() => client.on(event, (payload) => latest.current(payload)), [client, event]);
}

/** Runs `fn` when the event stream comes back after a drop: events may have been missed meanwhile. */
export function useOnReconnect(fn: () => void): void {
  const { stream } = useApp();
  const previous = useRef(stream);
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  });
  useEffect(() => {
    if (previous.current === 'reconnecting' && stream === 'open') latest.current();
    previous.current = stream;
  }, [stream]);
}

/** The current time, updated every `intervalMs` (for countdowns). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
