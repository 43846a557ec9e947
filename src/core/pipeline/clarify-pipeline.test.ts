import { afterEach, describe, expect, it } from 'vitest';
import { createConversationRepository } from '../store/repositories/conversations';
import { createFaqRepository } from '../store/repositories/faqs';
import { createOutboxRepository } from '../store/repositories/outbox';
import { DELIVERY_FAQS, unsureDeliveryQuestion } from '../testing/delivery-faqs';
import { checkOutcomes } from './outcome-check';
import { createKit, FAQS, NUMBER_A, WS_A, type Kit } from './testing/pipeline-kit';

/** The clarifying question through the whole pipeline: real store, real matcher, fake clock. */
const CHAT = '2348031234567@s.whatsapp.net';
const OTHER = '2348037654321@s.whatsapp.net';
const SHOP_FAQS = FAQS.map((f) => ({ ...f, id: `${WS_A}-${f.id}`, phrasings: [], enabled: true }));
const UNSURE = unsureDeliveryQuestion(SHOP_FAQS);
const [FIRST, SECOND] = UNSURE.offered.map((i) => DELIVERY_FAQS[i]!);
const ASK = `Do you mean 1) ${FIRST!.question.slice(0, -1)} or 2) ${SECOND!.question.slice(0, -1)}? Reply 1 or 2`;
let kit: Kit;
afterEach(() => kit.cleanup());

async function shop(): Promise<Kit> {
  const k = await createKit();
  const faqs = createFaqRepository(k.store.db, () => `phr-${Math.random()}`);
  for (const [i, f] of DELIVERY_FAQS.entries()) await faqs.create(WS_A, `faq-delivery-${i + 1}`, f, 1);
  k.pipeline.invalidate(WS_A);
  return k;
}
const texts = async (chat = CHAT) =>
  (await createOutboxRepository(kit.store.db).listByChat(WS_A, chat)).map((r) => r.text);
const state = (chat = CHAT) => createConversationRepository(kit.store.db).get(WS_A, NUMBER_A, chat);
const from = (chat: string) => ({ chatId: chat, sender: { phone: null, waId: chat, name: null } });

describe('the clarifying question in the pipeline', () => {
  it("asks, and answers the customer's pick; the log says what happened in plain words", async () => {
    kit = await shop();
    kit.receive(UNSURE.text);
    // Not drive() alone: it would run the clock on to the question's expiry.
    await kit.drive({ until: async () => (await texts()).length > 0 });
    expect((await texts()).at(-1)).toContain(ASK);
    expect((await state())?.clarification?.faqIds).toEqual(
      UNSURE.offered.map((i) => `faq-delivery-${i + 1}`),
    );
    expect(kit.sink.ofType('message.decided').at(-1)!.message).toMatch(
      /Not sure which of 2 FAQs .* reply with a number/,
    );

    kit.receive('the second one');
    await kit.drive({ until: async () => (await state())?.clarification === null });
    expect((await texts()).at(-1)).toBe(SECOND!.answer);
    expect(kit.sink.ofType('message.decided').at(-1)!.message).toMatch(/picked answer 2/);
    expect((await checkOutcomes(kit.store.db, WS_A, kit.timers.now())).missing).toEqual([]);
  });

  it('a refusal, or no reply in time, hands the chat to a person, who is told', async () => {
    kit = await shop();
    kit.receive(UNSURE.text);
    kit.receive(UNSURE.text, from(OTHER));
    await kit.drive({ until: async () => (await state(OTHER))?.clarification != null });
    kit.receive('neither', from(OTHER));
    await kit.drive({ until: async () => (await state(OTHER))?.waiting != null });
    expect((await state(OTHER))?.waiting?.reason).toBe('handoff-clarify-none');

    // Nobody picks in the first chat: after clarifyWaitMinutes (15) the pipeline's timer hands it over.
    await kit.drive({ until: async () => (await state())?.waiting != null, maxMs: 20 * 60_000 });
    expect(await state()).toMatchObject({
      clarification: null,
      waiting: { reason: 'handoff-clarify-timeout' },
      handoff: { reason: 'handoff-clarify-timeout' },
    });
    expect((await texts()).at(-1)).toMatch(/./);
    expect(
      kit.alerts.filter((a) => a.type === 'handoff').map((a) => a.type === 'handoff' && a.reason),
    ).toEqual(['handoff-clarify-none', 'handoff-clarify-timeout']);
    expect(kit.sink.ofType('clarify.timed_out')).toHaveLength(1);
    expect((await checkOutcomes(kit.store.db, WS_A, kit.timers.now())).missing).toEqual([]);
  });

  it('a question still pending at a restart is handed over by the new pipeline once due', async () => {
    kit = await shop();
    kit.receive(UNSURE.text);
    await kit.drive({ until: async () => (await state())?.clarification != null });
    await kit.pipeline.stop();
    await kit.timers.advance(16 * 60_000);
    const { pipeline } = await kit.restart();
    await kit.drive({ until: async () => (await state())?.waiting != null });
    expect((await state())?.waiting?.reason).toBe('handoff-clarify-timeout');
    await pipeline.stop();
  });

  it('switched off, the unsure question goes to a person as before', async () => {
    kit = await shop();
    await kit.setSettings(WS_A, { pacing: { enabled: false }, faq: { clarify: false } });
    kit.receive(UNSURE.text);
    await kit.drive();
    expect((await state())?.waiting?.reason).toBe('handoff-bot:no-confident-match');
    expect(await texts()).not.toContain(ASK);
  });
});
