// Issue 16: the clarifying question and learning from the owner, through the real stack: the core
// (createSwitchboard, real SQLite file, the contract's handlers) and the unmodified Baileys client
// against the local WhatsApp server, whose simulated phones write as customers do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreRuntime, type CoreRuntime } from '../../src/core/handlers/index';
import { checkOutcomes } from '../../src/core/pipeline/outcome-check';
import { DELIVERY_FAQS, unsureDeliveryQuestion } from '../../src/core/testing/delivery-faqs';
import { DEFAULT_WORKSPACE_SETTINGS } from '../../src/shared/settings';
import type { WorkspaceId } from '../../src/shared/types';
import type { SimulatedContact } from '../../src/simulator/index';
import { commandCaller, createHarness, linkNumber, waitUntil, type Core, type Harness } from './harness';

const SHOP = '+2348090000001';
const GREETING = DEFAULT_WORKSPACE_SETTINGS.greeting.text;
const HANDOFF = DEFAULT_WORKSPACE_SETTINGS.handoff.message;
const HOURS = {
  question: 'What time do you open?',
  answer: 'We open 8am to 7pm.',
  phrasings: [],
  enabled: true,
};
const UNSURE = unsureDeliveryQuestion([{ ...HOURS, id: 'hours' }]);
const [FIRST, SECOND] = UNSURE.offered.map((i) => DELIVERY_FAQS[i]!);
const ASK = `Do you mean 1) ${FIRST!.question.slice(0, -1)} or 2) ${SECOND!.question.slice(0, -1)}? Reply 1 or 2`;

let harness: Harness;
let core: Core;
let runtime: CoreRuntime;
let shop: WorkspaceId;
let hoursFaqId: string;
let nextCustomer = 0;
const call = commandCaller(() => runtime);
const ownerMessages = new Map<string, number>();
const chatOf = (c: SimulatedContact) => `${c.phone.slice(1)}@s.whatsapp.net`;
const seen = (c: SimulatedContact) => [...new Map(c.replies.map((r) => [r.id, r.text])).values()];

function customer(): SimulatedContact {
  nextCustomer += 1;
  const c = harness.server.contact(`+23480312400${String(nextCustomer).padStart(2, '0')}`);
  ownerMessages.set(chatOf(c), 0);
  return c;
}

/** The customer writes; resolves once it is decided and every reply it asked for reached the phone. */
async function say(c: SimulatedContact, text: string): Promise<string[]> {
  const before = seen(c).length;
  const id = await c.send(SHOP, text);
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
  await waitUntil(async () => {
    const rows = await db.selectFrom('outbox').select('status').where('chat_id', '=', chatOf(c)).execute();
    const sent = rows.filter((r) => r.status === 'sent').length;
    return (
      rows.every((r) => r.status !== 'queued' && r.status !== 'sending') &&
      seen(c).length >= sent + ownerMessages.get(chatOf(c))!
    );
  }, `the replies to "${text}" to reach the phone`);
  return seen(c).slice(before);
}

const chatSummary = async (c: SimulatedContact) =>
  (await call('conversation.list', { workspaceId: shop })).find((s) => s.chatId === chatOf(c));

beforeAll(async () => {
  harness = await createHarness();
  core = await harness.startCore();
  runtime = createCoreRuntime(core.app);
  await core.app.start();
  shop = (await call('workspace.create', { name: 'Lekki Gadgets', botMode: 'faq' })).workspace.id;
  await call('workspace.updateSettings', { workspaceId: shop, settings: { pacing: { enabled: false } } });
  hoursFaqId = (await call('faq.create', { workspaceId: shop, ...HOURS })).id;
  for (const faq of DELIVERY_FAQS) await call('faq.create', { workspaceId: shop, ...faq });
  await linkNumber(harness, core, SHOP, { id: shop });
}, 60_000);

afterAll(async () => {
  runtime?.close();
  await harness?.cleanup();
});

