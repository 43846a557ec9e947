// Issue 13: a conversation policy a shop can trust, through the real stack: the core (createSwitchboard,
// real SQLite file, the contract's handlers) and the unmodified Baileys client against the local WhatsApp
// server, whose simulated phones write as customers do. A Lagos shop (four FAQs) and, for the night, a
// second shop that is always closed. Each numbered problem of the issue is one test; the file ends with
// the outcome check over everything the shop received.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreRuntime, type CoreRuntime } from '../../src/core/handlers/index';
import { checkOutcomes } from '../../src/core/pipeline/outcome-check';
import type { EventPayload } from '../../src/shared/contract';
import { DEFAULT_WORKSPACE_SETTINGS } from '../../src/shared/settings';
import type { WorkspaceId } from '../../src/shared/types';
import type { SimulatedContact } from '../../src/simulator/index';
import { commandCaller, createHarness, linkNumber, waitUntil, type Core, type Harness } from './harness';

const SHOP = '+2348090000001';
const NIGHT_SHOP = '+2348090000002';
const GREETING = DEFAULT_WORKSPACE_SETTINGS.greeting.text;
const HANDOFF = DEFAULT_WORKSPACE_SETTINGS.handoff.message;
const AWAY = DEFAULT_WORKSPACE_SETTINGS.businessHours.awayMessage;
const FAQS = {
  hours: ['What time do you open?', 'We open 8am to 7pm, Monday to Saturday.'],
  delivery: ['How much is delivery?', 'Delivery is 1,500 naira anywhere in Lagos.'],
  payment: ['Do you take transfer?', 'Yes: transfer, POS or cash on delivery.'],
  location: ['Where is your shop?', '12 Allen Avenue, Ikeja.'],
} as const;

let harness: Harness;
let core: Core;
let runtime: CoreRuntime;
let shop: WorkspaceId;
let nightShop: WorkspaceId;
const escalated: EventPayload<'conversation.escalated'>[] = [];
let nextCustomer = 0;

const call = commandCaller(() => runtime);

/** A customer no other test has used. */
function customer(): SimulatedContact {
  nextCustomer += 1;
  return harness.server.contact(`+23480312300${String(nextCustomer).padStart(2, '0')}`);
}

/** What the customer's phone showed, one entry per message (a retry can repeat one). */
const seen = (c: SimulatedContact) => [...new Map(c.replies.map((r) => [r.id, r.text])).values()];

/**
 * The customer writes and everything that follows settles: the message is decided, every reply it asked
 * for is sent, and the phone received each sent reply. Returns what the phone showed after it.
 */
async function say(c: SimulatedContact, to: string, text: string): Promise<string[]> {
  const before = seen(c).length;
  const id = await c.send(to, text);
  const db = core.app.store.db;
  await waitUntil(async () => {
    const row = await db
      .selectFrom('messages')
      .select('status')
      .where('provider_message_id', '=', id)
      .executeTakeFirst();
    return row !== undefined && row.status !== 'received';
  }, `"${text}" to be decided`);
  await core.app.pipeline.idle();
  const chat = `${c.phone.slice(1)}@s.whatsapp.net`;
  await waitUntil(async () => {
    const pending = await db
      .selectFrom('outbox')
      .select('id')
      .where('chat_id', '=', chat)
      .where('status', 'in', ['queued', 'sending'])
      .execute();
    const sent = await db
      .selectFrom('outbox')
      .select('id')
      .where('chat_id', '=', chat)
      .where('status', '=', 'sent')
      .execute();
    return pending.length === 0 && seen(c).length >= sent.length + ownerMessages.get(chat)!;
  }, `the replies to "${text}" to reach the phone`);
  return seen(c).slice(before);
}
/** Messages the owner sent from the app per chat (the phone sees them too). */
const ownerMessages = new Map<string, number>();
const chatOf = (c: SimulatedContact) => `${c.phone.slice(1)}@s.whatsapp.net`;
function track(c: SimulatedContact): SimulatedContact {
  ownerMessages.set(chatOf(c), 0);
  return c;
}

