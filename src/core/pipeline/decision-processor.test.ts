import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { E164 } from '../../shared/types';
import { createConversationRepository } from '../store/repositories/conversations';
import { createOutboxRepository } from '../store/repositories/outbox';
import { createUnroutableMessageStore } from '../store/repositories/unroutable-message-store';
import { createKit, NOBODYS_NUMBER, NUMBER_A, NUMBER_B, WS_A, WS_B, type Kit } from './testing/pipeline-kit';

const CHAT = '2348031234567@s.whatsapp.net';
let kit: Kit;
afterEach(() => kit.cleanup());

const messages = (k: Kit) =>
  k.store.db
    .selectFrom('messages')
    .selectAll()
    .where('direction', '=', 'in')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
const outbox = (k: Kit, ws = WS_A, chat = CHAT) => createOutboxRepository(k.store.db).listByChat(ws, chat);
const conversation = (k: Kit, ws = WS_A, number = NUMBER_A, chat = CHAT) =>
  createConversationRepository(k.store.db).get(ws, number, chat);

/** A kit without greeting or pacing, where a customer asked and the bot answered: the answer's outbox row. */
async function answeredOnce() {
  kit = await createKit({ settings: { greeting: { enabled: false }, pacing: { enabled: false } } });
  kit.receive('What time do you open?');
  await kit.drive();
  const [row] = await outbox(kit);
  return row!;
}

describe('ingest', () => {
  it('stores a message once: a redelivery is dropped, logged as deduplicated, and answered once', async () => {
    kit = await createKit();
    const first = kit.receive('What time do you open?');
    await kit.drive();
    kit.emit({ type: 'message', workspaceId: WS_A, message: first });
    await kit.drive();
    expect(await messages(kit)).toHaveLength(1);
    // The greeting and the answer go as one message.
    expect((await outbox(kit)).map((r) => r.kind)).toEqual(['faq']);
    expect(kit.providers.get(NUMBER_A)!.fake.sent).toHaveLength(1);
    const dedup = kit.sink.ofType('message.deduplicated');
    expect(dedup).toHaveLength(1);
    expect(dedup[0]!.meta).toMatchObject({ providerMessageId: first.providerMessageId, number: NUMBER_A });
  });

  it('drops a redelivery that arrives in the same batch as the original', async () => {
    kit = await createKit();
    const m = kit.inbound('What time do you open?');
    kit.emit({ type: 'message', workspaceId: WS_A, message: m });
    kit.emit({ type: 'message', workspaceId: WS_A, message: { ...m, offline: true } });
    await kit.drive();
    expect(await messages(kit)).toHaveLength(1);
    expect((await outbox(kit)).map((r) => r.kind)).toEqual(['faq']);
    expect(kit.sink.ofType('message.deduplicated')).toHaveLength(1);
  });

  it('upserts the sender as one contact, learning the phone number of a LID sender later', async () => {
    kit = await createKit();
    kit.receive('hello', {
      sender: { phone: null, waId: '99887766@lid', name: null },
      chatId: '99887766@lid',
    });
    await kit.drive();
    kit.receive('hello again', {
      sender: { phone: '+2348035550000' as E164, waId: '99887766@lid', name: 'Bola' },
      chatId: '99887766@lid',
    });
    await kit.drive();
    const contacts = await kit.store.db
      .selectFrom('contacts')
      .selectAll()
      .where('workspace_id', '=', WS_A)
      .execute();
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ phone_e164: '+2348035550000', wa_id: '99887766@lid', name: 'Bola' });
    const rows = await messages(kit);
    expect(rows.map((r) => r.contact_id)).toEqual([contacts[0]!.id, contacts[0]!.id]);
  });

  it('stores the inbound row before deciding: the chat kind is kept for a re-decision after a crash', async () => {
    kit = await createKit();
    kit.receive('What time do you open?', { chatKind: 'group', chatId: '1203630@g.us' });
    await kit.drive();
    const [row] = await messages(kit);
    expect(row).toMatchObject({ chat_kind: 'group', status: 'ignored', direction: 'in', author: 'contact' });
  });
});

