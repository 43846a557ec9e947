// Issue 13: a simulated shop day, end to end. 150 customers of one Lagos shop write what customers write
// (greetings, questions the FAQs answer and questions they do not, small talk, requests for a person,
// bursts, orders, photos; some switch to their LID half-way), the owner answers some chats by hand, takes
// some over and gives some back, and the PC restarts in the middle while customers keep writing. Real
// core, real SQLite file, unmodified Baileys client, local WhatsApp server. At the end of the day the
// outcome check must find no customer message without an outcome, and no message answered twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreRuntime, type CoreRuntime } from '../../src/core/handlers/index';
import { checkOutcomes } from '../../src/core/pipeline/outcome-check';
import type { WorkspaceId } from '../../src/shared/types';
import type { SimulatedContact } from '../../src/simulator/index';
import { commandCaller, createHarness, linkNumber, waitUntil, type Core, type Harness } from './harness';

const SHOP = '+2348090000001';
const CUSTOMERS = 150;
const FAQS: [string, string][] = [
  ['What time do you open?', 'We open 8am to 7pm, Monday to Saturday.'],
  ['How much is delivery?', 'Delivery is 1,500 naira anywhere in Lagos.'],
  ['Do you take transfer?', 'Yes: transfer, POS or cash on delivery.'],
  ['Where is your shop?', '12 Allen Avenue, Ikeja.'],
  ['Do you sell Panadol?', 'Yes, Panadol is 800 naira a pack.'],
];

/** What customers write, by kind. */
const SAY = {
  greeting: ['hi', 'Good morning', 'hello??', 'how far', 'Good afternoon sir'],
  question: FAQS.map(([q]) => q),
  greetingQuestion: ['Good morning, how much is delivery?', 'hi, where is your shop?'],
  unknown: ['Do you sell fridges?', 'Is the blue one still available?', 'Ṣé ẹ ní oògùn ibà?'],
  smallTalk: ['thanks!!', 'ok', '👍', 'bye', 'Thank you so much'],
  person: ['please let me talk to someone', 'abeg make I talk to person', 'call me', 'I need an agent'],
  order: ['I want to order:\n2 packs Panadol\n1 Vitamin C\n3 ORS'],
};
type Kind = keyof typeof SAY;
const KINDS: Kind[] = [
  'greeting',
  'question',
  'question',
  'greetingQuestion',
  'unknown',
  'smallTalk',
  'person',
  'order',
];

/** A small deterministic random source: the same day every run. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const random = lcg(13);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

let harness: Harness;
let core: Core;
let runtime: CoreRuntime;
let shop: WorkspaceId;
const call = commandCaller(() => runtime);

async function startCore(): Promise<void> {
  core = await harness.startCore();
  runtime = createCoreRuntime(core.app);
  await core.app.start();
}

/** Every message the server delivered is stored and decided, and every reply asked for is final. */
async function settled(expectedMessages: number): Promise<void> {
  const db = core.app.store.db;
  await waitUntil(
    async () => {
      const inbound = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', shop)
        .where('direction', '=', 'in')
        .executeTakeFirstOrThrow();
      const undecided = await db
        .selectFrom('messages')
        .select('id')
        .where('direction', '=', 'in')
        .where('status', '=', 'received')
        .execute();
      const pending = await db
        .selectFrom('outbox')
        .select('id')
        .where('status', 'in', ['queued', 'sending'])
        .execute();
      return Number(inbound.n) >= expectedMessages && undecided.length === 0 && pending.length === 0;
    },
    `${expectedMessages} messages to be decided and answered`,
    180_000,
  );
  await core.app.pipeline.idle();
}

beforeAll(async () => {
  harness = await createHarness();
  await startCore();
  shop = (await call('workspace.create', { name: 'Chidi Pharmacy', botMode: 'faq' })).workspace.id;
  await call('workspace.updateSettings', { workspaceId: shop, settings: { pacing: { enabled: false } } });
  for (const [question, answer] of FAQS) await call('faq.create', { workspaceId: shop, question, answer });
  await linkNumber(harness, core, SHOP, { id: shop });
}, 60_000);

