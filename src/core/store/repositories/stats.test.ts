import { describe, expect, it } from 'vitest';
import type { E164, WorkspaceId } from '../../../shared/types';
import { storePerTest } from './testing/store-per-test';
import { createConversationRepository } from './conversations';
import type { MessageOutcome } from './pipeline-messages';
import { createStatsRepository } from './stats';

const A = 'ws-a' as WorkspaceId;
const B = 'ws-b' as WorkspaceId;
const NUMBER = '+2348090000001' as E164;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 4, 18, 9); // any fixed instant

let seq = 0;

const temp = storePerTest(A, B);

interface Row {
  at: number;
  direction?: 'in' | 'out';
  author?: 'contact' | 'bot' | 'owner';
  status?: string;
  outcome?: MessageOutcome | null;
  chat?: string;
}

async function messages(workspaceId: WorkspaceId, rows: Row[]): Promise<void> {
  await temp.store.db
    .insertInto('messages')
    .values(
      rows.map((r) => {
        const direction = r.direction ?? (r.author === undefined || r.author === 'contact' ? 'in' : 'out');
        return {
          id: `m${++seq}`,
          workspace_id: workspaceId,
          business_number: NUMBER,
          provider_message_id: `p${seq}`,
          chat_id: r.chat ?? 'chat-1',
          contact_id: null,
          direction,
          author: r.author ?? 'contact',
          text: 'x',
          status: r.status ?? (direction === 'in' ? 'processed' : 'sent'),
          provider_ts: null,
          created_at: r.at,
          updated_at: r.at,
          outcome: r.outcome ?? null,
        };
      }),
    )
    .execute();
}

const handoff = (workspaceId: WorkspaceId, chatId: string, since: number) =>
  createConversationRepository(temp.store.db).saveMany(
    workspaceId,
    [
      {
        businessNumber: NUMBER,
        chatId,
        contactId: null,
        firstSeenAt: since,
        lastInboundAt: since,
        greetedAt: null,
        handoff: { since, reason: 'handoff-keyword:agent' },
        botPausedUntil: null,
        lastAwayPeriod: null,
        floodWindowStart: null,
        floodCount: 0,
        lastAnswerFaqId: null,
        waiting: { since, reason: 'handoff-keyword:agent' },
        releasedAt: null,
        clarification: null,
      },
    ],
    since,
  );

describe('stats repository', () => {
  it("counts one period's messages by direction, author and outcome, and nothing outside it", async () => {
    await messages(A, [
      { at: T0 - 1 }, // the previous period
      { at: T0, outcome: 'bot' },
      { at: T0 + 1, outcome: 'bot' },
      { at: T0 + 2, outcome: 'handoff' },
      { at: T0 + 3, outcome: 'unanswered' },
      { at: T0 + 4 }, // needed no answer (a follow-up, a greeting...)
      { at: T0 + 5, status: 'received' }, // stored, not yet decided: still a message in
      { at: T0 + 6, status: 'ignored' }, // a group or status update: not a customer message
      { at: T0 + 7, author: 'bot', status: 'read' },
      { at: T0 + 8, author: 'bot', status: 'sending' },
      { at: T0 + 9, author: 'bot', status: 'failed' }, // never reached the customer
      { at: T0 + 10, author: 'owner', status: 'sent' },
      { at: T0 + DAY, outcome: 'bot' }, // the next period (end is exclusive)
    ]);
    await messages(B, [
      { at: T0, outcome: 'bot' },
      { at: T0 + 1, author: 'owner' },
    ]);
    const stats = createStatsRepository(temp.store.db);
    expect(await stats.activity(A, T0, T0 + DAY)).toEqual({
      messagesIn: 6,
      botMessagesOut: 2,
      ownerMessagesOut: 1,
      botAnswered: 2,
      handoffs: 1,
      unanswered: 1,
    });
    expect(await stats.activity(B, T0, T0 + DAY)).toEqual({
      messagesIn: 1,
      botMessagesOut: 0,
      ownerMessagesOut: 1,
      botAnswered: 1,
      handoffs: 0,
      unanswered: 0,
    });
    const none = {
      messagesIn: 0,
      botMessagesOut: 0,
      ownerMessagesOut: 0,
      botAnswered: 0,
      handoffs: 0,
      unanswered: 0,
    };
    expect(await stats.activity(A, T0 + 2 * DAY, T0 + 3 * DAY)).toEqual(none);
    expect(await stats.activity(A, T0, T0)).toEqual(none);
  });

  it('counts chats waiting for a person until the owner answers or releases them', async () => {
    const stats = createStatsRepository(temp.store.db);
    const conversations = createConversationRepository(temp.store.db);
    expect(await stats.waitingHandoffs(A)).toEqual({ chats: 0, oldestSince: null });

    await handoff(A, 'answered', T0);
    await conversations.answeredByOwner(A, 'answered', T0 + 5);
    await handoff(A, 'waiting', T0 + 10);
    await handoff(A, 'bot-only', T0 + 30);
    await messages(A, [{ at: T0 + 31, author: 'bot', chat: 'bot-only' }]);
    await handoff(A, 'released', T0 + 40);
    await conversations.release(A, 'released', T0 + 41);
    // A reply that could not be sent: the chat waits from then (the earliest wait is kept).
    await handoff(A, 'send-failed', T0 + 60);
    expect(await conversations.markWaiting(A, NUMBER, 'send-failed', 'send-failed', T0 + 70)).toBe(false);
    // Workspace B: the same chat waits there, and B's owner answering it does not touch A's.
    await handoff(B, 'waiting', T0 - 100);
    await handoff(B, 'answered-in-b', T0 - 50);
    await conversations.answeredByOwner(B, 'answered-in-b', T0 + 50);
    await conversations.answeredByOwner(B, 'bot-only', T0 + 50);

    expect(await stats.waitingHandoffs(A)).toEqual({ chats: 3, oldestSince: T0 + 10 });
    expect(await stats.waitingHandoffs(B)).toEqual({ chats: 1, oldestSince: T0 - 100 });
  });
});
