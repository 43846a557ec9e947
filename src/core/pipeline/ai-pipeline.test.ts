import { afterEach, describe, expect, it } from 'vitest';
import { workspaceSettingsSchema, type WorkspaceSettingsInput } from '../../shared/settings';
import type { BotMode, WorkspaceId } from '../../shared/types';
import { createBudgetLedger } from '../bot/ai/cost';
import {
  startLlmServer,
  type LlmReply,
  type LlmRequestLog,
  type LlmServer,
} from '../bot/ai/testing/llm-server';
import { createWorkspaceAiFactory, type AiKeyStore } from '../bot/ai/workspace-ai';
import { createUnansweredRepository } from '../store/repositories/unanswered-questions';
import { createLogger } from '../log/logger';
import { createOutboxRepository } from '../store/repositories/outbox';
import { createWorkspaceRepository } from '../store/repositories/workspaces';
import { createMemorySink } from '../testing/memory-sink';
import { createKit, START, WS_A, type Kit } from './testing/pipeline-kit';

/**
 * The AI in the pipeline (bot modes 'hybrid' and 'ai'), against a local LLM server speaking the
 * OpenAI chat-completions protocol on 127.0.0.1. The pipeline's clock is fake; the HTTP is real.
 */
const CHAT = '2348031234567@s.whatsapp.net';
const OTHER_CHAT = '2348039999999@s.whatsapp.net';
let kit: Kit;
let llm: LlmServer;
afterEach(async () => {
  await kit.cleanup();
  await llm.close();
});

const keys = new Map<string, string>();
const keyStore: AiKeyStore = { get: (ws, id) => Promise.resolve(keys.get(`${ws}/${id}`) ?? null) };

async function setup(
  options: {
    mode?: BotMode;
    respond?: (request: LlmRequestLog, index: number) => LlmReply;
    settings?: WorkspaceSettingsInput;
  } = {},
) {
  llm = await startLlmServer('openai', options.respond);
  keys.clear();
  keys.set(`${WS_A}/local`, 'sk-test-key');
  let now = START;
  const aiSink = createMemorySink();
  const factory = createWorkspaceAiFactory({
    keys: keyStore,
    ledger: createBudgetLedger({ now: () => now }),
    logger: createLogger({ sinks: [aiSink], now: () => now }),
    now: () => now,
  });
  const settingsInput: WorkspaceSettingsInput = {
    pacing: { enabled: false },
    greeting: { enabled: false },
    floodGuard: { enabled: false },
    ...options.settings,
    ai: {
      about: 'Medicines, baby products and cosmetics',
      providers: [
        {
          id: 'local',
          kind: 'openai-compatible',
          baseUrl: `${llm.url}/v1`,
          model: 'gpt-4o-mini',
          tier: 'fast',
        },
      ],
      ...options.settings?.ai,
    },
  };
  kit = await createKit({ settings: settingsInput, pipeline: { ai: factory } });
  now = kit.timers.now();
  await createWorkspaceRepository(kit.store.db).update(WS_A, { botMode: options.mode ?? 'hybrid' }, 2);
  kit.pipeline.invalidate(WS_A);
  return { aiSink };
}

const outbox = (chat = CHAT, ws: WorkspaceId = WS_A) =>
  createOutboxRepository(kit.store.db).listByChat(ws, chat);