afterAll(async () => {
  runtime?.close();
  await harness?.cleanup();
});

describe('a simulated shop day', () => {
  it('leaves no customer message without an outcome, and none answered twice', async () => {
    const customers: SimulatedContact[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      customers.push(harness.server.contact(`+2348035${String(i).padStart(6, '0')}`));
    }
    const chatOf = (c: SimulatedContact) => c.pnJid;
    let sent = 0;
    const write = async (c: SimulatedContact, kind: Kind) => {
      sent += 1;
      await c.send(SHOP, pick(SAY[kind]));
    };
    /** One round: every customer writes one or two messages (a burst now and then), in waves of 25. */
    const round = async (who: readonly SimulatedContact[]) => {
      for (let i = 0; i < who.length; i += 25) {
        await Promise.all(
          who.slice(i, i + 25).map(async (c) => {
            await write(c, pick(KINDS));
            if (random() < 0.2) await write(c, pick(KINDS)); // a second message straight after
          }),
        );
      }
    };

    // Morning.
    await round(customers);
    await settled(sent);

    // The owner works through some chats: answers by hand, takes over, gives back.
    for (const c of customers.slice(0, 30)) {
      const r = random();
      if (r < 0.5) {
        await call('conversation.reply', { workspaceId: shop, chatId: chatOf(c), text: 'Hello, I am here.' });
      } else if (r < 0.75) {
        await call('conversation.takeOver', { workspaceId: shop, chatId: chatOf(c) });
      } else {
        await call('conversation.release', { workspaceId: shop, chatId: chatOf(c) });
      }
    }
    // Some customers move to their LID (WhatsApp's migration), with the phone number in the envelope.
    for (const c of customers.slice(100, 120)) c.addressBy({ mode: 'lid', alt: true });

    // Midday: the PC restarts while customers keep writing.
    const midday = round(customers.slice(40, 110));
    await core.close();
    await midday;
    await startCore();
    await settled(sent);

    // Afternoon: the owner gives some chats back; everyone writes once more.
    for (const c of customers.slice(0, 15)) {
      await call('conversation.release', { workspaceId: shop, chatId: chatOf(c) });
    }
    await round(customers);
    await settled(sent);

    const check = await checkOutcomes(core.app.store.db, shop, Date.now());
    expect(check.missing).toEqual([]);
    expect(check.checked).toBe(sent);

    // Answered at most once: one bot reply per customer message, and no phone got the same reply twice.
    const perMessage = await core.app.store.db
      .selectFrom('outbox')
      .select(['inbound_message_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('workspace_id', '=', shop)
      .where('status', '!=', 'cancelled')
      .groupBy('inbound_message_id')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(perMessage).toEqual([]);
    const rows = await core.app.store.db
      .selectFrom('outbox')
      .select(['id', 'chat_id'])
      .where('workspace_id', '=', shop)
      .where('status', '=', 'sent')
      .execute();
    for (const c of customers) {
      const ids = c.replies.map((r) => r.id);
      const mine = rows.filter((r) => r.chat_id === chatOf(c)).map((r) => r.id);
      // Every bot reply the shop sent this customer reached the phone (retries may repeat one).
      for (const id of mine) expect(ids, c.phone).toContain(id);
    }
    // The day's figures, printed for the closing note.
    const outcomes = await core.app.store.db
      .selectFrom('messages')
      .select(['disposition', (eb) => eb.fn.countAll<number>().as('n')])
      .where('workspace_id', '=', shop)
      .where('direction', '=', 'in')
      .groupBy('disposition')
      .execute();
    // eslint-disable-next-line no-console -- the figures a reader of the test output wants
    console.log(`shop day: ${sent} customer messages`, JSON.stringify(outcomes));
  }, 600_000);
});
