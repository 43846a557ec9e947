import { useEffect, useState } from 'react';
import { chatHash, workspaceOfHash } from '../../shared/chat-link';

/** The screens, addressed by the URL fragment (works the same from file:// in Electron and over HTTP). */
export type Route =
  | { name: 'home' }
  /**
   * With a chat: that chat open (a notification's click), in `workspaceId` when given. `needsYou`
   * opens on the "Needs you" list (the home screen's waiting chats). `messageId`: the chat opens at
   * that message, outlined (a search result picked on another screen).
   */
  | { name: 'conversations'; chatId?: string; workspaceId?: string; needsYou?: true; messageId?: string }
  | { name: 'unanswered' }
  | { name: 'faqs' }
  | { name: 'logs' }
  | { name: 'settings' }
  | { name: 'pair'; phoneNumberId: string }
  | { name: 'new-workspace' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  const [first, second] = path.split('/');
  switch (first) {
    case 'conversations': {
      if (second === undefined || second === '') {
        return /(?:^|[?&])show=needs-you(?:&|$)/.test(hash.split('?')[1] ?? '')
          ? { name: first, needsYou: true }
          : { name: first };
      }
      const workspaceId = workspaceOfHash(hash);
      const messageId = new URLSearchParams(hash.split('?')[1] ?? '').get('m');
      return {
        name: first,
        chatId: decodeURIComponent(second),
        ...(workspaceId !== null && { workspaceId }),
        ...(messageId !== null && messageId !== '' && { messageId }),
      };
    }
    case 'unanswered':
    case 'faqs':
    case 'logs':
    case 'settings':
      return { name: first };
    case 'pair':
      return second !== undefined && second !== ''
        ? { name: 'pair', phoneNumberId: decodeURIComponent(second) }
        : { name: 'home' };
    case 'new':
      return { name: 'new-workspace' };
    default:
      return { name: 'home' };
  }
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'pair':
      return `#/pair/${encodeURIComponent(route.phoneNumberId)}`;
    case 'new-workspace':
      return '#/new';
    case 'conversations':
      if (route.chatId === undefined)
        return route.needsYou === true ? '#/conversations?show=needs-you' : '#/conversations';
      {
        const chat =
          route.workspaceId === undefined
            ? `#/conversations/${encodeURIComponent(route.chatId)}`
            : `#${chatHash(route.workspaceId, route.chatId)}`;
        if (route.messageId === undefined) return chat;
        return `${chat}${chat.includes('?') ? '&' : '?'}m=${encodeURIComponent(route.messageId)}`;
      }
    default:
      return `#/${route.name}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