async function ownerReplies(c: SimulatedContact, text: string): Promise<void> {
  await call('conversation.reply', { workspaceId: shop, chatId: chatOf(c), text });
  ownerMessages.set(chatOf(c), ownerMessages.get(chatOf(c))! + 1);
  await waitUntil(() => seen(c).includes(text), 'the owner reply to reach the phone');
}

const chatSummary = async (c: SimulatedContact) =>
  (await call('conversation.list', { workspaceId: shop })).find((s) => s.chatId === chatOf(c));

beforeAll(async () => {
  harness = await createHarness();
  core = await harness.startCore();
  runtime = createCoreRuntime(core.app);
  runtime.events.on('conversation.escalated', (e) => escalated.push(e));
  await core.app.start();
  shop = (await call('workspace.create', { name: 'Chidi Pharmacy', botMode: 'faq' })).workspace.id;
  await call('workspace.updateSettings', { workspaceId: shop, settings: { pacing: { enabled: false } } });
  for (const [question, answer] of Object.values(FAQS)) {
    await call('faq.create', { workspaceId: shop, question, answer });
  }
  await linkNumber(harness, core, SHOP, { id: shop });

  nightShop = (await call('workspace.create', { name: 'Mama Put Kitchen', botMode: 'faq' })).workspace.id;
  const closedEveryDay = { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] };
  await call('workspace.updateSettings', {
    workspaceId: nightShop,
    settings: { pacing: { enabled: false }, businessHours: { enabled: true, days: closedEveryDay } },
  });
  await call('faq.create', { workspaceId: nightShop, question: FAQS.hours[0], answer: FAQS.hours[1] });
  await linkNumber(harness, core, NIGHT_SHOP, { id: nightShop });
}, 60_000);

afterAll(async () => {
  runtime?.close();
  await harness?.cleanup();
});

