import { useEffect } from 'react';
import { useEvent, useOnReconnect } from '../../state/app-context';
import { REFRESH_MS } from './chat-format';

/**
 * Reads a chat list or a thread again: at once, on a timer, after a reconnect and when the core says a
 * chat that `concerns` this view changed.
 */
export function useChatRefresh(
  load: () => Promise<void>,
  concerns: (event: { workspaceId: string; chatId: string }) => boolean,
) {
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  useOnReconnect(() => void load());
  useEvent('conversation.changed', (event) => {
    if (concerns(event)) void load();
  });
}
