import type { CoreHandlers } from '../../shared/contract';
import { createChatReadRepository } from '../store/repositories/chat-reads';
import { createConversationRepository } from '../store/repositories/conversations';
import type { HandlerContext } from './context';

type UnreadHandlers = Pick<CoreHandlers, 'conversation.markRead' | 'conversation.counts'>;

/** What the owner has seen: read markers per chat, and the counts the menu, tab title and tray show. */
export function createUnreadHandlers(ctx: HandlerContext): UnreadHandlers {
  const { app, hub, clock } = ctx;
  const db = app.store.db;

  return {
    async 'conversation.markRead'({ workspaceId, chatId, upTo }) {
      await app.workspaces.get(workspaceId);
      const now = clock.now();
      const reads = createChatReadRepository(db);
      // Nothing can have been seen later than now.
      const moved = await reads.markRead(workspaceId, chatId, Math.min(upTo ?? now, now), now);
      // Only a marker that moved is news: the open thread reloads on this event and marks again.
      if (moved) hub.emit('conversation.changed', { workspaceId, chatId });
      return { unread: (await reads.unreadOf(workspaceId, [chatId])).get(chatId) ?? 0 };
    },

    async 'conversation.counts'({ workspaceId }) {
      await app.workspaces.get(workspaceId);
      const unread = await createChatReadRepository(db).unreadOf(workspaceId);
      const waiting = new Map<string, number>();
      for (const chat of await createConversationRepository(db).listWaiting(workspaceId, 1000)) {
        // A chat on two of the shop's numbers waits once, from its earliest wait (oldest first).
        if (chat.waiting !== null && !waiting.has(chat.chatId)) waiting.set(chat.chatId, chat.waiting.since);
      }
      let total = 0;
      for (const count of unread.values()) total += count;
      const since = [...waiting.values()];
      return {
        unread: total,
        unreadChats: unread.size,
        waiting: waiting.size,
        oldestWaitingSince: since.length === 0 ? null : Math.min(...since),
      };
    },
  };
}