describe('route', () => {
  it('sends each message to the workspace that owns the receiving number', async () => {
    kit = await createKit();
    kit.receive('What time do you open?', { businessNumber: NUMBER_A });
    kit.receive('What time do you open?', { businessNumber: NUMBER_B });
    await kit.drive();
    const rows = await messages(kit);
    expect(rows.map((r) => [r.workspace_id, r.business_number])).toEqual([
      [WS_A, NUMBER_A],
      [WS_B, NUMBER_B],
    ]);
    expect((await outbox(kit, WS_B)).map((r) => [r.kind, r.businessNumber])).toEqual([['faq', NUMBER_B]]);
    const routed = kit.sink.ofType('message.routed');
    expect(routed.map((e) => e.meta)).toEqual([
      expect.objectContaining({ workspaceId: WS_A, number: NUMBER_A, why: 'number-directory' }),
      expect.objectContaining({ workspaceId: WS_B, number: NUMBER_B, why: 'number-directory' }),
    ]);
  });

  it('keeps a message for a number no workspace owns, logs it as unroutable, never answers it', async () => {
    kit = await createKit();
    const m = kit.receive('What time do you open?', { businessNumber: NOBODYS_NUMBER });
    await kit.drive();
    kit.emit({ type: 'message', workspaceId: WS_A, message: m }); // redelivered
    await kit.drive();
    expect(await messages(kit)).toEqual([]);
    const kept = await createUnroutableMessageStore(kit.store.db).list();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      businessNumber: NOBODYS_NUMBER,
      providerMessageId: m.providerMessageId,
      chatId: CHAT,
      senderWaId: CHAT,
      text: 'What time do you open?',
    });
    expect(await kit.store.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
    expect(kit.sink.ofType('message.unroutable')).toHaveLength(1);
    expect(kit.sink.ofType('message.unroutable')[0]).toMatchObject({
      level: 'warn',
      meta: expect.objectContaining({ why: 'no workspace owns this number' }),
    });
    expect(kit.sink.ofType('message.deduplicated')).toHaveLength(1);
    for (const p of kit.providers.values()) expect(p.calls).toEqual([]);
  });
});

