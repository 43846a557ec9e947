import { describe, expect, it } from 'vitest';
import { chatHash } from '../../shared/chat-link';
import { hrefOf, parseRoute } from './router';

describe('router', () => {
  it('addresses a chat, with its workspace, both ways', () => {
    const chatId = '2348031110001@s.whatsapp.net';
    const route = { name: 'conversations' as const, chatId, workspaceId: 'ws 1' };
    expect(hrefOf(route)).toBe(`#${chatHash('ws 1', chatId)}`);
    expect(parseRoute(hrefOf(route))).toEqual(route);
    expect(parseRoute(`#/conversations/${encodeURIComponent(chatId)}`)).toEqual({
      name: 'conversations',
      chatId,
    });
    expect(parseRoute('#/conversations')).toEqual({ name: 'conversations' });
    expect(hrefOf({ name: 'conversations' })).toBe('#/conversations');
  });

  it('opens the Needs you list by address', () => {
    expect(hrefOf({ name: 'conversations', needsYou: true })).toBe('#/conversations?show=needs-you');
    expect(parseRoute('#/conversations?show=needs-you')).toEqual({ name: 'conversations', needsYou: true });
  });

  it('opens a chat at a message (a search result picked in the Activity log)', () => {
    const chatId = '2348031110001@s.whatsapp.net';
    const route = { name: 'conversations' as const, chatId, workspaceId: 'ws1', messageId: '3EB0 A&B' };
    expect(parseRoute(hrefOf(route))).toEqual(route);
    const noWorkspace = { name: 'conversations' as const, chatId, messageId: 'ABC' };
    expect(parseRoute(hrefOf(noWorkspace))).toEqual(noWorkspace);
  });
});
