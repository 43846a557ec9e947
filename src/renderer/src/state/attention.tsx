import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { aiAlertTitle, type ConversationCounts } from '../../../shared/contract';
import { escalationNotification, titleWithCount } from '../../../shared/escalation-words';
import { playChime, shouldNotifyHere, totalWaiting, type Permission } from '../notify/attention';
import { navigate } from '../router';
import { useApp, useEvent, useOnReconnect } from './app-context';
import { providedContext, readStored, writeStored } from './provided';

const SOUND_KEY = 'switchboard.notificationSound';
/** A safety net under the events: counts are read again this often. */
const REFRESH_MS = 30_000;

interface AttentionValue {
  /** Unread and waiting chats per workspace. */
  counts: Readonly<Record<string, ConversationCounts>>;
  /** Chats waiting for a person over every workspace (the tab title). */
  waiting: number;
  /** Web Notifications in this browser; 'unsupported' where there are none. */
  permission: Permission;
  requestPermission: () => Promise<void>;
  /** The chime on a new chat needing a person, on this computer (off by default). */
  sound: boolean;
  setSound: (on: boolean) => void;
  testSound: () => void;
}

const [AttentionContext, useAttentionContext] = providedContext<AttentionValue>(
  'useAttention',
  'AttentionProvider',
);

const browserPermission = (): Permission =>
  typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;

const chime = () => {
  try {
    playChime(() => new AudioContext());
  } catch {
    // no audio device: the notification and the title still tell the owner
  }
};

/** A browser notification that calls `open` when clicked; where the browser refuses, nothing is shown. */
function notify(title: string, options: NotificationOptions, open: () => void): void {
  try {
    const shown = new Notification(title, options);
    shown.onclick = () => {
      window.focus();
      open();
      shown.close();
    };
  } catch {
    // some browsers only allow notifications from a service worker: the title and screens still tell
  }
}

/** Each workspace's chat counts, read again on events (once per burst), now and then, and on reconnect. */
function useConversationCounts() {
  const { client, workspaces } = useApp();
  const [counts, setCounts] = useState<Record<string, ConversationCounts>>({});
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(async () => {
    const next: Record<string, ConversationCounts> = {};
    for (const workspace of workspaces) {
      try {
        next[workspace.id] = await client.invoke('conversation.counts', { workspaceId: workspace.id });
      } catch {
        // kept from the last read; the next event or refresh tries again
      }
    }
    setCounts((current) => ({ ...current, ...next }));
  }, [client, workspaces]);

  // Events come in bursts (a message, its reply, a hand-off): one read for each burst.
  const reload = useCallback(() => {
    if (pending.current !== undefined) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      void load();
    }, 250);
  }, [load]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      clearInterval(timer);
      if (pending.current !== undefined) clearTimeout(pending.current);
      pending.current = undefined;
    };
  }, [load]);
  useOnReconnect(() => void load());
  useEvent('conversation.changed', reload);
  return { counts, reload };
}

/** A chat handed over, an AI alert, a click on the desktop app's notification: chime, notify, open. */
function useAttentionEvents(sound: boolean, reload: () => void) {
  const { info } = useApp();
  useEvent('conversation.escalated', (event) => {
    reload();
    if (sound) chime();
    const here = shouldNotifyHere({
      shell: info.shell,
      permission: browserPermission(),
      event,
      hash: window.location.hash.replace(/^#/, ''),
      looking: document.visibilityState === 'visible' && document.hasFocus(),
    });
    if (!here) return;
    const { title, body, tag } = escalationNotification(event, Date.now());
    notify(title, { body, tag }, () =>
      navigate({ name: 'conversations', chatId: event.chatId, workspaceId: event.workspaceId }),
    );
  });

  // The AI budget ran out or a provider refused its key: told like a chat needing a person.
  useEvent('ai.alerted', (event) => {
    if (sound) chime();
    if (info.shell !== 'browser' || browserPermission() !== 'granted') return;
    notify(aiAlertTitle(event.alert), { body: event.message, tag: `ai-${event.workspaceId}` }, () =>
      navigate({ name: 'settings' }),
    );
  });

  // The desktop app's notification was clicked: open that chat.
  useEvent('notification.clicked', ({ workspaceId, chatId }) =>
    navigate({ name: 'conversations', chatId, workspaceId }),
  );
}

/**
 * Telling the owner about chats that need a person while the app is open, in either shell: the tab
 * title "(3) Switchboard", the counts on the menu and chat rows, a Web Notification in a browser that
 * allows them (the desktop app's main process shows its own), and an optional chime.
 */
export function AttentionProvider({ children }: { children: ReactNode }) {
  const [permission, setPermission] = useState<Permission>(browserPermission);
  const [sound, setSoundState] = useState(() => readStored(SOUND_KEY) === 'on');
  const { counts, reload } = useConversationCounts();
  useAttentionEvents(sound, reload);

  const waiting = totalWaiting(counts);
  useEffect(() => {
    document.title = titleWithCount(waiting);
  }, [waiting]);

  const requestPermission = useCallback(async () => {
    if (typeof Notification === 'undefined') return;
    setPermission(await Notification.requestPermission());
  }, []);
  const setSound = useCallback((on: boolean) => {
    setSoundState(on);
    writeStored(SOUND_KEY, on ? 'on' : 'off');
  }, []);

  const value = useMemo(
    () => ({ counts, waiting, permission, requestPermission, sound, setSound, testSound: chime }),
    [counts, waiting, permission, requestPermission, sound, setSound],
  );
  return <AttentionContext.Provider value={value}>{children}</AttentionContext.Provider>;
}

export function useAttention(): AttentionValue {
  return useAttentionContext();
}
