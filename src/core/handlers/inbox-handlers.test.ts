import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ContactCard,
  ConversationSummary,
  ConversationThread,
  InboxSearchResult,
  Label,
  QuickReply,
} from '../../shared/contract';
import type { E164, WorkspaceId } from '../../shared/types';
import type { Switchboard } from '../app';
import { createMessageRepository } from '../store/repositories/messages';
import { startCoreHarness, type CoreHarness, type Customer, type ShopNumber } from '../testing/core-harness';
import type { Dispatch } from './dispatch';

// The inbox's commands through the same dispatcher the desktop IPC and the headless host use: real
// core, real SQLite file; the WhatsApp side is the fake provider (the Chromium test drives real Baileys).
let core: CoreHarness;
let app: Switchboard;
let dispatch: Dispatch;
let seen: CoreHarness['seen'];

const CHAT = '2348099999999@s.whatsapp.net';
const CUSTOMER = '+2348099999999' as E164;
const ADE: Customer = { phone: CUSTOMER, chat: CHAT, name: 'Adébáyọ̀ Ade' };

const call = <T = never>(name: string, input?: unknown) => core.call<T>(name, input);

beforeEach(async () => {
  core = await startCoreHarness({ tempPrefix: 'switchboard-inbox-' });
  ({ app, dispatch, seen } = core);
});

afterEach(() => core.close());

/** A shop whose number is linked (fake socket open), answering at once, with one FAQ. */
async function connectedShop(name = 'Shop', phone = '08031234567') {
  const shop = await core.connectedShop(name, phone);
  const link = async (n: ShopNumber) => {
    const { provider, say } = await shop.link(n);
    return { provider, say: (text: string, from: Customer = ADE) => say(text, from) };
  };
  const first = await link(shop.number);
  return { workspaceId: shop.workspaceId, e164: shop.number.e164, ...first, link };
}

const thread = (workspaceId: string) =>
  call<ConversationThread>('conversation.thread', { workspaceId, chatId: CHAT });
const refused = async (name: string, input: unknown) => {
  const result = await dispatch(name, input);
  if (result.ok) throw new Error(`${name} was accepted`);
  return `${result.error.code}: ${result.error.message}`;
};

