// Issue 13, problem 7: one customer, one conversation per business number, whichever address they write
// from. WhatsApp is moving accounts to LIDs (`<digits>@lid`): the same customer writes by phone number
// one day and by LID the next. The real core (createSwitchboard, real SQLite file, the contract's
// handlers) with the unmodified Baileys client, against the local WhatsApp server, whose customers can
// switch address mid-conversation and whose first history sync carries LID mappings, as WhatsApp's do.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCoreRuntime, type CoreRuntime } from '../../src/core/handlers/index';
import { DEFAULT_WORKSPACE_SETTINGS } from '../../src/shared/settings';
import type { WorkspaceId } from '../../src/shared/types';
import { HISTORY_MESSAGE_TEXT } from '../../src/simulator/history-sync';
import { commandCaller, createHarness, linkNumber, type Core, type Harness, waitUntil } from './harness';

const SHOP = '+2348090000001';
const ADA = '+2348031234567';
const BOLA = '+2347061234567';
const GREETING = DEFAULT_WORKSPACE_SETTINGS.greeting.text;
const RICE = ['How much be rice?', 'Rice is 50,000 naira a bag.'] as const;

let harness: Harness;
let core: Core;
let runtime: CoreRuntime;
let workspaceId: WorkspaceId;

const call = commandCaller(() => runtime);

/** The message is stored and decided, and every reply asked for is handed to WhatsApp. */
async function settled(providerMessageId: string): Promise<void> {
  const db = core.app.store.db;
  await waitUntil(async () => {
    const row = await db
      .selectFrom('messages')
      .select('status')
      .where('provider_message_id', '=', providerMessageId)
      .executeTakeFirst();
    const pending = await db
      .selectFrom('outbox')
      .select('id')
      .where('status', 'in', ['queued', 'sending'])
      .execute();
    return row !== undefined && row.status !== 'received' && pending.length === 0;
  }, `message ${providerMessageId} to be decided and its replies sent`);
  await new Promise((resolve) => setTimeout(resolve, 300)); // room for anything that should not come
}

async function startShop(): Promise<void> {
  core = await harness.startCore();
  runtime = createCoreRuntime(core.app);
  await core.app.start();
  workspaceId = (await call('workspace.create', { name: 'Mama Put Kitchen', botMode: 'faq' })).workspace.id;
  await call('workspace.updateSettings', { workspaceId, settings: { pacing: { enabled: false } } });
  await call('faq.create', { workspaceId, question: RICE[0], answer: RICE[1], phrasings: [RICE[0]] });
  await linkNumber(harness, core, SHOP, { id: workspaceId });
}

const conversationRows = () =>
  core.app.store.db
    .selectFrom('conversations')
    .select(['business_number', 'chat_id', 'greeted_at', 'bot_paused_until'])
    .where('workspace_id', '=', workspaceId)
    .execute();

beforeEach(async () => {
  harness = await createHarness();
});
afterEach(async () => {
  runtime?.close();
  await harness.cleanup();
}, 60_000);

describe('a customer who writes by phone number and by LID', () => {
  it('is one conversation: greeted once, and a pause set while they wrote by phone holds by LID', async () => {
    await startShop();
    const ada = harness.server.contact(ADA, { name: 'Ada' });
    const hello = await ada.send(SHOP, 'Hello');
    await settled(hello);
    expect(ada.replies.map((r) => r.text)).toEqual([GREETING]);

    const [chat, ...others] = await call('conversation.list', { workspaceId });
    expect(others).toEqual([]);
    expect(chat).toMatchObject({ chatId: ada.pnJid, contactPhone: ADA });
    await call('conversation.pause', { workspaceId, chatId: chat!.chatId, minutes: 60 });

    // WhatsApp moves Ada's account to her LID; her phone number travels in the envelope's sender_pn.
    ada.addressBy({ mode: 'lid' });
    const rice = await ada.send(SHOP, RICE[0]);
    await settled(rice);

    // Not greeted again, and the owner's pause kept the bot out of her question.
    expect(ada.replies.map((r) => r.text)).toEqual([GREETING]);
    const rows = await conversationRows();
    expect(rows).toEqual([
      expect.objectContaining({ business_number: SHOP, chat_id: ada.pnJid, greeted_at: expect.any(Number) }),
    ]);
    expect(rows[0]!.bot_paused_until).toBeGreaterThan(Date.now());
    const inbound = await core.app.store.db
      .selectFrom('messages')
      .select(['provider_message_id', 'chat_id'])
      .where('direction', '=', 'in')
      .orderBy('created_at')
      .execute();
    expect(inbound).toEqual([
      { provider_message_id: hello, chat_id: ada.pnJid },
      { provider_message_id: rice, chat_id: ada.pnJid },
    ]);
    const list = await call('conversation.list', { workspaceId });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ chatId: ada.pnJid, lastMessage: { text: RICE[0] } });
    expect(list[0]!.botPausedUntil).not.toBeNull();
  });

  it('is known from the first history sync, whose mappings are stored and whose messages are not', async () => {
    // Bola's chat is on the shop's phone before the app is linked: the first sync carries her mapping.
    const bola = harness.server.contact(BOLA, { lid: true, name: 'Bola' });
    await startShop();
    const stored = () =>
      core.app.store.db
        .selectFrom('lid_mappings')
        .select(['lid', 'phone_jid', 'business_number'])
        .where('workspace_id', '=', workspaceId)
        .where('lid', '=', bola.lid)
        .execute();
    await waitUntil(async () => (await stored()).length > 0, 'the history sync mapping to be stored');
    expect(await stored()).toEqual([{ lid: bola.lid, phone_jid: bola.pnJid, business_number: SHOP }]);

    // She writes by LID with no phone number in the envelope: only the stored mapping can tell.
    bola.addressBy({ mode: 'lid', alt: false });
    const rice = await bola.send(SHOP, RICE[0]);
    await settled(rice);
    const inbound = await core.app.store.db
      .selectFrom('messages')
      .select(['text', 'chat_id'])
      .where('direction', '=', 'in')
      .execute();
    // The history's old message was never imported.
    expect(inbound).toEqual([{ text: RICE[0], chat_id: bola.pnJid }]);
    expect(inbound.some((m) => m.text === HISTORY_MESSAGE_TEXT)).toBe(false);
    // Answered once, at her phone-number address.
    // (greeting and answer in one message)
    expect(bola.replies.map((r) => [r.text, r.to])).toEqual([[`${GREETING}\n\n${RICE[1]}`, bola.pnJid]]);
    expect(await call('conversation.list', { workspaceId })).toEqual([
      expect.objectContaining({ chatId: bola.pnJid, contactPhone: BOLA }),
    ]);
  });
});