describe('the clarifying question and learning from the owner (issue 16), end to end', () => {
  it('asks which FAQ the customer means and answers the one picked ("the second one")', async () => {
    const ada = customer();
    expect(await say(ada, UNSURE.text)).toEqual([`${GREETING}\n\n${ASK}`]);
    expect(await say(ada, 'the second one')).toEqual([SECOND!.answer]);
    const chat = await chatSummary(ada);
    expect([chat?.handedOff, chat?.waitingSince]).toEqual([false, null]);
    // A later question is the bot's again, not read as a pick.
    expect(await say(ada, HOURS.question)).toEqual([HOURS.answer]);
  });

  it('"1", Pidgin "na the first one"; a refusal hands the chat to a person', async () => {
    const bola = customer();
    await say(bola, UNSURE.text);
    expect(await say(bola, '1')).toEqual([FIRST!.answer]);

    const chidi = customer();
    await say(chidi, UNSURE.text);
    expect(await say(chidi, 'na the first one')).toEqual([FIRST!.answer]);

    const dayo = customer();
    await say(dayo, UNSURE.text);
    expect(await say(dayo, 'neither')).toEqual([HANDOFF]);
    const chat = await chatSummary(dayo);
    expect(chat?.handedOff).toBe(true);
    expect(chat?.waitingReason).toBe('handoff-clarify-none');
  });

  it('the owner answers a handed-over question by hand and saves it as a phrasing: the bot answers it next time', async () => {
    const emeka = customer();
    const question = 'till when una dey for shop';
    expect(await say(emeka, question)).toEqual([`${GREETING}\n\n${HANDOFF}`]);
    expect(await call('learn.suggest', { workspaceId: shop, chatId: chatOf(emeka) })).toBeNull(); // not answered yet

    await call('conversation.reply', {
      workspaceId: shop,
      chatId: chatOf(emeka),
      text: 'We close 7pm daily.',
    });
    ownerMessages.set(chatOf(emeka), 1);
    await waitUntil(() => seen(emeka).includes('We close 7pm daily.'), 'the owner reply to reach the phone');

    const suggestion = await call('learn.suggest', { workspaceId: shop, chatId: chatOf(emeka) });
    expect(suggestion).toMatchObject({
      question,
      ownerAnswer: 'We close 7pm daily.',
      closest: { faqId: hoursFaqId, question: HOURS.question },
    });
    await call('learn.save', {
      workspaceId: shop,
      chatId: chatOf(emeka),
      question,
      action: { type: 'add-phrasing', faqId: suggestion!.closest!.faqId },
    });
    // Offered once: saved, the thread no longer offers it.
    expect(await call('learn.suggest', { workspaceId: shop, chatId: chatOf(emeka) })).toBeNull();
    const week = await call('learn.week', { workspaceId: shop });
    expect(week).toMatchObject({ phrasings: 1, faqs: 0 });
    expect(week.items[0]).toMatchObject({ kind: 'phrasing', text: question, faqQuestion: HOURS.question });

    // Another customer asks the same: the bot answers it now.
    const funke = customer();
    expect(await say(funke, question)).toEqual([`${GREETING}\n\n${HOURS.answer}`]);
  });

  it("Unanswered's new FAQ is sent to the customers who asked, once, however often the owner presses send", async () => {
    const question = 'do you fix cracked screens';
    const waiting = [customer(), customer()];
    for (const c of waiting) expect(await say(c, question)).toEqual([`${GREETING}\n\n${HANDOFF}`]);
    const group = (await call('unanswered.list', { workspaceId: shop })).find((g) =>
      g.samples.some((q) => q.text === question),
    );
    expect(group?.count).toBe(2);
    const answer = 'Yes: a new screen is fitted the same day, from ₦25,000.';
    const { faqId } = await call('unanswered.resolve', {
      workspaceId: shop,
      ids: group!.ids,
      action: { type: 'new-faq', question: 'Do you fix cracked screens?', answer },
    });
    expect(
      await call('learn.sendAnswer', { workspaceId: shop, faqId: faqId!, questionIds: group!.ids }),
    ).toEqual({
      sent: 2,
      skipped: 0,
    });
    for (const c of waiting) ownerMessages.set(chatOf(c), 0);
    await core.app.pipeline.idle();
    for (const c of waiting)
      await waitUntil(() => seen(c).includes(answer), 'the new answer to reach the phone');
    // Pressed again (another screen, a double click): nothing more goes out.
    expect(
      await call('learn.sendAnswer', { workspaceId: shop, faqId: faqId!, questionIds: group!.ids }),
    ).toEqual({
      sent: 0,
      skipped: 0,
    });
    await core.app.pipeline.idle();
    const db = core.app.store.db;
    for (const c of waiting) {
      const rows = await db
        .selectFrom('outbox')
        .select(['text', 'status'])
        .where('chat_id', '=', chatOf(c))
        .execute();
      expect(rows.filter((r) => r.text === answer)).toEqual([{ text: answer, status: 'sent' }]);
      expect(seen(c).filter((t) => t === answer)).toHaveLength(1);
      const chat = await chatSummary(c);
      expect(chat?.waitingSince).toBeNull();
    }
  });

  it('every customer message ended in an outcome the owner can see', async () => {
    const result = await checkOutcomes(core.app.store.db, shop, Date.now());
    expect(result.missing).toEqual([]);
    expect(result.checked).toBeGreaterThan(10);
  });
});