describe('delivery ticks and Retry', () => {
  it('follows the receipts, says why a reply failed, and sends it again exactly once on Retry', async () => {
    const { workspaceId, e164, provider, say } = await connectedShop();
    // WhatsApp refuses the bot's answer for good (463): the reply fails at once.
    provider.failSends(new Error('463: not allowed to message this customer first'));
    say('What time do you open?');
    await expect
      .poll(async () => (await thread(workspaceId)).messages.find((m) => m.author === 'bot')?.status)
      .toBe('failed');
    const failed = (await thread(workspaceId)).messages.find((m) => m.author === 'bot')!;
    expect(failed.failure).toBe('WhatsApp refused it: this customer has not written to this number yet.');

    provider.failSends(null);
    // Two clicks at once: one is queued, the other refused.
    const [a, b] = await Promise.all([
      dispatch('conversation.retry', { workspaceId, chatId: CHAT, messageId: failed.id }),
      dispatch('conversation.retry', { workspaceId, chatId: CHAT, messageId: failed.id }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((r) => !r.ok)).toMatchObject({ error: { code: 'CONFLICT' } });
    await expect
      .poll(async () => (await thread(workspaceId)).messages.find((m) => m.id === failed.id)?.status)
      .toBe('sent');
    expect(provider.sent.filter((s) => s.messageId === failed.id)).toEqual([
      { chatId: CHAT, text: 'We open 8am to 6pm.', messageId: failed.id },
    ]);
    expect(await refused('conversation.retry', { workspaceId, chatId: CHAT, messageId: failed.id })).toMatch(
      /^CONFLICT: This message is already being sent again/,
    );

    // Receipts move the ticks forward, never back, and the open thread hears of it.
    seen.length = 0;
    const ack = (status: 'delivered' | 'read') =>
      provider.emit('ack', {
        businessNumber: e164,
        providerMessageId: failed.id,
        chatId: CHAT,
        status,
        error: null,
        timestamp: Date.now(),
      });
    ack('delivered');
    await expect
      .poll(async () => (await thread(workspaceId)).messages.find((m) => m.id === failed.id)?.status)
      .toBe('delivered');
    ack('read');
    ack('delivered');
    await app.pipeline.idle();
    expect((await thread(workspaceId)).messages.find((m) => m.id === failed.id)).toMatchObject({
      status: 'read',
      failure: null,
    });
    expect(seen).toContainEqual({ event: 'conversation.changed', payload: { workspaceId, chatId: CHAT } });
  });

  it("keeps the owner's failed reply with its reason, and Retry sends it through the outbox", async () => {
    const { workspaceId, provider, say } = await connectedShop();
    say('Hello');
    await expect.poll(async () => (await thread(workspaceId)).messages.length).toBeGreaterThan(0);
    provider.failSends(new Error('Timed Out'));
    expect(
      await refused('conversation.reply', { workspaceId, chatId: CHAT, text: 'Your shoes are ready' }),
    ).toMatch(/^UNAVAILABLE: The reply was not sent/);
    const mine = (await thread(workspaceId)).messages.find((m) => m.author === 'owner')!;
    expect(mine).toMatchObject({ status: 'failed', failure: 'WhatsApp did not answer in time.' });

    provider.failSends(null);
    expect(await call('conversation.retry', { workspaceId, chatId: CHAT, messageId: mine.id })).toEqual({
      queued: true,
    });
    await expect
      .poll(async () => (await thread(workspaceId)).messages.find((m) => m.id === mine.id)?.status)
      .toBe('sent');
    expect(provider.sent.filter((s) => s.text === 'Your shoes are ready')).toEqual([
      { chatId: CHAT, text: 'Your shoes are ready', messageId: mine.id },
    ]);
    // One message in the thread, not a copy from the outbox.
    expect((await thread(workspaceId)).messages.filter((m) => m.author === 'owner')).toHaveLength(1);
  });

  it('refuses a Retry of a customer message, an unknown message, and another workspace’s message', async () => {
    const { workspaceId, say } = await connectedShop();
    say('Hello');
    await expect.poll(async () => (await thread(workspaceId)).messages.length).toBeGreaterThan(0);
    const theirs = (await thread(workspaceId)).messages.find((m) => m.author === 'contact')!;
    expect(await refused('conversation.retry', { workspaceId, chatId: CHAT, messageId: theirs.id })).toMatch(
      /^VALIDATION: Only your and the bot's messages/,
    );
    expect(await refused('conversation.retry', { workspaceId, chatId: CHAT, messageId: 'nope' })).toMatch(
      /^NOT_FOUND: That message is not in this chat/,
    );
    const other = await call<{ workspace: { id: string } }>('workspace.create', { name: 'Other' });
    expect(
      await refused('conversation.retry', {
        workspaceId: other.workspace.id,
        chatId: CHAT,
        messageId: theirs.id,
      }),
    ).toMatch(/^NOT_FOUND/);
  });
});

describe('search', () => {
  it('finds chats by name and number and messages by words, accents and case aside, in one workspace only', async () => {
    const { workspaceId, say } = await connectedShop();
    say('Ẹ kú àárọ̀! Do you have the BÀTÀ pupa in size 42?');
    say('I have paid, see the transfer receipt');
    await expect.poll(async () => (await thread(workspaceId)).messages.length).toBeGreaterThanOrEqual(2);
    // Another shop on the machine has the very same words: never shown to this one.
    const other = await call<{ workspace: { id: WorkspaceId } }>('workspace.create', { name: 'Other' });
    await createMessageRepository(app.store.db).insert(
      other.workspace.id,
      {
        id: 'other-1',
        businessNumber: '+2348090000009' as E164,
        providerMessageId: 'X1',
        chatId: CHAT,
        contactId: null,
        direction: 'in',
        author: 'contact',
        text: 'bata pupa transfer receipt',
        status: 'processed',
        providerTs: 1,
      },
      Date.now(),
    );

    const search = (query: string, ws: string = workspaceId) =>
      call<InboxSearchResult>('inbox.search', { workspaceId: ws, query });
    const bata = await search('bata PUPA');
    expect(bata.messages).toHaveLength(1);
    expect(bata.messages[0]).toMatchObject({ chatId: CHAT, author: 'contact', contactName: 'Adébáyọ̀ Ade' });
    expect(bata.messages[0]!.snippet.filter((p) => p.hit).map((p) => p.text)).toEqual(['BÀTÀ', 'pupa']);
    expect(bata.messages[0]!.snippet.map((p) => p.text).join('')).toBe(
      'Ẹ kú àárọ̀! Do you have the BÀTÀ pupa in size 42?',
    );
    // A word's beginning is enough.
    expect((await search('transf')).messages.map((m) => m.snippet.find((p) => p.hit)?.text)).toEqual([
      'transfer',
    ]);
    expect((await search('bata', other.workspace.id)).messages.map((m) => m.messageId)).toEqual(['other-1']);

    // Chats by name (accents aside) and by number, however it is typed.
    expect((await search('adebayo')).chats).toMatchObject([{ chatId: CHAT, contactPhone: CUSTOMER }]);
    expect((await search('0809 999 9999')).chats.map((c) => c.chatId)).toEqual([CHAT]);
    expect((await search('adebayo', other.workspace.id)).chats).toEqual([]);
    // The owner's own name for the customer is found too.
    await call('contact.update', { workspaceId, chatId: CHAT, name: 'Mrs Ọlá (wholesale)' });
    expect((await search('ola wholesale')).chats.map((c) => c.contactName)).toEqual(['Mrs Ọlá (wholesale)']);

    // Punctuation is no query syntax, and nothing to look for finds nothing.
    expect((await search('"pupa" (bata*')).messages).toHaveLength(1);
    expect(await search('  ')).toEqual({ query: '', chats: [], messages: [] });
    expect(await refused('inbox.search', { workspaceId, query: 'x'.repeat(201) })).toMatch(
      /^VALIDATION: .*search is too long/,
    );
    expect(await refused('inbox.search', { workspaceId: 'nope', query: 'bata' })).toMatch(/^NOT_FOUND/);
  });
});

describe('labels', () => {
  it("starts with the WhatsApp Business app's labels; the owner adds, renames, recolours, sets and filters", async () => {
    const { workspaceId, say } = await connectedShop();
    say('Hello');
    await expect.poll(async () => (await thread(workspaceId)).messages.length).toBeGreaterThan(0);
    const defaults = await call<Label[]>('label.list', { workspaceId });
    expect(defaults.map((l) => l.name)).toEqual([
      'New customer',
      'New order',
      'Pending payment',
      'Paid',
      'Order complete',
    ]);
    const wholesale = await call<Label>('label.create', { workspaceId, name: 'Wholesale', color: '#1b9aaa' });
    expect(await refused('label.create', { workspaceId, name: 'paid', color: '#1b9aaa' })).toBe(
      'CONFLICT: There is already a label called "Paid". Pick another name.',
    );
    expect(await refused('label.create', { workspaceId, name: 'VIP', color: 'red' })).toMatch(
      /^VALIDATION: .*Pick one of the label colours/,
    );
    expect(await refused('label.create', { workspaceId, name: ' ', color: '#1b9aaa' })).toMatch(
      /Label name cannot be empty/,
    );
    expect(
      await call('label.update', {
        workspaceId,
        labelId: wholesale.id,
        name: 'Bulk buyer',
        color: '#6b7a8f',
      }),
    ).toEqual({ id: wholesale.id, name: 'Bulk buyer', color: '#6b7a8f' });

    const paid = defaults.find((l) => l.name === 'Paid')!;
    expect(
      await call('conversation.setLabels', { workspaceId, chatId: CHAT, labelIds: [wholesale.id, paid.id] }),
    ).toEqual({ labelIds: [paid.id, wholesale.id] });
    const list = (labelId?: string) =>
      call<ConversationSummary[]>('conversation.list', {
        workspaceId,
        ...(labelId !== undefined && { labelId }),
      });
    expect((await list())[0]!.labelIds).toEqual([paid.id, wholesale.id]);
    expect((await list(paid.id)).map((c) => c.chatId)).toEqual([CHAT]);
    expect(await list(defaults[0]!.id)).toEqual([]);

    // Bad ids: unknown, another workspace's label, another workspace's chat.
    const other = await call<{ workspace: { id: string } }>('workspace.create', { name: 'Other' });
    const theirs = (await call<Label[]>('label.list', { workspaceId: other.workspace.id }))[0]!;
    expect(
      await refused('conversation.setLabels', { workspaceId, chatId: CHAT, labelIds: ['lbl-nope'] }),
    ).toMatch(/^NOT_FOUND: That label does not exist in this workspace/);
    expect(
      await refused('conversation.setLabels', { workspaceId, chatId: CHAT, labelIds: [theirs.id] }),
    ).toMatch(/^NOT_FOUND/);
    expect(
      await refused('conversation.setLabels', {
        workspaceId: other.workspace.id,
        chatId: CHAT,
        labelIds: [],
      }),
    ).toBe('NOT_FOUND: That chat is not in this workspace.');
    expect(await refused('label.update', { workspaceId, labelId: theirs.id, name: 'Mine now' })).toMatch(
      /^NOT_FOUND/,
    );
    expect(await refused('conversation.list', { workspaceId, labelId: theirs.id })).toMatch(/^NOT_FOUND/);

    // Deleting a label takes it off its chats.
    expect(await call('label.delete', { workspaceId, labelId: wholesale.id })).toBeNull();
    expect((await list())[0]!.labelIds).toEqual([paid.id]);
    expect(await refused('label.delete', { workspaceId, labelId: wholesale.id })).toMatch(/^NOT_FOUND/);
  });
});

describe('saved replies and quick replies', () => {
  it('keeps saved replies beside the FAQs and offers both after "/"', async () => {
    const { workspaceId } = await connectedShop();
    const bank = await call<{ id: string }>('reply.create', {
      workspaceId,
      title: 'bank details',
      text: 'Pay to GTBank 0123456789, Mama Nkechi Stores.',
    });
    await call('reply.update', { workspaceId, replyId: bank.id, text: 'Pay to GTBank 0123456789.' });
    expect(await call<QuickReply[]>('reply.quick', { workspaceId })).toEqual([
      { source: 'saved', id: bank.id, title: 'bank details', text: 'Pay to GTBank 0123456789.' },
      { source: 'faq', id: expect.any(String), title: 'What time do you open?', text: 'We open 8am to 6pm.' },
    ]);
    expect(await refused('reply.create', { workspaceId, title: '  ', text: 'x' })).toMatch(
      /Name cannot be empty/,
    );
    expect(await refused('reply.create', { workspaceId, title: 'x', text: 'y'.repeat(4097) })).toMatch(
      /Reply text is too long \(at most 4096 characters\)/,
    );
    expect(await refused('reply.create', { workspaceId, title: 'n'.repeat(61), text: 'y' })).toMatch(
      /Name is too long \(at most 60 characters\)/,
    );
    const other = await call<{ workspace: { id: string } }>('workspace.create', { name: 'Other' });
    expect(await refused('reply.delete', { workspaceId: other.workspace.id, replyId: bank.id })).toMatch(
      /^NOT_FOUND/,
    );
    expect(await call('reply.list', { workspaceId: other.workspace.id })).toEqual([]);
    await call('reply.delete', { workspaceId, replyId: bank.id });
    expect(await call('reply.list', { workspaceId })).toEqual([]);
    expect(await refused('reply.update', { workspaceId, replyId: bank.id, title: 'x' })).toMatch(
      /^NOT_FOUND/,
    );
  });
});

describe('contact card', () => {
  it("shows who the customer is, keeps the owner's name and notes, and lists their chats with each number", async () => {
    const { workspaceId, say, link } = await connectedShop();
    say('Hello');
    say('Do you deliver?');
    const second = await call<{ id: string; e164: E164 }>('number.add', {
      workspaceId,
      number: '08037654321',
    });
    const other = await link(second);
    other.say('Is the second shop open?');
    await expect
      .poll(
        async () => (await call<ContactCard>('contact.card', { workspaceId, chatId: CHAT })).numbers.length,
      )
      .toBe(2);
    const card = await call<ContactCard>('contact.card', { workspaceId, chatId: CHAT });
    expect(card).toMatchObject({
      chatId: CHAT,
      name: 'Adébáyọ̀ Ade',
      whatsappName: 'Adébáyọ̀ Ade',
      nameIsOwners: false,
      phone: CUSTOMER,
      labelIds: [],
      notes: '',
    });
    expect(card.numbers.map((n) => n.businessNumber).sort()).toEqual(['+2348031234567', '+2348037654321']);
    expect(card.messageCount).toBe(card.numbers.reduce((sum, n) => sum + n.messageCount, 0));
    expect(card.messageCount).toBeGreaterThanOrEqual(3);

    const named = await call<ContactCard>('contact.update', {
      workspaceId,
      chatId: CHAT,
      name: ' Mrs Adébáyọ̀ ',
      notes: 'Prefers delivery after 5pm.',
    });
    expect(named).toMatchObject({ name: 'Mrs Adébáyọ̀', whatsappName: 'Adébáyọ̀ Ade', nameIsOwners: true });
    // The push name of the next message does not overwrite the owner's choice.
    say('Thank you');
    await app.pipeline.idle();
    expect((await call<ConversationSummary[]>('conversation.list', { workspaceId }))[0]!.contactName).toBe(
      'Mrs Adébáyọ̀',
    );
    expect((await call<ContactCard>('contact.card', { workspaceId, chatId: CHAT })).notes).toBe(
      'Prefers delivery after 5pm.',
    );
    expect((await call<ContactCard>('contact.update', { workspaceId, chatId: CHAT, name: null })).name).toBe(
      'Adébáyọ̀ Ade',
    );

    expect(await refused('contact.update', { workspaceId, chatId: CHAT, notes: 'n'.repeat(2001) })).toMatch(
      /Notes are too long \(at most 2000 characters\)/,
    );
    expect(await refused('contact.update', { workspaceId, chatId: CHAT, name: '   ' })).toMatch(
      /Name cannot be empty/,
    );
    const elsewhere = await call<{ workspace: { id: string } }>('workspace.create', { name: 'Elsewhere' });
    expect(await refused('contact.card', { workspaceId: elsewhere.workspace.id, chatId: CHAT })).toBe(
      'NOT_FOUND: That chat is not in this workspace.',
    );
    expect(
      await refused('contact.update', { workspaceId: elsewhere.workspace.id, chatId: CHAT, notes: 'mine' }),
    ).toBe('NOT_FOUND: That chat is not in this workspace.');
  });
});
