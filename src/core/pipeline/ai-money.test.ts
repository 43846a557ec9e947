import { afterEach, describe, expect, it } from 'vitest';
import type { AiProviderSettings, WorkspaceSettingsInput } from '../../shared/settings';
import type { BotMode, WorkspaceId } from '../../shared/types';
import { createBudgetLedger, usdToNano, type BudgetPeriod, type MemoryBudgetLedger } from '../bot/ai/cost';
import { createProviderHealth } from '../bot/ai/provider-health';
import {
  startLlmServer,
  type LlmReply,
  type LlmRequestLog,
  type LlmServer,
} from '../bot/ai/testing/llm-server';
import { createWorkspaceAiFactory, type AiKeyStore } from '../bot/ai/workspace-ai';
import { createLogger } from '../log/logger';
import { createOutboxRepository } from '../store/repositories/outbox';
import { createWorkspaceRepository } from '../store/repositories/workspaces';
import { createMemorySink } from '../testing/memory-sink';
import { createKit, WS_A, type Kit } from './testing/pipeline-kit';

/**
 * Money and trust in the AI path, through the real pipeline (SQLite file, fake clock) and a local
 * OpenAI-shaped server on 127.0.0.1: budgets that hold under concurrency and follow the shop's time
 * zone, fallbacks across the owner's tiers, 401/403 and Retry-After, circuits that survive a settings
 * change, prices (free local models), keyless providers, token counts in the log, and buying and
 * complaints outranking an FAQ.
 */
const chat = (i: number) => `23480300000${String(i).padStart(2, '0')}@s.whatsapp.net`;
let kit: Kit;
let llm: LlmServer;
afterEach(async () => {
  await kit.cleanup();
  await llm.close();
});

/** Which provider a request went to: the first path segment of its address ('/fast/v1/...'). */
const tierOf = (r: LlmRequestLog) => r.path.split('/')[1]!;

async function setup(
  options: {
    mode?: BotMode;
    respond?: (request: LlmRequestLog, index: number) => LlmReply;
    providers?: (url: string) => Partial<AiProviderSettings>[];
    settings?: WorkspaceSettingsInput;
    keys?: Record<string, string>;
  } = {},
) {
  llm = await startLlmServer('openai', options.respond);
  const keys = new Map(
    Object.entries(options.keys ?? { fast: 'sk-fast-key-0001', smart: 'sk-smart-key-0002' }),
  );
  const keyStore: AiKeyStore = { get: (_ws, id) => Promise.resolve(keys.get(id) ?? null) };
  const now = () => kit.timers.now();
  const aiSink = createMemorySink();
  const logger = createLogger({ sinks: [aiSink], now: () => now() });
  const ledger: MemoryBudgetLedger = createBudgetLedger({ now: () => now() });
  const told: { budget: [WorkspaceId, BudgetPeriod][]; keys: [string, number][] } = { budget: [], keys: [] };
  const factory = createWorkspaceAiFactory({
    keys: keyStore,
    ledger,
    logger,
    now: () => now(),
    health: createProviderHealth({ now: () => now(), logger }),
    onBudgetExhausted: (ws, period) => told.budget.push([ws, period]),
    onKeyRefused: (_ws, provider, status) => told.keys.push([provider, status]),
  });
  const providers = (
    options.providers?.(llm.url) ?? [
      { id: 'fast', baseUrl: `${llm.url}/fast/v1`, model: 'gpt-4o-mini', tier: 'fast' },
      { id: 'smart', baseUrl: `${llm.url}/smart/v1`, model: 'gpt-4o', tier: 'smart' },
    ]
  ).map((p) => ({ kind: 'openai-compatible' as const, ...p }));
  const settings: WorkspaceSettingsInput = {
    pacing: { enabled: false },
    greeting: { enabled: false },
    floodGuard: { enabled: false },
    ...options.settings,
    ai: {
      about: 'Milk, rice and provisions',
      providers,
      ...options.settings?.ai,
    } as WorkspaceSettingsInput['ai'],
  };
  kit = await createKit({ settings, pipeline: { ai: factory } });
  await createWorkspaceRepository(kit.store.db).update(WS_A, { botMode: options.mode ?? 'hybrid' }, 2);
  kit.pipeline.invalidate(WS_A);
  return { aiSink, ledger, told, keys, settings };
}

