// Issue #9: a workspace with one Baileys number and one Cloud number, each message answered through the
// number that received it. One real core (createSwitchboard, real SQLite files, the contract's handlers)
// holds ONE workspace with two numbers: one linked by QR through the real Baileys client against the
// local WhatsApp server, one connected with `cloud.connect` against the local Graph API server, whose
// signed webhooks reach the core's own intake (`/webhooks/whatsapp`, routed by phone_number_id, as on a
// headless host). The same customer writes to both numbers, two others to one each; the FAQ bot answers
// every message once, through the number that received it, and so do the owner's replies. The test only
// watches behaviour: what each simulated phone got, from which number, and what the contract shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreRuntime } from '../../src/core/handlers/index';
import type { E164, WorkspaceId } from '../../src/shared/types';
import type { SimulatedContact } from '../../src/simulator/index';
import type { CloudCustomer, GraphApiServer, SimNumber } from '../../src/simulator/graph-api/index';
import { cloudConnectInput, startCloudCore, type CloudCore } from './cloud-core';
import {
  commandCaller,
  createHarness,
  createQuietShop,
  isQr,
  type Core,
  type Harness,
  waitUntil,
} from './harness';

/** Linked by QR (Baileys). */
const QR_SHOP = '+2348090000001' as E164;
/** On the Cloud API. */
const CLOUD_SHOP = '+2348090000002' as E164;
/** Writes to both numbers. */
const ADA = '+2348031234567';
/** Writes to the QR-linked number only. */
const BOLA = '+2348035550101';
/** Writes to the Cloud number only. */
const CHIDI = '+2348037770202';

const FAQS = {
  hours: ['What are your opening hours?', 'We are open 8am to 6pm, Monday to Saturday.'],
  delivery: ['Do you deliver to Yaba?', 'Yes, we deliver to Yaba for 1,500 naira.'],
  price: ['How much is paracetamol?', 'Paracetamol is 800 naira a pack.'],
} as const;

/** Who asked what, of which number. */
const ASKED: Record<string, readonly [string, string]> = {
  [`${ADA} -> ${QR_SHOP}`]: FAQS.hours,
  [`${ADA} -> ${CLOUD_SHOP}`]: FAQS.delivery,
  [`${BOLA} -> ${QR_SHOP}`]: FAQS.price,
  [`${CHIDI} -> ${CLOUD_SHOP}`]: FAQS.hours,
};

let harness: Harness;
let core: Core;
let runtime: CoreRuntime;
let sim: GraphApiServer;
let cloudNumber: SimNumber;
let cloud: CloudCore;
let workspaceId: WorkspaceId;

const call = commandCaller(() => runtime);
const waitFor = waitUntil;

/** What a QR-linked number's customer saw: one entry per distinct message (a retry can repeat one). */
const qrReplies = (contact: SimulatedContact) => [
  ...new Map(contact.replies.map((r) => [r.id, { text: r.text, from: r.from }])).values(),
];

/** What the Cloud API accepted for this customer, and from which phone_number_id. */
const cloudSends = (customer: CloudCustomer) =>
  sim.sent
    .filter((s) => s.to === customer.address)
    .map((s) => ({ text: s.text, phoneNumberId: s.phoneNumberId }));

/** Every inbound message decided and every reply it asked for handed to WhatsApp: nothing else is coming. */
async function pipelineSettled(): Promise<boolean> {
  const db = core.app.store.db;
  const undecided = await db
    .selectFrom('messages')
    .select('id')
    .where('direction', '=', 'in')
    .where('status', '=', 'received')
    .execute();
  const pending = await db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute();
  return undecided.length === 0 && pending.length === 0;
}