describe('the conversation policy (issue 13), end to end', () => {
  it('#1 after the owner answers by hand, the next question waits for the owner; Give back to the bot releases it', async () => {
    const ada = track(customer());
    await say(ada, SHOP, FAQS.hours[0]);
    await ownerReplies(ada, 'Hi Ada, we are open till 7 today.');
    expect(await say(ada, SHOP, FAQS.delivery[0])).toEqual([]); // the owner is answering: the bot keeps out
    const waiting = await chatSummary(ada);
    expect(waiting?.waitingSince).not.toBeNull();
    expect((await call('stats.home', { workspaceId: shop })).handoffsWaiting.chats).toBeGreaterThanOrEqual(1);
    expect(escalated.filter((e) => e.chatId === chatOf(ada)).map((e) => e.reason)).toEqual(['owner-paused']);

    expect(await call('conversation.release', { workspaceId: shop, chatId: chatOf(ada) })).toEqual({
      released: 1,
    });
    const after = await chatSummary(ada);
    expect([after?.botPausedUntil, after?.waitingSince, after?.handedOff]).toEqual([null, null, false]);
    expect(await say(ada, SHOP, FAQS.payment[0])).toEqual([FAQS.payment[1]]);
  });

  it('#2 a first message that greets and asks gets the greeting and the answer, one message', async () => {
    const bola = track(customer());
    expect(await say(bola, SHOP, 'Good afternoon, how much is delivery?')).toEqual([
      `${GREETING}\n\n${FAQS.delivery[1]}`,
    ]);
    const chidi = track(customer());
    expect(await say(chidi, SHOP, 'Good afternoon, do you have Panadol Extra in stock?')).toEqual([
      `${GREETING}\n\n${HANDOFF}`,
    ]);
    expect((await chatSummary(chidi))?.handedOff).toBe(true);
    const unanswered = await call('unanswered.list', { workspaceId: shop });
    expect(unanswered.flatMap((g) => g.samples.map((s) => s.text))).toContain(
      'Good afternoon, do you have Panadol Extra in stock?',
    );
  });

  it('#3 small talk never hands the chat over', async () => {
    const dayo = track(customer());
    await say(dayo, SHOP, FAQS.location[0]);
    for (const text of ['thanks!!', 'ok', '👍', 'hello??', 'good morning']) {
      expect(await say(dayo, SHOP, text), text).toEqual([]);
    }
    const chat = await chatSummary(dayo);
    expect([chat?.handedOff, chat?.waitingSince]).toEqual([false, null]);
    // The bot still answers the next question.
    expect(await say(dayo, SHOP, FAQS.hours[0])).toEqual([FAQS.hours[1]]);
  });

  it('#4 requests for a person are recognised, and a second one is acknowledged and alerts again', async () => {
    const emeka = track(customer());
    await say(emeka, SHOP, FAQS.hours[0]);
    expect(await say(emeka, SHOP, 'abeg make I talk to person')).toEqual([HANDOFF]);
    expect(await say(emeka, SHOP, 'please let me talk to someone')).toEqual([HANDOFF]);
    const alerts = escalated.filter((e) => e.chatId === chatOf(emeka));
    expect(alerts.map((e) => [e.reason.split(':')[0], e.again])).toEqual([
      ['handoff-request', false],
      ['handoff-request-again', true],
    ]);
    expect(alerts[0]?.contactPhone).toBe(emeka.phone);
    // Not questions the bot failed: nothing of this in Unanswered.
    const unanswered = await call('unanswered.list', { workspaceId: shop });
    expect(unanswered.flatMap((g) => g.samples.map((s) => s.text))).not.toContain(
      'abeg make I talk to person',
    );
  });

  it('#5 a different question inside the flood window is answered; the same one again is not', async () => {
    const funke = track(customer());
    await say(funke, SHOP, FAQS.hours[0]);
    expect(await say(funke, SHOP, FAQS.hours[0])).toEqual([]);
    expect(await say(funke, SHOP, FAQS.payment[0])).toEqual([FAQS.payment[1]]);
  });

  it('#8 a new customer at night gets greeting, away message and answer in one message', async () => {
    const gbenga = customer();
    const before = seen(gbenga).length;
    const id = await gbenga.send(NIGHT_SHOP, FAQS.hours[0]);
    await waitUntil(async () => seen(gbenga).length > before, 'the night reply');
    await core.app.pipeline.idle();
    expect(seen(gbenga)).toEqual([`${GREETING}\n\n${AWAY}\n\n${FAQS.hours[1]}`]);
    expect(id).toBeTruthy();
  });

  it('#9 an order list goes to a person, not to an FAQ answer', async () => {
    const halima = track(customer());
    await say(halima, SHOP, FAQS.hours[0]);
    const order = 'I want to order:\n2 packs Panadol\n1 Vitamin C\n3 ORS\nHow much is delivery to Ajah?';
    expect(await say(halima, SHOP, order)).toEqual([HANDOFF]);
    expect((await chatSummary(halima))?.waitingReason).toBe('handoff-order');
  });

  it('#10 a question in another language from a new contact is handed over and recorded', async () => {
    const ife = track(customer());
    expect(await say(ife, SHOP, 'Ṣé ẹ ní oògùn ibà?')).toEqual([`${GREETING}\n\n${HANDOFF}`]);
    const unanswered = await call('unanswered.list', { workspaceId: shop });
    expect(unanswered.flatMap((g) => g.samples.map((s) => s.text))).toContain('Ṣé ẹ ní oògùn ibà?');
  });

  it('Take over keeps the bot out until the chat is given back', async () => {
    const kemi = track(customer());
    await say(kemi, SHOP, FAQS.hours[0]);
    await call('conversation.takeOver', { workspaceId: shop, chatId: chatOf(kemi) });
    expect(await say(kemi, SHOP, FAQS.delivery[0])).toEqual([]);
    expect((await chatSummary(kemi))?.waitingSince).not.toBeNull();
    await ownerReplies(kemi, 'Delivery is 1,500, I will send it myself.');
    expect((await chatSummary(kemi))?.waitingSince).toBeNull();
    await call('conversation.release', { workspaceId: shop, chatId: chatOf(kemi) });
    expect(await say(kemi, SHOP, FAQS.location[0])).toEqual([FAQS.location[1]]);
  });

  it('every message the shops received has an outcome the owner can see', async () => {
    for (const workspaceId of [shop, nightShop]) {
      const check = await checkOutcomes(core.app.store.db, workspaceId, Date.now());
      expect(check.missing).toEqual([]);
      expect(check.checked).toBeGreaterThan(0);
    }
  });
});