const outbox = (chatId: string) => createOutboxRepository(kit.store.db).listByChat(WS_A, chatId);
const decided = () => kit.sink.ofType('message.decided').map((e) => e.meta as Record<string, unknown>);
const aiOf = (meta: Record<string, unknown>) =>
  meta.ai as { reason: string; costUsd: number; provider: string };

describe('budgets', () => {
  it('hold under concurrency: ten chats at once with little left never spend past the cap (issue 19 #2)', async () => {
    // Each answer reports the full 300 output tokens: 4 calls at once would cost ~4x what is left.
    const { ledger } = await setup({
      providers: (url) => [{ id: 'fast', baseUrl: `${url}/fast/v1`, model: 'gpt-4o-mini', tier: 'fast' }],
      respond: () => ({ delayMs: 150, usage: { input: 250, output: 300 } }),
      settings: { ai: { dailyBudgetUsd: 0.0005 } },
    });
    for (let i = 0; i < 10; i++) kit.receive('Do you sell baby diapers?', { chatId: chat(i) });
    await kit.drive();
    const spent = ledger.spent(WS_A);
    expect(spent.day).toBeLessThanOrEqual(usdToNano(0.0005));
    expect(spent.held).toBe(0);
    expect(llm.requests.length).toBeGreaterThanOrEqual(1);
    // Every call the model made is paid for, and no more than the cap allowed were made.
    expect(spent.day).toBe(llm.requests.length * (250 * 150 + 300 * 600));
    const reasons = decided().map((m) => aiOf(m).reason);
    expect(reasons.filter((r) => r.startsWith('ai-answer'))).toHaveLength(llm.requests.length);
    expect(reasons.filter((r) => r.startsWith('budget-exhausted')).length).toBe(10 - llm.requests.length);
  });

  it("follow the workspace's time zone: a new day in Tokyo renews the budget though it is the same day in UTC (issue 19 #10)", async () => {
    // START is 09:00 UTC = 18:00 in Tokyo.
    // One call fits the budget; after it, what is left cannot hold another's worst case.
    const { told } = await setup({
      respond: () => ({ usage: { input: 250, output: 300 } }),
      settings: { timezone: 'Asia/Tokyo', ai: { dailyBudgetUsd: 0.0004 } },
    });
    kit.receive('Do you sell baby diapers?', { chatId: chat(1) });
    await kit.drive();
    kit.receive('Do you sell baby wipes?', { chatId: chat(2) });
    await kit.drive();
    expect(llm.requests).toHaveLength(1);
    expect(aiOf(decided().at(-1)!).reason).toContain('budget-exhausted');
    expect(told.budget).toEqual([[WS_A, 'day']]);
    // 15:30 UTC: still the 18th in UTC (and Lagos), already 00:30 on the 19th in Tokyo.
    await kit.timers.advance(6.5 * 3_600_000);
    kit.receive('Do you sell baby powder?', { chatId: chat(3) });
    await kit.drive();
    expect(llm.requests).toHaveLength(2);
    expect(aiOf(decided().at(-1)!).reason).toContain('ai-answer');
  });
});