describe('the AI in the pipeline', () => {
  it('hybrid: a confident FAQ answers without the AI; another question is answered by the AI, grounded', async () => {
    await setup();
    kit.receive('What time do you open?');
    await kit.drive();
    expect(llm.requests).toHaveLength(0);
    await kit.timers.advance(60_000);
    kit.receive('Do you sell baby diapers?');
    await kit.drive();
    expect(llm.requests).toHaveLength(1);
    const request = llm.requests[0]!;
    expect(request.headers.authorization).toBe('Bearer sk-test-key');
    const system = (request.body.messages as { role: string; content: string }[])[0]!.content;
    expect(system).toContain('Chidi Pharmacy');
    expect(system).toContain('Medicines, baby products and cosmetics');
    // The chat so far travels with the question.
    const sent = request.body.messages as { role: string; content: string }[];
    expect(sent.slice(1).map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(sent.at(-1)!.content).toBe('Do you sell baby diapers?');

    const rows = await outbox();
    expect(rows.map((r) => r.kind)).toEqual(['faq', 'ai']);
    expect(rows[1]!.text).toBe('Yes, we have it in stock. You can pick it up at the shop today.');
    const decided = kit.sink.ofType('message.decided').at(-1)!;
    expect(decided.meta).toMatchObject({
      reason: 'ai-answer',
      ai: { provider: 'local', model: 'gpt-4o-mini', tier: 'fast' },
    });
    expect((decided.meta as { ai: { costUsd: number } }).ai.costUsd).toBeGreaterThan(0);
    // Sent like any other reply.
    expect(kit.providers.get('+2348090000001' as never)!.calls.filter((c) => c.op === 'send')).toHaveLength(
      2,
    );
  });

  it('the model saying HANDOFF hands the chat to a person and records the question as unanswered', async () => {
    await setup({ respond: () => ({ text: 'HANDOFF' }) });
    kit.receive('Can I pay half now and half next week?');
    await kit.drive();
    expect(kit.alerts).toEqual([
      expect.objectContaining({ type: 'handoff', reason: 'handoff-bot:ai-handoff' }),
    ]);
    expect((await outbox()).map((r) => r.kind)).toEqual(['handoff']);
    const groups = await createUnansweredRepository(kit.store.db, () => 'q-1').listGroups(WS_A);
    expect(groups.map((g) => g.representative)).toEqual(['Can I pay half now and half next week?']);
  });

  it("a brand-new customer's question the model hands off: greeting and hand-off notice, a person told (issue 19 #3)", async () => {
    await setup({ respond: () => ({ text: 'HANDOFF' }), settings: { greeting: { enabled: true } } });
    kit.receive('Good morning, can I pay half now and half next week?');
    await kit.drive();
    const rows = await outbox();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.kind).toBe('handoff');
    expect(rows[0]!.text).toContain('How can we help you today?');
    expect(kit.alerts).toEqual([
      expect.objectContaining({ type: 'handoff', reason: 'handoff-bot:ai-handoff' }),
    ]);
    // The model was asked the question, without the greeting in front of it.
    expect((llm.requests[0]!.body.messages as { content: string }[]).at(-1)!.content).toBe(
      'can I pay half now and half next week?',
    );
    const groups = await createUnansweredRepository(kit.store.db, () => 'q-1').listGroups(WS_A);
    expect(groups).toHaveLength(1);
  });

  it('a new customer\'s "Good morning" gets the greeting, and the AI is not asked or paid (issue 19 #4)', async () => {
    await setup({ mode: 'ai', settings: { greeting: { enabled: true } } });
    kit.receive('Good morning');
    kit.receive('hello??', { chatId: OTHER_CHAT });
    await kit.drive();
    expect(llm.requests).toHaveLength(0);
    expect((await outbox()).map((r) => r.kind)).toEqual(['greeting']);
    expect((await outbox(OTHER_CHAT)).map((r) => r.kind)).toEqual(['greeting']);
  });

  it("no log entry of the AI paths carries the customer's question or the AI's answer (they reach the central server)", async () => {
    const { aiSink } = await setup({
      respond: (r) =>
        JSON.stringify(r.body).includes('zqhandaivx')
          ? { text: 'HANDOFF' }
          : { text: 'Yes we stock zqaianswervx.' },
    });
    kit.receive('Do you sell zqaiquestionvx diapers?');
    await kit.drive();
    kit.receive('Can I pay zqhandaivx half now?', { chatId: OTHER_CHAT });
    await kit.drive();
    expect((await outbox()).map((r) => r.text)).toEqual(['Yes we stock zqaianswervx.']);
    const entries = [...kit.sink.entries, ...aiSink.entries];
    expect(entries.map((e) => e.type)).toContain('bot.unanswered');
    const leaks = entries.filter((e) =>
      /zq(aiquestion|aianswer|handai)vx/i.test(`${e.message} ${JSON.stringify(e.meta)}`),
    );
    expect(leaks).toEqual([]);
  });

  it("keeps each chat's order while the AI thinks, and does not hold up other chats", async () => {
    await setup({ respond: (r) => (JSON.stringify(r.body).includes('diapers') ? { delayMs: 400 } : {}) });
    kit.receive('Do you sell baby diapers?');
    kit.receive('What time do you open?'); // same chat: must wait for the AI answer before it
    kit.receive('What time do you open?', { chatId: OTHER_CHAT }); // another chat: must not wait
    // Real time, not kit.drive (which waits for the AI too): the other chat is answered meanwhile.
    const deadline = Date.now() + 5_000;
    while ((await outbox(OTHER_CHAT)).length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await outbox(OTHER_CHAT)).map((r) => r.kind)).toEqual(['faq']);
    expect(await outbox()).toEqual([]);
    await kit.drive();
    expect((await outbox()).map((r) => r.kind)).toEqual(['ai', 'faq']);
    const seqs = (await outbox()).map((r) => r.seq);
    expect(seqs[0]).toBeLessThan(seqs[1]!);
  });

  it('an owner who replies while the AI is thinking gets the chat: the AI answer is not sent', async () => {
    await setup({ respond: () => ({ delayMs: 300 }) });
    kit.receive('Do you sell baby diapers?');
    const deadline = Date.now() + 5_000;
    while (llm.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    // The question is at the model; the owner answers by hand from the phone before the model does.
    kit.ownerReply('Yes o, Pampers and Huggies', { timestamp: kit.timers.now() });
    await kit.drive();
    expect(llm.requests).toHaveLength(1);
    expect(await outbox()).toEqual([]);
    expect(kit.sink.ofType('message.decided').at(-1)!.meta).toMatchObject({ reason: 'owner-paused' });
  });

  it('mode ai asks the model even when an FAQ matches; a failing provider hands the chat over', async () => {
    await setup({ mode: 'ai', respond: (_r, i) => (i === 0 ? {} : { status: 500 }) });
    kit.receive('What time do you open?');
    await kit.drive();
    expect((await outbox()).map((r) => r.kind)).toEqual(['ai']);
    kit.receive('And delivery to Ikeja?');
    await kit.drive();
    expect((await outbox()).map((r) => r.kind)).toEqual(['ai', 'handoff']);
    expect(kit.sink.ofType('message.decided').at(-1)!.meta).toMatchObject({
      ai: { reason: expect.stringContaining('ai-unavailable') },
    });
  });

  it('a spent budget stops AI calls: the chat goes to a person and the owner is told why', async () => {
    const { aiSink } = await setup({
      settings: { ai: { dailyBudgetUsd: 0 } },
    });
    kit.receive('Do you sell baby diapers?');
    await kit.drive();
    expect(llm.requests).toHaveLength(0);
    expect(kit.sink.ofType('message.decided').at(-1)!.meta).toMatchObject({
      ai: { reason: expect.stringContaining('budget-exhausted') },
    });
    expect(aiSink.ofType('ai.budget_exhausted')).toHaveLength(1);
    expect((await outbox()).map((r) => r.kind)).toEqual(['handoff']);
  });

  it('without an API key the workspace answers from FAQs only, and says so in the log', async () => {
    const { aiSink } = await setup();
    keys.clear();
    kit.pipeline.invalidate(WS_A);
    kit.receive('Do you sell baby diapers?');
    await kit.drive();
    expect(llm.requests).toHaveLength(0);
    expect(aiSink.ofType('ai.not_configured').length).toBeGreaterThan(0);
    expect((await outbox()).map((r) => r.kind)).toEqual(['handoff']);
  });

  it('stopping while the AI thinks leaves the message undecided; the next start decides it once', async () => {
    await setup({ respond: (_r, i) => (i === 0 ? { delayMs: 2_000 } : {}) });
    kit.receive('Do you sell baby diapers?');
    await new Promise((r) => setTimeout(r, 100)); // the request is at the model
    expect(llm.requests).toHaveLength(1);
    await kit.pipeline.stop();
    const status = await kit.store.db
      .selectFrom('messages')
      .select('status')
      .where('direction', '=', 'in')
      .execute();
    expect(status).toEqual([{ status: 'received' }]);
    const second = await kit.restart({
      ai: createWorkspaceAiFactory({
        keys: keyStore,
        ledger: createBudgetLedger({ now: () => START }),
        logger: createLogger({ sinks: [] }),
        now: () => START,
      }),
    });
    await second.pipeline.idle();
    expect((await outbox()).map((r) => r.kind)).toEqual(['ai']);
    await second.pipeline.stop();
  });
});

describe('settings', () => {
  it('refuses a provider with a bad address or duplicate ids, with a message for the owner', () => {
    const bad = workspaceSettingsSchema.safeParse({
      ai: {
        providers: [
          { id: 'a', kind: 'openai-compatible', baseUrl: 'ftp://x', model: 'm', tier: 'fast' },
          { id: 'a', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', model: 'm', tier: 'smart' },
        ],
      },
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => i.message).join(' | ');
    expect(messages).toContain('https://');
    expect(messages).toContain('provider ids must differ');
  });
});
