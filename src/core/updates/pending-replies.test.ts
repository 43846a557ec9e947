import { afterEach, describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../shared/types';
import { createOutboxRepository } from '../store/repositories/outbox';
import { insertTestWorkspace } from '../testing/fixtures';
import { openTempStore } from '../testing/temp-files';
import { pendingReplies } from './pending-replies';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('pendingReplies', () => {
  it('counts queued and sending replies of every workspace, not sent ones', async () => {
    const { store, cleanup } = await openTempStore();
    cleanups.push(cleanup);
    const outbox = createOutboxRepository(store.db);
    expect(await pendingReplies(store)).toBe(0);
    for (const ws of ['ws-a', 'ws-b'] as WorkspaceId[]) {
      await insertTestWorkspace(store.db, ws);
      await outbox.insertMany(
        ws,
        ['1', '2'].map((n) => ({
          id: `3EB0${ws}${n}`,
          businessNumber: '+2348090000001' as never,
          chatId: 'c',
          inboundMessageId: null,
          kind: 'faq' as const,
          text: 'Yes, 12-6pm',
        })),
        1,
      );
    }
    expect(await pendingReplies(store)).toBe(4);
    await outbox.markSending('ws-a' as WorkspaceId, '3EB0ws-a1', 2);
    expect(await pendingReplies(store)).toBe(4);
    await outbox.markFailed('ws-a' as WorkspaceId, '3EB0ws-a1', 'gave up', 3);
    expect(await pendingReplies(store)).toBe(3);
  });
});
