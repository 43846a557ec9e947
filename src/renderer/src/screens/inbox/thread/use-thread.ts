import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatWindow, ConversationSummary, ConversationThread } from '../../../../../shared/contract';
import { errorMessage } from '../../../client/client';
import { useApp } from '../../../state/app-context';
import { attempt } from '../../../state/attempt';
import { useChatRefresh } from '../use-chat-refresh';

type SetError = (error: string | null) => void;

/** Keep older pages the owner already loaded above the newest ones. */
function mergeLatest(current: ConversationThread | null, latest: ConversationThread): ConversationThread {
  if (current === null || latest.messages.length === 0) return latest;
  const first = latest.messages[0]!.at;
  const older = current.messages.filter((m) => m.at < first);
  return older.length === 0
    ? latest
    : { ...latest, messages: [...older, ...latest.messages], nextBefore: current.nextBefore };
}

/**
 * The open chat's messages, newest page kept fresh (live events, a timer, a reconnect), older pages
 * loaded on request; on a Cloud number also whether the 24-hour window lets the owner write freely.
 */
export function useThread(workspaceId: string, chat: ConversationSummary, setError: SetError) {
  const { client } = useApp();
  const [thread, setThread] = useState<ConversationThread | null>(null);
  const [serviceWindow, setServiceWindow] = useState<ChatWindow | null>(null);
  const [olderLoading, setOlderLoading] = useState(false);
  const scroller = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(true);
  const chatId = chat.chatId;

  const load = useCallback(async () => {
    try {
      const latest = await client.invoke('conversation.thread', { workspaceId, chatId });
      setThread((current) => mergeLatest(current, latest));
    } catch (failure) {
      setError(errorMessage(failure));
    }
    setServiceWindow(await client.invoke('cloud.window', { workspaceId, chatId }).catch(() => null));
  }, [client, workspaceId, chatId, setError]);

  useChatRefresh(load, (event) => event.workspaceId === workspaceId && event.chatId === chatId);

  const loadOlder = async () => {
    if (thread?.nextBefore == null) return;
    setOlderLoading(true);
    try {
      const page = await client.invoke('conversation.thread', {
        workspaceId,
        chatId,
        before: thread.nextBefore,
      });
      stickToBottom.current = false;
      setThread({ ...thread, messages: [...page.messages, ...thread.messages], nextBefore: page.nextBefore });
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setOlderLoading(false);
    }
  };

  const newestAt = thread?.messages.at(-1)?.at ?? null;
  useMarkRead(workspaceId, chatId, newestAt, chat.unread);
  // New messages scroll into view unless the owner scrolled up to read older ones.
  useEffect(() => {
    const box = scroller.current;
    if (box !== null && stickToBottom.current) box.scrollTop = box.scrollHeight;
  }, [thread]);

  return { thread, serviceWindow, olderLoading, load, loadOlder, scroller, stickToBottom, newestAt };
}

export type ThreadView = ReturnType<typeof useThread>;

/** Open and on screen: what the customer wrote is read, including messages arriving while it is open. */
function useMarkRead(workspaceId: string, chatId: string, newestAt: number | null, unread: number) {
  const { client } = useApp();
  useEffect(() => {
    if (newestAt === null || unread === 0) return;
    const mark = () => {
      if (document.visibilityState !== 'visible') return;
      void client
        .invoke('conversation.markRead', { workspaceId, chatId, upTo: newestAt })
        .catch(() => undefined);
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [client, workspaceId, chatId, newestAt, unread]);
}

/** A search result: older pages load until its message shows, then it is scrolled into view. */
export function useFocusMessage(view: ThreadView, focusMessageId: string | null) {
  const focusPages = useRef(0);
  const { thread, olderLoading, scroller, stickToBottom, loadOlder } = view;
  useEffect(() => {
    if (focusMessageId === null || thread === null) return;
    const found = scroller.current?.querySelector<HTMLElement>(
      `[data-message-id="${CSS.escape(focusMessageId)}"]`,
    );
    if (found != null) {
      stickToBottom.current = false;
      found.scrollIntoView({ block: 'center' });
    } else if (thread.nextBefore != null && !olderLoading && focusPages.current < 50) {
      focusPages.current += 1;
      void loadOlder();
    }
  }, [thread, focusMessageId]);
}

export type Busy = 'send' | 'release' | 'pause' | 'takeOver';

/** One action at a time on the open chat; a failure shows in words above the composer. */
export function useThreadActions(setError: SetError) {
  const [busy, setBusy] = useState<Busy | null>(null);
  const act = async (kind: Busy, action: () => Promise<unknown>) => {
    setBusy(kind);
    const done = await attempt(action, setError);
    setBusy(null);
    return done;
  };
  return { busy, setBusy, act };
}

export type ThreadActions = ReturnType<typeof useThreadActions>;