describe('fallbacks across the owner’s tiers (issue 19 #5)', () => {
  it('a fast question whose fast provider is rate-limited is answered by the smart tier', async () => {
    await setup({
      respond: (r) => (tierOf(r) === 'fast' ? { status: 429, body: {} } : { text: 'Yes, we do.' }),
    });
    kit.receive('Do you sell baby diapers?', { chatId: chat(1) });
    await kit.drive();
    expect(llm.requests.map(tierOf)).toEqual(['fast', 'smart']);
    expect((await outbox(chat(1))).map((r) => [r.kind, r.text])).toEqual([['ai', 'Yes, we do.']]);
    expect(aiOf(decided().at(-1)!)).toMatchObject({ provider: 'smart' });
  });

  it('a smart question whose smart provider fails is answered by the fast tier, with a note in the log', async () => {
    const { aiSink } = await setup({
      mode: 'ai',
      respond: (r) => (tierOf(r) === 'smart' ? { status: 500, body: {} } : { text: 'We have 2 tins.' }),
    });
    kit.receive('How much for 3 cartons of Peak milk?', { chatId: chat(1) });
    await kit.drive();
    expect(llm.requests.map(tierOf)).toEqual(['smart', 'fast']);
    expect((await outbox(chat(1))).map((r) => r.kind)).toEqual(['ai']);
    expect(aiSink.ofType('ai.fell_back')).toEqual([
      expect.objectContaining({ meta: expect.objectContaining({ asked: 'smart', answered: 'fast' }) }),
    ]);
  });

  it('a refused key (401) falls over to the next provider and tells the owner at once, once', async () => {
    const { told } = await setup({
      respond: (r) => (tierOf(r) === 'fast' ? { status: 401, body: { error: 'revoked' } } : {}),
    });
    kit.receive('Do you sell baby diapers?', { chatId: chat(1) });
    await kit.drive();
    expect((await outbox(chat(1))).map((r) => r.kind)).toEqual(['ai']);
    expect(told.keys).toEqual([['fast', 401]]);
    // Skipped from then on (no request), and not told again for every message.
    kit.receive('Do you sell baby wipes?', { chatId: chat(2) });
    await kit.drive();
    expect(llm.requests.map(tierOf)).toEqual(['fast', 'smart', 'smart']);
    expect(told.keys).toHaveLength(1);
  });

  it('Retry-After is honoured: the provider is left alone that long, then asked again', async () => {
    const { aiSink } = await setup({
      respond: (r, i) =>
        tierOf(r) === 'fast' && i === 0 ? { status: 429, body: {}, headers: { 'retry-after': '120' } } : {},
    });
    kit.receive('Do you sell baby diapers?', { chatId: chat(1) });
    await kit.drive();
    kit.receive('Do you sell baby wipes?', { chatId: chat(2) });
    await kit.drive();
    expect(llm.requests.map(tierOf)).toEqual(['fast', 'smart', 'smart']);
    expect(aiSink.ofType('ai.circuit_opened')[0]!.meta).toMatchObject({
      provider: 'fast',
      reason: 'HTTP 429',
    });
    await kit.timers.advance(121_000);
    kit.receive('Do you sell baby powder?', { chatId: chat(3) });
    await kit.drive();
    expect(llm.requests.map(tierOf).at(-1)).toBe('fast');
    expect(aiSink.ofType('ai.circuit_closed')).toHaveLength(1);
  });
});

describe('circuit breakers (issue 19 #6)', () => {
  it('an open circuit is logged and survives a settings change of other things', async () => {
    const { aiSink, settings } = await setup({
      respond: (r) => (tierOf(r) === 'fast' ? { status: 503, body: {} } : {}),
    });
    for (let i = 0; i < 3; i++) {
      kit.receive(`Do you sell baby diapers size ${i}?`, { chatId: chat(i) });
      await kit.drive();
    }
    expect(aiSink.ofType('ai.circuit_opened')).toHaveLength(1);
    const before = llm.requests.filter((r) => tierOf(r) === 'fast').length;
    await kit.setSettings(WS_A, { ...settings, ai: { ...settings.ai, about: 'Milk, rice, beans' } });
    kit.receive('Do you sell beans?', { chatId: chat(9) });
    await kit.drive();
    // Still open after the change: the fast provider was not asked again.
    expect(llm.requests.filter((r) => tierOf(r) === 'fast')).toHaveLength(before);
    // Its address changed: a new provider as far as the circuit knows, asked at once.
    const providers = settings.ai!.providers!.map((p) =>
      p.id === 'fast' ? { ...p, baseUrl: `${llm.url}/fast/v2` } : p,
    );
    await kit.setSettings(WS_A, { ...settings, ai: { ...settings.ai, providers } });
    kit.receive('Do you sell rice?', { chatId: chat(10) });
    await kit.drive();
    expect(llm.requests.at(-2)!.path).toBe('/fast/v2/chat/completions');
  });
});