describe('one workspace, a QR-linked number and a Cloud API number', () => {
  beforeAll(async () => {
    harness = await createHarness();
    // Meta's webhooks reach the core's own intake, which routes them by phone_number_id.
    ({ sim, core, runtime } = cloud = await startCloudCore(harness));
    cloudNumber = sim.addNumber({
      phone: CLOUD_SHOP,
      verifiedName: 'Mama Put Kitchen',
      qualityRating: 'GREEN',
    });
    workspaceId = await createQuietShop(call, 'Mama Put Kitchen');
    for (const [question, answer] of Object.values(FAQS)) {
      await call('faq.create', { workspaceId, question, answer, phrasings: [question] });
    }

    // (a) the QR-linked number, paired as the owner would: a QR shown, scanned with the shop's phone.
    const qrNumber = await call('number.add', { workspaceId, number: QR_SHOP });
    const from = core.events.length;
    await call('connection.pair', { workspaceId, phoneNumberId: qrNumber.id });
    const qr = await core.waitFor(
      (e): e is Extract<typeof e, { type: 'qr' }> => isQr(e) && e.number === QR_SHOP,
      15_000,
      from,
    );
    await harness.server.scanQr(qr.qr, QR_SHOP);

    // (b) the Cloud number, checked live and stored with its app secret (the intake needs it).
    const view = await call(
      'cloud.connect',
      cloudConnectInput(sim, workspaceId, cloudNumber, 'mama-put-verify'),
    );
    expect(view).toMatchObject({ e164: CLOUD_SHOP, takesWebhooks: true });

    await waitFor(async () => {
      const states = await call('connection.list', { workspaceId });
      return states.length === 2 && states.every((s) => s.status === 'connected');
    }, 'both numbers connected');
  }, 30_000);

  afterAll(async () => {
    await cloud?.close();
    await harness?.cleanup();
  }, 30_000);

  it('both numbers serve the one workspace, each on its own provider', async () => {
    const numbers = await core.app.workspaces.listNumbers(workspaceId);
    expect(numbers.map((n) => [n.e164, n.provider]).sort()).toEqual([
      [QR_SHOP, 'baileys'],
      [CLOUD_SHOP, 'cloud-api'],
    ]);
    const states = await call('connection.list', { workspaceId });
    expect(states.map((s) => [s.e164, s.status]).sort()).toEqual([
      [QR_SHOP, 'connected'],
      [CLOUD_SHOP, 'connected'],
    ]);
    expect(core.app.connections.provider(workspaceId, QR_SHOP).kind).toBe('baileys');
    expect(core.app.connections.provider(workspaceId, CLOUD_SHOP).kind).toBe('cloud-api');
  });

  it('answers every message once, through the number that received it', async () => {
    const adaQr = harness.server.contact(ADA);
    const bolaQr = harness.server.contact(BOLA);
    const chidiQr = harness.server.contact(CHIDI);
    const adaCloud = sim.customer(ADA, { name: 'Ada' });
    const bolaCloud = sim.customer(BOLA, { name: 'Bola' });
    const chidiCloud = sim.customer(CHIDI, { name: 'Chidi' });

    // Ada writes to both numbers at once (a different question to each); Bola and Chidi to one each.
    await Promise.all([
      adaQr.send(QR_SHOP, FAQS.hours[0]),
      adaCloud.send(CLOUD_SHOP, FAQS.delivery[0]),
      bolaQr.send(QR_SHOP, FAQS.price[0]),
      chidiCloud.send(CLOUD_SHOP, FAQS.hours[0]),
    ]);

    await adaQr.waitForReplies(1, 15_000);
    await bolaQr.waitForReplies(1, 15_000);
    await adaCloud.waitForReplies(1, 15_000);
    await chidiCloud.waitForReplies(1, 15_000);
    // Four messages stored, all decided, and every reply they asked for handed over: nothing more comes.
    await waitFor(async () => {
      const inbound = await core.app.store.db
        .selectFrom('messages')
        .select('id')
        .where('direction', '=', 'in')
        .execute();
      return inbound.length === 4 && (await pipelineSettled());
    }, 'the pipeline to settle');
    await sim.idle();

    // Over the QR-linked number: Ada's and Bola's answers, from that number, once each.
    expect(qrReplies(adaQr)).toEqual([{ text: FAQS.hours[1], from: QR_SHOP }]);
    expect(qrReplies(bolaQr)).toEqual([{ text: FAQS.price[1], from: QR_SHOP }]);
    expect(qrReplies(chidiQr)).toEqual([]);
    // Over the Cloud API: Ada's and Chidi's answers, sent as the Cloud number, once each.
    const cloudId = cloudNumber.phoneNumberId;
    expect(cloudSends(adaCloud)).toEqual([{ text: FAQS.delivery[1], phoneNumberId: cloudId }]);
    expect(cloudSends(chidiCloud)).toEqual([{ text: FAQS.hours[1], phoneNumberId: cloudId }]);
    expect(cloudSends(bolaCloud)).toEqual([]);
    expect(adaCloud.replies.map((r) => r.from)).toEqual([CLOUD_SHOP]);
    expect(sim.sent).toHaveLength(2);

    // The store agrees: one bot reply per message, in the same chat and on the same number.
    const db = core.app.store.db;
    const inbound = await db
      .selectFrom('messages')
      .select(['id', 'business_number', 'chat_id', 'text'])
      .where('direction', '=', 'in')
      .execute();
    const outbox = await db.selectFrom('outbox').selectAll().execute();
    expect(outbox).toHaveLength(4);
    for (const message of inbound) {
      const replies = outbox.filter((o) => o.inbound_message_id === message.id);
      expect(replies, `replies to "${message.text}" on ${message.business_number}`).toHaveLength(1);
      expect(replies[0]).toMatchObject({
        business_number: message.business_number,
        chat_id: message.chat_id,
        kind: 'faq',
        status: 'sent',
      });
    }
  });

  it('shows every chat under the one workspace, Ada twice: once per number', async () => {
    const chats = await call('conversation.list', { workspaceId, limit: 50 });
    expect(chats).toHaveLength(4);
    const byPhone = (phone: string) => chats.filter((c) => c.contactPhone === phone);
    const ada = byPhone(ADA);
    expect(ada.map((c) => c.businessNumber).sort()).toEqual([QR_SHOP, CLOUD_SHOP]);
    expect(new Set(ada.map((c) => c.chatId)).size).toBe(2);
    expect(byPhone(BOLA).map((c) => c.businessNumber)).toEqual([QR_SHOP]);
    expect(byPhone(CHIDI).map((c) => c.businessNumber)).toEqual([CLOUD_SHOP]);
    for (const chat of chats) {
      expect(chat).toMatchObject({ handedOff: false, lastMessage: { author: 'bot' } });
      // Each thread holds its own question and answer, nothing from the customer's other chat.
      const thread = await call('conversation.thread', { workspaceId, chatId: chat.chatId, limit: 50 });
      const [question, answer] = ASKED[`${chat.contactPhone} -> ${chat.businessNumber}`]!;
      expect(thread.messages.map((m) => [m.author, m.text])).toEqual([
        ['contact', question],
        ['bot', answer],
      ]);
    }
  });

  it("sends the owner's reply in each chat through that chat's number", async () => {
    const chats = await call('conversation.list', { workspaceId, limit: 50 });
    const qrBefore = new Map(
      [ADA, BOLA, CHIDI].map((p) => [p, qrReplies(harness.server.contact(p)).length] as const),
    );
    const cloudBefore = sim.sent.length;
    const sentText = new Map<string, string>();
    for (const chat of chats) {
      const text = `Owner here, ${chat.contactPhone} on ${chat.businessNumber}: thanks for writing!`;
      sentText.set(chat.chatId, text);
      const reply = await call('conversation.reply', { workspaceId, chatId: chat.chatId, text });
      expect(reply).toMatchObject({ author: 'owner', text, status: 'sent' });
    }

    const qrChats = chats.filter((c) => c.businessNumber === QR_SHOP);
    const cloudChats = chats.filter((c) => c.businessNumber === CLOUD_SHOP);
    for (const chat of qrChats) {
      const contact = harness.server.contact(chat.contactPhone!);
      await waitFor(
        () => qrReplies(contact).length === qrBefore.get(chat.contactPhone!)! + 1,
        `the owner's reply to ${chat.contactPhone} over the QR-linked number`,
      );
      expect(qrReplies(contact).at(-1)).toEqual({ text: sentText.get(chat.chatId), from: QR_SHOP });
    }
    for (const chat of cloudChats) {
      const customer = sim.customer(chat.contactPhone!);
      const sends = cloudSends(customer);
      expect(sends.at(-1)).toEqual({
        text: sentText.get(chat.chatId),
        phoneNumberId: cloudNumber.phoneNumberId,
      });
    }
    // Nothing went the other way: the Cloud API took only the Cloud chats' replies...
    expect(sim.sent.length - cloudBefore).toBe(cloudChats.length);
    // ...and Chidi, who only wrote to the Cloud number, never heard from the QR-linked one.
    expect(qrReplies(harness.server.contact(CHIDI))).toEqual([]);
    expect(cloudSends(sim.customer(BOLA))).toEqual([]);

    const after = await call('conversation.list', { workspaceId, limit: 50 });
    expect(after).toHaveLength(4);
    for (const chat of after) {
      const before = chats.find((c) => c.chatId === chat.chatId)!;
      expect(chat).toMatchObject({
        businessNumber: before.businessNumber,
        lastMessage: { author: 'owner', text: sentText.get(chat.chatId) },
      });
    }
    // The owner's replies are stored on the number they went out through.
    const owner = await core.app.store.db
      .selectFrom('messages')
      .select(['chat_id', 'business_number'])
      .where('author', '=', 'owner')
      .execute();
    expect(owner).toHaveLength(4);
    for (const row of owner) {
      expect(row.business_number).toBe(chats.find((c) => c.chatId === row.chat_id)!.businessNumber);
    }
  });

  it("never falls back to the other kind of number when a chat's own number is offline", async () => {
    const chats = await call('conversation.list', { workspaceId, limit: 50 });
    const cloudChat = chats.find((c) => c.businessNumber === CLOUD_SHOP)!;
    const qrBefore = [ADA, BOLA, CHIDI].map((p) => qrReplies(harness.server.contact(p)).length);
    const cloudBefore = sim.sent.length;
    await core.app.connections.remove(workspaceId, CLOUD_SHOP);
    // A Cloud chat's id is a wa_id: the QR-linked number could not even address it.
    await expect(
      call('conversation.reply', { workspaceId, chatId: cloudChat.chatId, text: 'Are you there?' }),
    ).rejects.toThrow(`${CLOUD_SHOP}, the number this customer wrote to, is not connected right now`);
    expect([ADA, BOLA, CHIDI].map((p) => qrReplies(harness.server.contact(p)).length)).toEqual(qrBefore);
    expect(sim.sent.length).toBe(cloudBefore);
  });
});
