import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../log/logger';
import { createMemorySink } from '../../testing/memory-sink';
import { createBudgetLedger, usdToNano, type BudgetPeriod, type PriceTable } from './cost';
import { createAiOrchestrator, type AiOrchestratorOptions } from './orchestrator';
import { createAnthropicProvider, createOpenAiCompatibleProvider } from './providers';
import { startLlmServer, type LlmReply, type LlmServer } from './testing/llm-server';
import type { AiProvider, CompletionRequest, Tier } from './types';

const SECRET = 'sk-orchestrator-secret-987';
const request: CompletionRequest = {
  system: 'Answer from the FAQs.',
  messages: [{ role: 'user', content: 'hi' }],
};
const PRICES: PriceTable = {
  'fast-model': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'smart-model': { inputPerMTok: 2.5, outputPerMTok: 10 },
};
const NO_LIMIT = { dailyUsd: null, monthlyUsd: null };

const servers: LlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Script = LlmReply | ((index: number) => LlmReply);

async function openAi(name: string, model: string, script: Script = {}, timeoutMs = 2000) {
  const server = await startLlmServer('openai', (_, i) =>
    typeof script === 'function' ? script(i) : script,
  );
  servers.push(server);
  const provider = createOpenAiCompatibleProvider({
    name,
    baseUrl: server.url,
    apiKey: SECRET,
    model,
    timeoutMs,
  });
  return { server, provider };
}

async function claude(model: string, script: Script = {}) {
  const server = await startLlmServer('anthropic', (_, i) =>
    typeof script === 'function' ? script(i) : script,
  );
  servers.push(server);
  const provider = createAnthropicProvider({
    name: 'claude',
    baseUrl: server.url,
    apiKey: SECRET,
    model,
    timeoutMs: 2000,
  });
  return { server, provider };
}

function setup(tiers: Partial<Record<Tier, AiProvider[]>>, extra: Partial<AiOrchestratorOptions> = {}) {
  const clock = { now: Date.parse('2026-03-10T09:00:00Z') };
  const sink = createMemorySink();
  const logger = createLogger({ sinks: [sink], now: () => clock.now });
  const ledger = createBudgetLedger({ now: () => clock.now });
  const exhausted: [string, BudgetPeriod][] = [];
  const orchestrator = createAiOrchestrator({
    tiers: { fast: tiers.fast ?? [], smart: tiers.smart ?? [] },
    ledger,
    budget: NO_LIMIT,
    prices: PRICES,
    now: () => clock.now,
    logger,
    onBudgetExhausted: (workspaceId, period) => exhausted.push([workspaceId, period]),
    breaker: { failureThreshold: 2, coolDownMs: 30_000 },
    ...extra,
  });
  return { clock, sink, ledger, exhausted, orchestrator };
}