describe('decide and commit', () => {
  it('commits the decision, its outbox rows and the inbound row state in one transaction', async () => {
    kit = await createKit({ pipeline: { sending: false } });
    // Any outbox insert now fails, as a full disk or a bug would.
    await sql`create trigger outbox_broken before insert on outbox begin select raise(abort, 'disk full'); end`.execute(
      kit.store.db,
    );
    kit.receive('What time do you open?');
    await kit.drive();
    const [row] = await messages(kit);
    expect(row!.status).toBe('received'); // stored, not decided
    expect(await conversation(kit)).toBeUndefined();
    expect(await kit.store.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
    const failed = kit.sink.ofType('message.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 'error', meta: expect.objectContaining({ stage: 'decide' }) });

    // Fixed and restarted: the stored message is decided then, exactly once.
    await sql`drop trigger outbox_broken`.execute(kit.store.db);
    await kit.pipeline.stop();
    await kit.pipeline.start();
    await kit.drive();
    expect((await messages(kit))[0]!.status).toBe('processed');
    expect(await outbox(kit)).toHaveLength(1); // greeting + answer, one message
    expect(kit.sink.ofType('message.recovered')).toHaveLength(1);
  });

  it('a failing message does not hold back the rest of its batch', async () => {
    kit = await createKit({ pipeline: { sending: false } });
    await sql`create trigger outbox_picky before insert on outbox when new.chat_id = 'bad@s.whatsapp.net'
      begin select raise(abort, 'boom'); end`.execute(kit.store.db);
    kit.receive('What time do you open?', { chatId: 'bad@s.whatsapp.net' });
    kit.receive('What time do you open?');
    await kit.drive();
    const rows = await messages(kit);
    expect(rows.map((r) => [r.chat_id, r.status])).toEqual([
      ['bad@s.whatsapp.net', 'received'],
      [CHAT, 'processed'],
    ]);
    expect(await outbox(kit)).toHaveLength(1);
  });

  it('a flood of messages gets one answer; every message is stored and counted', async () => {
    kit = await createKit({ settings: { greeting: { enabled: false }, pacing: { enabled: false } } });
    for (let i = 0; i < 10; i++) kit.receive('How much is delivery?');
    await kit.drive();
    expect(await messages(kit)).toHaveLength(10);
    expect((await outbox(kit)).map((r) => r.kind)).toEqual(['faq']);
    expect((await conversation(kit))?.floodCount).toBe(10);
    expect(
      kit.sink.ofType('message.decided').filter((e) => e.meta?.reason === 'flood-guard-repeat'),
    ).toHaveLength(9);
  });

  it('hands a chat to a person, alerts the owner, stays quiet there until released', async () => {
    kit = await createKit();
    kit.receive('What time do you open?');
    await kit.drive();
    kit.receive('I want to talk to a human');
    await kit.drive();
    expect((await conversation(kit))?.handoff).toEqual({
      since: kit.timers.now(),
      reason: 'handoff-keyword:human',
    });
    expect(kit.alerts).toEqual([
      expect.objectContaining({
        type: 'handoff',
        workspaceId: WS_A,
        chatId: CHAT,
        reason: 'handoff-keyword:human',
      }),
    ]);
    expect(kit.sink.ofType('handoff.requested')).toHaveLength(1);

    kit.receive('What time do you open?');
    await kit.timers.advance(60 * 60_000);
    kit.receive('What time do you open?');
    await kit.drive();
    const kinds = () => outbox(kit).then((rows) => rows.map((r) => r.kind));
    expect(await kinds()).toEqual(['faq', 'handoff']);
    // The questions asked meanwhile wait for the person: one alert, when the chat started waiting.
    expect(kit.alerts).toHaveLength(1);
    expect((await conversation(kit))?.waiting?.since).toBe(
      kit.alerts[0]!.type === 'handoff' ? kit.alerts[0]!.waitingSince : -1,
    );

    expect(await kit.pipeline.release(WS_A, CHAT)).toBe(1);
    expect(kit.sink.ofType('handoff.released')).toHaveLength(1);
    expect((await conversation(kit))?.waiting).toBeNull();
    kit.receive('What time do you open?');
    await kit.drive();
    expect(await kinds()).toEqual(['faq', 'handoff', 'faq']);
  });

  it('release is scoped to the workspace', async () => {
    kit = await createKit();
    kit.receive('agent', { businessNumber: NUMBER_B });
    await kit.drive();
    expect(await kit.pipeline.release(WS_A, CHAT)).toBe(0);
    expect((await conversation(kit, WS_B, NUMBER_B))?.handoff).not.toBeNull();
  });

  it('the owner replying by hand pauses the bot in that chat for 30 minutes', async () => {
    kit = await createKit({ settings: { greeting: { enabled: false }, pacing: { enabled: false } } });
    kit.ownerReply('Hi Emeka!');
    await kit.drive();
    expect(kit.sink.ofType('bot.paused')[0]!.meta).toMatchObject({ chatId: CHAT, minutes: 30 });
    kit.receive('What time do you open?');
    await kit.drive();
    expect(await outbox(kit)).toEqual([]);
    expect(kit.sink.ofType('message.decided')[0]!.meta).toMatchObject({ reason: 'owner-paused' });
    // Another chat is not paused.
    kit.receive('What time do you open?', { chatId: 'other@s.whatsapp.net' });
    await kit.drive();
    expect(await outbox(kit, WS_A, 'other@s.whatsapp.net')).toHaveLength(1);

    await kit.timers.advance(29 * 60_000);
    kit.receive('What time do you open?');
    await kit.drive();
    expect(await outbox(kit)).toEqual([]);
    await kit.timers.advance(60_000);
    kit.receive('What time do you open?');
    await kit.drive();
    expect(await outbox(kit)).toHaveLength(1);
    const owner = await kit.store.db
      .selectFrom('messages')
      .selectAll()
      .where('author', '=', 'owner')
      .execute();
    expect(owner).toMatchObject([{ provider_message_id: 'OWNER-1', text: 'Hi Emeka!', direction: 'out' }]);
  });

  it("the owner replying by hand drops the bot's replies still waiting in that chat, and only there", async () => {
    kit = await createKit({ settings: { greeting: { enabled: false }, pacing: { enabled: true } } });
    kit.receive('What time do you open?');
    kit.receive('How much is delivery?', { chatId: 'other@s.whatsapp.net' });
    await kit.drive({ until: async () => (await outbox(kit)).length === 1 });
    expect((await outbox(kit))[0]!.status).toBe('queued'); // typing... (pacing)
    kit.ownerReply('We open at 8, Emeka', { timestamp: kit.timers.now() });
    await kit.drive();
    expect((await outbox(kit)).map((r) => [r.status, r.lastError])).toEqual([
      ['cancelled', 'cancelled: the owner replied by hand'],
    ]);
    expect(kit.sink.ofType('outbox.cancelled')[0]!.meta).toMatchObject({ chatId: CHAT });
    const sent = kit.providers
      .get(NUMBER_A)!
      .calls.filter((c) => c.op === 'send')
      .map((c) => c.chatId);
    expect(sent).toEqual(['other@s.whatsapp.net']);
    expect((await outbox(kit, WS_A, 'other@s.whatsapp.net'))[0]!.status).toBe('sent');
  });

  it('the pause follows the workspace setting', async () => {
    kit = await createKit({
      settings: {
        greeting: { enabled: false },
        pacing: { enabled: false },
        handoff: { ownerPauseMinutes: 5 },
      },
    });
    kit.ownerReply('Hi');
    await kit.drive();
    await kit.timers.advance(5 * 60_000);
    kit.receive('What time do you open?');
    await kit.drive();
    expect(await outbox(kit)).toHaveLength(1);
  });

  it("the echo of the bot's own reply does not pause the bot", async () => {
    const sent = await answeredOnce();
    kit.ownerReply(sent.text, { providerMessageId: sent.id });
    await kit.drive();
    expect(kit.sink.ofType('bot.paused')).toEqual([]);
    await kit.timers.advance(60_000);
    kit.receive('How much is delivery?');
    await kit.drive();
    expect(await outbox(kit)).toHaveLength(2);
  });

  it('acks move the sent message forward, never back', async () => {
    const row = await answeredOnce();
    const status = async () =>
      (await kit.store.db.selectFrom('messages').select('status').where('id', '=', row.id).executeTakeFirst())
        ?.status;
    expect(await status()).toBe('sent');
    const ack = (s: 'delivered' | 'read') => kit.ack(row.id, s);
    ack('read');
    await kit.drive();
    expect(await status()).toBe('read');
    ack('delivered');
    await kit.drive();
    expect(await status()).toBe('read');
  });

  it('logs every step with its reason', async () => {
    kit = await createKit({ settings: { pacing: { enabled: false } } });
    kit.receive('What time do you open?');
    await kit.drive();
    const types = kit.sink.entries.map((e) => e.type);
    for (const t of [
      'message.routed',
      'message.received',
      'message.decided',
      'outbox.queued',
      'message.sent',
    ]) {
      expect(types).toContain(t);
    }
    expect(types.indexOf('message.routed')).toBeLessThan(types.indexOf('message.received'));
    expect(types.indexOf('message.received')).toBeLessThan(types.indexOf('message.decided'));
    const decided = kit.sink.ofType('message.decided')[0]!;
    expect(decided).toMatchObject({
      workspaceId: WS_A,
      meta: expect.objectContaining({
        reason: 'greeting+faq-answer',
        actions: ['reply:greeting+faq'],
      }),
    });
    expect(decided.contactId).not.toBeNull();
    const sent = kit.sink.ofType('message.sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.meta).toMatchObject({ kind: 'faq', attempt: 1, latencyMs: expect.any(Number) });
  });

  it('re-reads settings after invalidate', async () => {
    kit = await createKit({ settings: { pacing: { enabled: false } } });
    await kit.setSettings(WS_A, { pacing: { enabled: false }, greeting: { text: 'Welcome to Chidi!' } });
    kit.receive('hi');
    await kit.drive();
    expect((await outbox(kit)).map((r) => r.text)).toEqual(['Welcome to Chidi!']);
  });
});
