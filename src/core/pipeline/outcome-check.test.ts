import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createConversationRepository } from '../store/repositories/conversations';
import { checkOutcomes } from './outcome-check';
import { createKit, NUMBER_A, WS_A, WS_B, type Kit } from './testing/pipeline-kit';

let kit: Kit;
afterEach(async () => kit?.cleanup());

const chat = (n: number) => `23480312345${String(n).padStart(2, '0')}@s.whatsapp.net`;
const ownerReply = (k: Kit, chatId: string, id: string) =>
  k.emit({
    type: 'owner-reply',
    workspaceId: WS_A,
    reply: { businessNumber: NUMBER_A, chatId, providerMessageId: id, text: 'I am here', timestamp: 1 },
  });

describe('the outcome check', () => {
  it('a day of mixed chats leaves no customer message without an outcome', async () => {
    kit = await createKit({ settings: { pacing: { enabled: false } } });
    kit.receive('hi', { chatId: chat(1) });
    kit.receive('What time do you open?', { chatId: chat(1) });
    kit.receive('thanks!!', { chatId: chat(1) });
    kit.receive('Good afternoon, do you sell fridges?', { chatId: chat(2) });
    kit.receive('hello??', { chatId: chat(2) });
    kit.receive('please let me talk to someone', { chatId: chat(3) });
    kit.receive(null, { chatId: chat(4), kind: 'media' });
    kit.receive('How much is delivery?', { chatId: 'group@g.us', chatKind: 'group' });
    kit.receive('2 tins milk\n1 bag rice\n3 Indomie', { chatId: chat(5) });
    await kit.drive();
    await kit.timers.advance(60_000);
    ownerReply(kit, chat(3), 'OWNER-1');
    await kit.drive();
    kit.receive('ok thank you', { chatId: chat(3) });
    kit.receive('and the price of the blue one?', { chatId: chat(3) });
    await kit.drive();
    await kit.pipeline.release(WS_A, chat(5));
    await kit.drive();

    const check = await checkOutcomes(kit.store.db, WS_A, kit.timers.now());
    expect(check.missing).toEqual([]);
    expect(check.checked).toBe(11);
    // The waiting chats are the ones a person still owes an answer, oldest first.
    const waiting = await createConversationRepository(kit.store.db).listWaiting(WS_A);
    expect(waiting.map((w) => [w.chatId, w.waiting?.reason])).toEqual([
      [chat(2), 'handoff-bot:no-confident-match'],
      [chat(4), 'handoff-media'],
      [chat(3), 'handoff-active'],
    ]);
    expect((await checkOutcomes(kit.store.db, WS_B, kit.timers.now())).checked).toBe(0);
  });

  it('finds a message nobody decided, and one whose chat stopped waiting with no answer', async () => {
    kit = await createKit({ settings: { pacing: { enabled: false } } });
    kit.receive('Do you sell fridges?', { chatId: chat(1) });
    await kit.drive();
    expect((await checkOutcomes(kit.store.db, WS_A, kit.timers.now())).missing).toEqual([]);

    // The chat's wait cleared behind the owner's back (a bug): the question is now unaccounted for.
    await sql`update conversations set waiting_since = null`.execute(kit.store.db);
    // And a message stored but never decided, older than the grace period.
    await sql`insert into messages (id, workspace_id, business_number, provider_message_id, chat_id, direction,
        author, text, status, created_at, updated_at)
      values ('stuck', ${WS_A}, ${NUMBER_A}, 'P-stuck', ${chat(2)}, 'in', 'contact', 'hello', 'received',
        ${kit.timers.now() - 120_000}, 0)`.execute(kit.store.db);
    const check = await checkOutcomes(kit.store.db, WS_A, kit.timers.now());
    expect(check.missing.map((m) => [m.chatId, m.status, m.disposition])).toEqual([
      [chat(2), 'received', null],
      [chat(1), 'processed', 'person'],
    ]);
  });
});