describe('AI orchestrator', () => {
  it('answers with the first provider and charges the usage exactly', async () => {
    const fast = await openAi('fast-a', 'fast-model', {
      text: 'We open 9am.',
      usage: { input: 1200, output: 40 },
    });
    const { orchestrator, ledger } = setup({ fast: [fast.provider] });
    const outcome = await orchestrator.answer({ workspaceId: 'w1', tier: 'fast', request });
    expect(outcome.result).toEqual({
      kind: 'answer',
      text: 'We open 9am.',
      faqId: null,
      confidence: 1,
      source: 'ai',
    });
    expect(outcome).toMatchObject({
      reason: 'ai-answer',
      provider: 'fast-a',
      model: 'fast-model',
      tier: 'fast',
    });
    // 1200 × 0.15 + 40 × 0.60 = 204 µUSD
    expect(outcome.costUsd).toBe(0.000204);
    expect(ledger.spent('w1').day).toBe(204_000);
  });

  it('moves on after a 429 to the second provider (another API shape)', async () => {
    const first = await openAi('oai', 'fast-model', { status: 429, body: { error: 'slow down' } });
    const second = await claude('smart-model', {
      text: 'Yes we deliver.',
      usage: { input: 100, output: 10 },
    });
    const { orchestrator } = setup({ fast: [first.provider, second.provider] });
    const outcome = await orchestrator.answer({ workspaceId: 'w1', tier: 'fast', request });
    expect(outcome).toMatchObject({ reason: 'ai-answer', provider: 'claude' });
    expect(outcome.attempts.map((a) => a.outcome)).toEqual(['rate-limited', 'ok']);
    expect(first.server.requests).toHaveLength(1);
    expect(second.server.requests).toHaveLength(1);
  });

  it('moves on after a timeout, a 500 and a malformed body; abstains when the chain is used up', async () => {
    const slow = await openAi('slow', 'fast-model', { delayMs: 1000 }, 100);
    const broken = await openAi('broken', 'fast-model', { status: 500, body: {} });
    const garbled = await openAi('garbled', 'fast-model', { body: '<html>' });
    const { orchestrator } = setup({ fast: [slow.provider, broken.provider, garbled.provider] });
    const outcome = await orchestrator.answer({ workspaceId: 'w1', tier: 'fast', request });
    expect(outcome.result).toEqual({ kind: 'abstain', reason: 'ai-unavailable' });
    expect(outcome.attempts.map((a) => a.outcome)).toEqual(['timeout', 'server', 'malformed']);
    expect(outcome.costUsd).toBe(0);
  });

  it('stops at a 4xx other than 401/403: the request is at fault, not the provider', async () => {
    const bad = await openAi('bad-request', 'fast-model', { status: 400, body: {} });
    const good = await openAi('good', 'fast-model');
    const { orchestrator } = setup({ fast: [bad.provider, good.provider] });
    const outcome = await orchestrator.answer({ workspaceId: 'w1', tier: 'fast', request });
    expect(outcome.result).toEqual({ kind: 'abstain', reason: 'ai-client-error' });
    expect(good.server.requests).toHaveLength(0);
  });

  it('routes each tier to its own chain', async () => {
    const fast = await openAi('fast', 'fast-model', { text: 'fast answer' });
    const smart = await openAi('smart', 'smart-model', { text: 'smart answer' });
    const { orchestrator } = setup({ fast: [fast.provider], smart: [smart.provider] });
    expect((await orchestrator.answer({ workspaceId: 'w', tier: 'smart', request })).result).toMatchObject({
      text: 'smart answer',
    });
    expect((await orchestrator.answer({ workspaceId: 'w', tier: 'fast', request })).result).toMatchObject({
      text: 'fast answer',
    });
    expect([fast.server.requests.length, smart.server.requests.length]).toEqual([1, 1]);
  });

  it.each(['HANDOFF', ' handoff.\n', 'Hand off'])(
    'turns a %j reply into an abstention (still charged)',
    async (text) => {
      const fast = await openAi('fast', 'fast-model', { text, usage: { input: 1000, output: 2 } });
      const { orchestrator } = setup({ fast: [fast.provider] });
      const outcome = await orchestrator.answer({ workspaceId: 'w', tier: 'fast', request });
      expect(outcome.result).toEqual({ kind: 'abstain', reason: 'ai-handoff' });
      expect(outcome.costUsd).toBe(0.0001512);
    },
  );

  it('opens the circuit after consecutive failures and half-opens one trial after the cool-down', async () => {
    let failing = true;
    const flaky = await openAi('flaky', 'fast-model', () =>
      failing ? { status: 503, body: {} } : { text: 'back' },
    );
    const backup = await openAi('backup', 'fast-model', { text: 'backup answer' });
    const { orchestrator, clock } = setup({ fast: [flaky.provider, backup.provider] });
    const ask = () => orchestrator.answer({ workspaceId: 'w', tier: 'fast', request });

    await ask();
    expect(orchestrator.circuitState('flaky')).toBe('closed');
    await ask();
    expect(orchestrator.circuitState('flaky')).toBe('open');
    const skipped = await ask();
    expect(skipped.attempts.map((a) => a.outcome)).toEqual(['circuit-open', 'ok']);
    expect(skipped.provider).toBe('backup');
    expect(flaky.server.requests).toHaveLength(2);

    clock.now += 29_999;
    await ask();
    expect(flaky.server.requests).toHaveLength(2);
    clock.now += 1;
    expect(orchestrator.circuitState('flaky')).toBe('half-open');
    // The trial fails: open again for a whole cool-down, after a single call.
    const trial = await ask();
    expect(trial.attempts.map((a) => a.outcome)).toEqual(['server', 'ok']);
    expect(orchestrator.circuitState('flaky')).toBe('open');
    expect(flaky.server.requests).toHaveLength(3);

    clock.now += 30_000;
    failing = false;
    const recovered = await ask();
    expect(recovered).toMatchObject({ provider: 'flaky', result: { text: 'back' } });
    expect(orchestrator.circuitState('flaky')).toBe('closed');
  });

  it('lets only one trial through while half-open, even with calls in flight', async () => {
    const slowRecovery = await openAi('flaky', 'fast-model', (i) =>
      i < 2 ? { status: 500, body: {} } : { delayMs: 100 },
    );
    const { orchestrator, clock } = setup({ fast: [slowRecovery.provider] });
    const ask = () => orchestrator.answer({ workspaceId: 'w', tier: 'fast', request });
    await ask();
    await ask();
    clock.now += 30_000;
    const [a, b] = await Promise.all([ask(), ask()]);
    expect([a.reason, b.reason].sort()).toEqual(['ai-answer', 'ai-unavailable']);
    expect(slowRecovery.server.requests).toHaveLength(3);
  });

  it('abstains when the budget is used up and tells the owner once per period', async () => {
    // Each call: 10,000 × 2.5 + 500 × 10 = 30,000 µUSD = 3 cents. Daily cap 5 cents, monthly 8 cents.
    const smart = await openAi('smart', 'smart-model', { usage: { input: 10_000, output: 500 } });
    const { orchestrator, clock, exhausted, ledger } = setup(
      { smart: [smart.provider] },
      { budget: { dailyUsd: 0.05, monthlyUsd: 0.08 } },
    );
    const ask = () => orchestrator.answer({ workspaceId: 'w1', tier: 'smart', request });
    expect((await ask()).reason).toBe('ai-answer');
    expect(exhausted).toEqual([]);
    expect((await ask()).reason).toBe('ai-answer'); // 6 cents: over the daily cap now
    expect(exhausted).toEqual([['w1', 'day']]);
    const refused = await ask();
    expect(refused.result).toEqual({ kind: 'abstain', reason: 'budget-exhausted' });
    await ask();
    expect(exhausted).toEqual([['w1', 'day']]);
    expect(smart.server.requests).toHaveLength(2);
    expect(ledger.spent('w1').month).toBe(usdToNano(0.06));

    clock.now += 24 * 3600_000; // next day: 6 + 3 = 9 cents, over the month
    expect((await ask()).reason).toBe('ai-answer');
    expect(exhausted).toEqual([
      ['w1', 'day'],
      ['w1', 'month'],
    ]);
    clock.now += 24 * 3600_000;
    expect((await ask()).reason).toBe('budget-exhausted');
    expect(exhausted).toHaveLength(2);
    // Another workspace has its own budget.
    expect((await orchestrator.answer({ workspaceId: 'w2', tier: 'smart', request })).reason).toBe(
      'ai-answer',
    );
  });

  it('charges a model missing from the price table at the most expensive rates', async () => {
    const odd = await openAi('odd', 'mystery-model', { usage: { input: 1000, output: 100 } });
    const { orchestrator, sink } = setup({ fast: [odd.provider] });
    const outcome = await orchestrator.answer({ workspaceId: 'w', tier: 'fast', request });
    expect(outcome.costUsd).toBe(0.0035);
    expect(sink.ofType('ai.unknown_model')).toHaveLength(1);
  });

  it('never logs the API key', async () => {
    const failing = await openAi('failing', 'fast-model', { status: 500, body: { error: SECRET } });
    const ok = await claude('smart-model');
    const { orchestrator, sink } = setup({ fast: [failing.provider, ok.provider] });
    await orchestrator.answer({ workspaceId: 'w', tier: 'fast', request });
    expect(sink.entries.length).toBeGreaterThan(1);
    expect(JSON.stringify(sink.entries)).not.toContain(SECRET);
  });

  it('abstains without a call when the tier has no providers', async () => {
    const { orchestrator } = setup({});
    expect((await orchestrator.answer({ workspaceId: 'w', tier: 'smart', request })).reason).toBe(
      'ai-no-providers',
    );
  });
});
