import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { workspaceSettingsSchema, type WorkspaceSettingsInput } from '../../shared/settings';
import { SwitchboardError } from '../errors';
import { createFaqRepository } from '../store/repositories/faqs';
import { createConversationRepository } from '../store/repositories/conversations';
import { createOutboxRepository } from '../store/repositories/outbox';
import { typingDelayMs } from './pacing';
import { createKit, NUMBER_A, WS_A, type Kit } from './testing/pipeline-kit';

const CHAT = '2348031234567@s.whatsapp.net';
const OTHER = '2348039999999@s.whatsapp.net';
let kit: Kit;
afterEach(() => kit.cleanup());

/** Pacing on, with one knob turned per test; no greeting unless asked, so each message gets one reply. */
function paced(
  pacing: WorkspaceSettingsInput['pacing'] = {},
  rest: WorkspaceSettingsInput = {},
): WorkspaceSettingsInput {
  return { greeting: { enabled: false }, pacing: { enabled: true, ...pacing }, ...rest };
}
const NO_TYPING = { minTypingMs: 0, typingMsPerChar: 0 };
const provider = () => kit.providers.get(NUMBER_A)!;
const sends = () => provider().calls.filter((c) => c.op === 'send');
const rows = (chat = CHAT) => createOutboxRepository(kit.store.db).listByChat(WS_A, chat);
const allSent = async (n: number) =>
  (await kit.store.db.selectFrom('outbox').select('status').where('status', '=', 'sent').execute()).length >=
  n;