describe('prices and keys', () => {
  it('a local model priced 0 costs nothing and uses no budget; it needs no key (issue 19 #7, #8)', async () => {
    const { ledger } = await setup({
      keys: {},
      providers: (url) => [
        {
          id: 'ollama',
          baseUrl: `${url}/ollama/v1`,
          model: 'llama3.2',
          tier: 'fast',
          needsKey: false,
          price: { inputPerMTok: 0, outputPerMTok: 0 },
        },
      ],
      settings: { ai: { dailyBudgetUsd: 0.0001 } },
    });
    for (let i = 0; i < 3; i++) {
      kit.receive('Do you sell baby diapers?', { chatId: chat(i) });
      await kit.drive();
    }
    expect(llm.requests).toHaveLength(3);
    expect(llm.requests[0]!.headers.authorization).toBeUndefined();
    expect(decided().map((m) => aiOf(m).costUsd)).toEqual([0, 0, 0]);
    expect(ledger.spent(WS_A).day).toBe(0);
  });

  it("an owner's price is what the call costs; the log keeps the token counts (issue 19 #7, #9)", async () => {
    const { aiSink } = await setup({
      providers: (url) => [
        {
          id: 'fast',
          baseUrl: `${url}/fast/v1`,
          model: 'my-shop-model',
          tier: 'fast',
          price: { inputPerMTok: 1, outputPerMTok: 2 },
        },
      ],
      respond: () => ({ usage: { input: 1000, output: 100 } }),
    });
    kit.receive('Do you sell baby diapers?', { chatId: chat(1) });
    await kit.drive();
    expect(aiOf(decided().at(-1)!).costUsd).toBe(0.0012);
    const answered = aiSink.ofType('ai.answered')[0]!;
    expect(answered.meta).toMatchObject({ inputTokens: 1000, outputTokens: 100, costUsd: 0.0012 });
    expect(aiSink.ofType('ai.unknown_model')).toEqual([]);
  });
});

describe('hybrid: buying and complaints outrank an FAQ (issue 19 #12)', () => {
  it('an order with a delivery question goes to a person, not the delivery FAQ, and no model is paid', async () => {
    await setup();
    // The FAQ alone answers the delivery question...
    kit.receive('How much is delivery?', { chatId: chat(1) });
    await kit.drive();
    expect((await outbox(chat(1))).map((r) => r.kind)).toEqual(['faq']);
    // ...but not the order that carries one.
    kit.receive('I want 2 tins of Peak milk, how much is delivery to Ajah?', { chatId: chat(2) });
    await kit.drive();
    expect(llm.requests).toHaveLength(0);
    expect((await outbox(chat(2))).map((r) => r.kind)).toEqual(['handoff']);
    expect(aiOf(decided().at(-1)!).reason).toBe('faq-outranked-buying-intent');
  });

  it('hybrid: a complaint goes to a person at once, whether an FAQ matched it or not', async () => {
    await setup();
    kit.receive('The milk you delivered is expired, how much is delivery to return it?', { chatId: chat(1) });
    await kit.drive();
    kit.receive('The cream you sold me gave me rashes', { chatId: chat(2) });
    await kit.drive();
    expect(llm.requests).toHaveLength(0);
    expect((await outbox(chat(1))).map((r) => r.kind)).toEqual(['handoff']);
    expect((await outbox(chat(2))).map((r) => r.kind)).toEqual(['handoff']);
    expect(decided().map((m) => aiOf(m).reason)).toEqual(['faq-outranked-complaint', 'complaint-to-person']);
  });

  it('mode ai: a complaint goes to the smart tier, and to a person when it fails, never the fast tier', async () => {
    await setup({ mode: 'ai', respond: (r) => (tierOf(r) === 'smart' ? { status: 500, body: {} } : {}) });
    kit.receive('The cream you sold me gave me rashes', { chatId: chat(2) });
    await kit.drive();
    expect(llm.requests.map(tierOf)).toEqual(['smart']);
    expect((await outbox(chat(2))).map((r) => r.kind)).toEqual(['handoff']);
  });

  it('mode ai with only a fast provider: a complaint goes straight to a person', async () => {
    await setup({
      mode: 'ai',
      providers: (url) => [{ id: 'fast', baseUrl: `${url}/fast/v1`, model: 'gpt-4o-mini', tier: 'fast' }],
    });
    kit.receive('I am not happy, the blender don spoil', { chatId: chat(1) });
    await kit.drive();
    expect(llm.requests).toHaveLength(0);
    expect((await outbox(chat(1))).map((r) => r.kind)).toEqual(['handoff']);
  });
});