describe('sender', () => {
  it('marks the message read, shows typing, waits, then sends, each chat in order', async () => {
    kit = await createKit({ settings: paced() });
    const t0 = kit.timers.now();
    const m1 = kit.receive('How much is delivery?');
    const m2 = kit.receive('What time do you open?');
    await kit.drive({ until: () => allSent(2) });
    const [first, second] = await rows();
    expect([first!.kind, second!.kind]).toEqual(['faq', 'faq']);
    expect(first!.inboundMessageId).not.toBe(second!.inboundMessageId);
    const a = typingDelayMs(first!.text.length, workspaceSettingsSchema.parse({}).pacing, () => 0.5);
    const b = typingDelayMs(second!.text.length, workspaceSettingsSchema.parse({}).pacing, () => 0.5);
    expect(provider().calls).toEqual([
      { at: t0, op: 'read', chatId: CHAT, detail: m1.providerMessageId },
      { at: t0, op: 'typing', chatId: CHAT, detail: 'composing' },
      { at: t0 + a, op: 'send', chatId: CHAT, detail: first!.id },
      { at: t0 + a, op: 'read', chatId: CHAT, detail: m2.providerMessageId },
      { at: t0 + a, op: 'typing', chatId: CHAT, detail: 'composing' },
      { at: t0 + a + b, op: 'send', chatId: CHAT, detail: second!.id },
    ]);
  });

  it('types longer for longer replies, between the configured bounds', async () => {
    kit = await createKit({ settings: paced() });
    const faqs = createFaqRepository(kit.store.db, () => 'p');
    await faqs.create(
      WS_A,
      'faq-medium',
      { question: 'Medium', answer: 'm'.repeat(150), phrasings: [], enabled: true },
      1,
    );
    kit.pipeline.invalidate(WS_A);
    kit.receive('Price?'); // 'Ok.': 90 ms of typing, raised to the 1.5 s minimum
    kit.receive('Medium', { chatId: OTHER }); // 150 chars x 30 ms = 4.5 s
    kit.receive('Tell me everything', { chatId: 'third@s.whatsapp.net' }); // 400 chars: capped at 8 s
    await kit.drive({ until: () => allSent(3) });
    const calls = provider().calls;
    const gaps = calls
      .map((c, i) =>
        c.op === 'send' ? c.at - calls.slice(0, i).findLast((x) => x.op === 'typing')!.at : null,
      )
      .filter((g) => g !== null);
    expect(gaps).toEqual([1500, 4500, 8000]);
  });

  it('jitters the typing time with the injected random source', async () => {
    kit = await createKit({ settings: paced(), pipeline: { random: () => 1 } });
    kit.receive('Price?');
    await kit.drive({ until: () => allSent(1) });
    const [typing, send] = provider().calls.filter((c) => c.op !== 'read');
    expect(send!.at - typing!.at).toBe(1950); // 1.5 s x 1.3
  });

  it('limits each number to its rate with a token bucket', async () => {
    kit = await createKit({ settings: paced({ ...NO_TYPING, perMinute: 6, burst: 2 }) });
    const t0 = kit.timers.now();
    for (const chat of ['c1', 'c2', 'c3', 'c4']) kit.receive('Price?', { chatId: `${chat}@s.whatsapp.net` });
    await kit.drive({ until: () => allSent(4) });
    expect(sends().map((s) => s.at - t0)).toEqual([0, 0, 10_000, 20_000]);
    expect(kit.sink.ofType('outbox.rate-limited').length).toBeGreaterThan(0);
  });

  it('retries a transient failure with growing backoff, with the same message id every time', async () => {
    kit = await createKit({ settings: paced(NO_TYPING) });
    provider().failNext(new Error('timed out'), new Error('timed out'));
    const t0 = kit.timers.now();
    kit.receive('Price?');
    await kit.drive({ until: () => allSent(1) });
    const [row] = await rows();
    expect(sends().map((s) => [s.at - t0, s.detail])).toEqual([
      [0, row!.id],
      [5000, row!.id],
      [15_000, row!.id],
    ]);
    expect(row).toMatchObject({ status: 'sent', attempts: 3, providerMessageId: row!.id });
    const failed = kit.sink.ofType('message.failed');
    expect(failed.map((f) => [f.level, f.meta?.willRetry, f.meta?.retryInMs])).toEqual([
      ['warn', true, 5000],
      ['warn', true, 10_000],
    ]);
    expect(kit.sink.ofType('message.sent')[0]!.meta).toMatchObject({ attempt: 3, latencyMs: 15_000 });
  });

  it('gives up after maxAttempts, marks the row and the message failed, and alerts', async () => {
    kit = await createKit({ settings: paced({ ...NO_TYPING, maxAttempts: 2 }) });
    provider().failNext(new Error('boom'), new Error('boom'));
    kit.receive('Price?');
    await kit.drive({ until: async () => (await rows())[0]?.status === 'failed' && kit.alerts.length === 2 });
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 2, lastError: 'boom' });
    const out = await kit.store.db
      .selectFrom('messages')
      .select('status')
      .where('id', '=', row!.id)
      .executeTakeFirst();
    expect(out?.status).toBe('failed');
    expect(kit.alerts).toEqual([
      expect.objectContaining({ type: 'send-failed', outboxId: row!.id, error: 'boom' }),
      // The customer got no answer: the chat now waits for a person, who is told.
      expect.objectContaining({ type: 'handoff', reason: 'send-failed', chatId: CHAT }),
    ]);
    expect(kit.sink.ofType('message.failed').at(-1)).toMatchObject({
      level: 'error',
      meta: expect.objectContaining({ willRetry: false }),
    });
  });

  it('does not retry WhatsApp refusing a new contact (463)', async () => {
    kit = await createKit({ settings: paced(NO_TYPING) });
    provider().failNext(
      Object.assign(new Error('reached the limit of new chats'), { output: { statusCode: 463 } }),
    );
    kit.receive('Price?');
    await kit.drive({ until: async () => (await rows())[0]?.status === 'failed' });
    expect((await rows())[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(sends()).toHaveLength(1);
  });

  it('keeps a reply queued while the number is not connected, and sends it once it is back', async () => {
    kit = await createKit({ settings: paced(NO_TYPING) });
    provider().failNext(
      new SwitchboardError('INTERNAL', 'Cannot send: not connected', { reason: 'NOT_CONNECTED' }),
    );
    kit.receive('Price?');
    await kit.drive({ until: async () => kit.sink.ofType('message.failed').length > 0 });
    expect((await rows())[0]).toMatchObject({ status: 'queued', attempts: 0 });
    await kit.drive({ maxMs: 10_000 });
    expect((await rows())[0]!.status).toBe('queued');
    kit.emit({
      type: 'state',
      workspaceId: WS_A,
      number: NUMBER_A,
      state: { status: 'connected', attempt: 0, nextAttemptAt: null, lastClose: null, message: null },
    });
    await kit.drive({ until: () => allSent(1) });
    expect((await rows())[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('a bot reply still queued past the stale limit is not sent: cancelled, the chat goes to a person (issue 13 #11)', async () => {
    // The PC was off all night with the answer still in the outbox.
    kit = await createKit({ settings: paced(NO_TYPING), pipeline: { sending: false } });
    kit.receive('What time do you open?');
    kit.receive('How much is delivery?');
    await kit.drive();
    expect((await rows()).map((r) => r.status)).toEqual(['queued', 'queued']);
    await kit.timers.advance(13 * 3_600_000);

    const second = await kit.restart({ sending: true });
    await kit.drive({ until: async () => (await rows()).every((r) => r.status === 'cancelled') });
    expect(second.provider.calls.filter((c) => c.op === 'send')).toEqual([]);
    const state = await createConversationRepository(kit.store.db).get(WS_A, NUMBER_A, CHAT);
    expect(state?.waiting).toEqual({ since: kit.timers.now(), reason: 'reply-stale' });
    expect(state?.handoff?.reason).toBe('reply-stale');
    expect(kit.sink.ofType('outbox.stale')).toHaveLength(1);
    expect(kit.sink.ofType('handoff.requested').at(-1)?.meta).toMatchObject({ reason: 'reply-stale' });
    await second.pipeline.stop();
  });

  it('a reply given up on leaves the chat waiting for a person, who is told', async () => {
    kit = await createKit({ settings: paced({ ...NO_TYPING, maxAttempts: 1 }) });
    provider().failNext(new Error('boom'));
    kit.receive('Price?');
    await kit.drive({ until: async () => (await rows())[0]?.status === 'failed' });
    await kit.drive({
      until: async () =>
        (await createConversationRepository(kit.store.db).get(WS_A, NUMBER_A, CHAT))?.waiting != null,
    });
    expect(kit.alerts.map((a) => a.type)).toEqual(['send-failed', 'handoff']);
    expect(kit.alerts[1]).toMatchObject({ reason: 'send-failed', chatId: CHAT, again: false });
  });

  it('a database error stops nothing for good: the sender tries again later', async () => {
    kit = await createKit({ settings: paced(NO_TYPING) });
    await sql`create trigger outbox_locked before update on outbox begin select raise(abort, 'disk I/O error'); end`.execute(
      kit.store.db,
    );
    kit.receive('Price?');
    await kit.drive({ until: () => kit.sink.ofType('message.failed').some((e) => e.meta?.stage === 'send') });
    expect(sends()).toEqual([]);
    await sql`drop trigger outbox_locked`.execute(kit.store.db);
    await kit.drive({ until: () => allSent(1) });
    expect(sends()).toHaveLength(1);
  });

  it('a reply waiting for a retry holds back the later replies of its chat, not other chats', async () => {
    kit = await createKit({ settings: paced(NO_TYPING) });
    provider().failNext(new Error('timed out'));
    kit.receive('Price?');
    kit.receive('What time do you open?'); // two answers in CHAT
    await kit.drive({ until: async () => kit.sink.ofType('message.failed').length > 0 });
    kit.receive('Price?', { chatId: OTHER });
    kit.receive('What time do you open?', { chatId: OTHER });
    await kit.drive({ until: () => allSent(4) });
    const [first, later] = await rows();
    const [otherFirst, otherLater] = await rows(OTHER);
    expect(sends().map((s) => s.detail)).toEqual([
      first!.id, // failed
      otherFirst!.id,
      otherLater!.id,
      first!.id,
      later!.id,
    ]);
  });

  it('after a crash, a row left sending is sent again with the same id; a sent row is not', async () => {
    kit = await createKit({ settings: paced(NO_TYPING) });
    kit.receive('Price?');
    await kit.drive({ until: () => allSent(1) });
    provider().hangNext(); // the process dies while WhatsApp has the answer
    kit.receive('What time do you open?');
    await kit.drive({ until: async () => (await rows())[1]?.status === 'sending' });
    const [greeting, answer] = await rows();
    expect(greeting!.status).toBe('sent');
    expect(answer!.attempts).toBe(1);

    const second = await kit.restart();
    await kit.drive({ until: async () => (await rows())[1]?.status === 'sent' });
    expect(second.provider.calls.filter((c) => c.op === 'send').map((c) => c.detail)).toEqual([answer!.id]);
    expect(second.provider.fake.sent).toEqual([{ chatId: CHAT, text: answer!.text, messageId: answer!.id }]);
    const after = await rows();
    expect(after.map((r) => [r.id, r.status, r.attempts])).toEqual([
      [greeting!.id, 'sent', 1],
      [answer!.id, 'sent', 2],
    ]);
    // One history row per reply, whatever the number of attempts.
    const out = await kit.store.db
      .selectFrom('messages')
      .select(['id', 'status'])
      .where('direction', '=', 'out')
      .orderBy('created_at')
      .execute();
    expect(out).toEqual([
      { id: greeting!.id, status: 'sent' },
      { id: answer!.id, status: 'sent' },
    ]);
    await second.pipeline.stop();
  });

  it('an ack for a row left sending marks it sent without sending it again', async () => {
    kit = await createKit({ settings: paced(NO_TYPING) });
    provider().hangNext();
    kit.receive('Price?');
    await kit.drive({ until: async () => (await rows())[0]?.status === 'sending' });
    const [row] = await rows();
    kit.ack(row!.id, 'delivered');
    await kit.drive({ until: async () => (await rows())[0]?.status === 'sent' });
    const second = await kit.restart();
    await kit.drive();
    expect(second.provider.calls).toEqual([]);
    await second.pipeline.stop();
  });
});
