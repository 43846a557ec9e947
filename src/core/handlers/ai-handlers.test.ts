import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AiStatus, AiTestResult, Events } from '../../shared/contract';
import type { E164 } from '../../shared/types';
import { DATABASE_FILE, type Switchboard } from '../app';
import { startLlmServer, type LlmServer } from '../bot/ai/testing/llm-server';
import { startCoreHarness, type CoreHarness } from '../testing/core-harness';
import type { FakeProvider } from '../testing/fake-provider';
import { createMemorySink } from '../testing/memory-sink';
import type { Dispatch } from './dispatch';
import type { CoreRuntime } from './runtime';

/**
 * Settings' "AI answers" section through the contract, on the real core and a local LLM server that
 * speaks the OpenAI protocol on 127.0.0.1: keys are sealed and never come back, a live test says what
 * is wrong in words, budgets are validated.
 */
const KEY = 'sk-proj-5f4e3d2c1b0a99887766';
let core: CoreHarness;
let app: Switchboard;
let runtime: CoreRuntime;
let dispatch: Dispatch;
let llm: LlmServer;
let dir: string;
let fakes: Map<string, FakeProvider>;
const sink = createMemorySink();

const call = <T>(name: string, input?: unknown) => core.call<T>(name, input);

beforeEach(async () => {
  llm = await startLlmServer('openai', (request) =>
    request.headers.authorization === `Bearer ${KEY}`
      ? { text: 'OK' }
      : { status: 401, body: { error: 'bad key' } },
  );
  sink.entries.length = 0;
  core = await startCoreHarness({ tempPrefix: 'switchboard-ai-handlers-', switchboard: { sinks: [sink] } });
  ({ app, runtime, dispatch, dataDir: dir, providers: fakes } = core);
});

afterEach(async () => {
  await core.close();
  await llm.close();
});

async function workspace(): Promise<string> {
  const { workspace } = await call<{ workspace: { id: string } }>('workspace.create', {
    name: 'Chidi Pharmacy',
    botMode: 'hybrid',
  });
  return workspace.id;
}

const provider = () => ({
  id: 'openai',
  kind: 'openai-compatible',
  baseUrl: `${llm.url}/v1`,
  model: 'gpt-4o-mini',
  tier: 'fast',
});

/** A shop on the fake number, answering at once (no greeting, no typing time), its core started. */
async function liveShop(): Promise<string> {
  const workspaceId = await workspace();
  await call('workspace.updateSettings', {
    workspaceId,
    settings: { greeting: { enabled: false }, pacing: { enabled: false } },
  });
  await call('number.add', { workspaceId, number: '+2348090000001' });
  await app.start();
  return workspaceId;
}

/** Customer `n` (each their own chat) writes `text` to the shop; resolves once it is decided. */
async function customerWrites(n: number, text: string): Promise<void> {
  const phone = `+23480312345${String(n).padStart(2, '0')}`;
  fakes.get('+2348090000001')!.emit('message', {
    businessNumber: '+2348090000001' as E164,
    providerMessageId: `WAMID-${n}`,
    chatId: `${phone.slice(1)}@s.whatsapp.net`,
    chatKind: 'direct',
    sender: { phone: phone as E164, waId: `${phone.slice(1)}@s.whatsapp.net`, name: null },
    kind: 'text',
    text,
    timestamp: Date.now(),
    offline: false,
    quotedId: null,
  });
  await app.pipeline.idle();
}

describe('ai commands', () => {
  it('saves a provider with a sealed key, shows only its last four characters, and tests it live', async () => {
    const workspaceId = await workspace();
    const first = await call<AiStatus>('ai.status', { workspaceId });
    expect(first.problem).toContain('No AI provider yet');
    const saved = await call<AiStatus>('ai.saveProvider', {
      workspaceId,
      provider: provider(),
      apiKey: ` ${KEY} `,
    });
    expect(saved.providers).toEqual([
      expect.objectContaining({ id: 'openai', keyHint: '7766', enabled: true }),
    ]);
    expect(saved.problem).toBeNull();
    expect(JSON.stringify(saved)).not.toContain(KEY);

    const test = await call<AiTestResult>('ai.test', { workspaceId, providerId: 'openai' });
    expect(test).toMatchObject({ ok: true, message: expect.stringContaining('gpt-4o-mini answered') });
    expect(llm.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);

    await app.logger.flush();
    expect(JSON.stringify(sink.entries)).not.toContain(KEY);
    expect(readFileSync(join(dir, DATABASE_FILE)).includes(Buffer.from(KEY))).toBe(false);
  });

  it('a wrong key fails the test with what to do; removing the provider removes its key', async () => {
    const workspaceId = await workspace();
    await call('ai.saveProvider', { workspaceId, provider: provider(), apiKey: 'sk-wrong-key-000000' });
    const test = await call<AiTestResult>('ai.test', { workspaceId, providerId: 'openai' });
    expect(test).toMatchObject({ ok: false, message: expect.stringContaining('refused the API key') });
    const removed = await call<AiStatus>('ai.removeProvider', { workspaceId, providerId: 'openai' });
    expect(removed.providers).toEqual([]);
    const again = await call<AiStatus>('ai.saveProvider', { workspaceId, provider: provider() });
    expect(again.providers[0]!.keyHint).toBeNull();
    expect(again.problem).toContain('No enabled provider has an API key');
  });

  it('budgets and the shop description are saved; bad values are refused with a clear message', async () => {
    const workspaceId = await workspace();
    const updated = await call<AiStatus>('ai.update', {
      workspaceId,
      about: 'Medicines, baby food, cosmetics',
      dailyBudget: 2,
      monthlyBudget: 'no-limit',
    });
    expect(updated).toMatchObject({
      about: 'Medicines, baby food, cosmetics',
      budget: { dailyUsd: 2, monthlyUsd: null },
    });
    const bad = await dispatch('ai.update', { workspaceId, dailyBudget: -5 });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('cannot be negative') },
    });
    const badUrl = await dispatch('ai.saveProvider', {
      workspaceId,
      provider: { ...provider(), baseUrl: 'file:///etc/passwd' },
    });
    expect(badUrl).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const badKey = await dispatch('ai.saveProvider', {
      workspaceId,
      provider: provider(),
      apiKey: 'has spaces in it',
    });
    expect(badKey).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('paste it again') },
    });
    const unknown = await dispatch('ai.test', { workspaceId, providerId: 'nobody' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a budget typo is refused in words and never becomes "no limit" (issue 19 #1)', async () => {
    const workspaceId = await workspace();
    const budget = async (dailyBudget: unknown) => {
      const result = await dispatch('ai.update', { workspaceId, dailyBudget });
      return result.ok ? (result.value as AiStatus).budget.dailyUsd : result.error.message;
    };
    expect(await budget('0,50')).toBe(0.5);
    expect(await budget('$2')).toBe(2);
    expect(await budget('1,5')).toBe(1.5);
    expect(await budget('abc')).toMatch(/Daily budget "abc" is not an amount/);
    expect(await budget('')).toMatch(/Daily budget is empty: write an amount/);
    expect(await budget('2..5')).toMatch(/is not a number/);
    expect(await budget('-3')).toMatch(/cannot be negative/);
    // JSON turns NaN (Number("abc")) into null: null is refused, not read as "no limit".
    expect(await budget(null)).toMatch(/write an amount, or choose "No limit"/);
    expect(await budget(Number.NaN)).toMatch(/must be a number|choose "No limit"/);
    // Each refusal left the last good budget in place.
    expect((await call<AiStatus>('ai.status', { workspaceId })).budget.dailyUsd).toBe(1.5);
    expect(await budget('no-limit')).toBeNull();

    // In the shop's currency at the owner's rate; kept in US$.
    const naira = await call<AiStatus>('ai.update', {
      workspaceId,
      currency: { code: 'ngn', perUsd: 1500 },
      dailyBudget: '₦750',
      monthlyBudget: '15 000',
    });
    expect(naira).toMatchObject({
      currency: { code: 'NGN', perUsd: 1500 },
      budget: { dailyUsd: 0.5, monthlyUsd: 10 },
    });
    expect(await budget('$2')).toBe(2);
    expect(await budget('GH₵20')).toMatch(/in GHS, but the shop's currency is NGN/);
    expect(await budget('₦9,000,000')).toMatch(/at most US\$1000 \(₦1,500,000\)/);
    const rate = await dispatch('ai.update', { workspaceId, currency: { code: 'NGN', perUsd: 0 } });
    expect(rate).toMatchObject({ ok: false, error: { message: expect.stringContaining('above 0') } });
  });

  it('prices: a model nobody priced is refused; the owner sets one (0 for a local model) and sees it (issue 19 #7)', async () => {
    const workspaceId = await workspace();
    const unpriced = await dispatch('ai.saveProvider', {
      workspaceId,
      provider: { ...provider(), id: 'local', model: 'qwen2.5:7b' },
    });
    expect(unpriced).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('What does qwen2.5:7b cost?') },
    });
    const saved = await call<AiStatus>('ai.saveProvider', {
      workspaceId,
      provider: {
        ...provider(),
        id: 'local',
        model: 'qwen2.5:7b',
        price: { inputPerMTok: 0, outputPerMTok: 0 },
      },
    });
    const listed = await call<AiStatus>('ai.saveProvider', {
      workspaceId,
      provider: { ...provider(), id: 'router', model: 'openai/gpt-4o-mini' },
    });
    expect(saved.providers[0]!.charged).toEqual({ inputPerMTok: 0, outputPerMTok: 0, source: 'owner' });
    expect(listed.providers[1]!.charged).toEqual({
      inputPerMTok: 0.15,
      outputPerMTok: 0.6,
      source: 'price-list',
    });
    const timeout = await call<AiStatus>('ai.update', { workspaceId, timeoutSeconds: 8 });
    expect(timeout.timeoutSeconds).toBe(8);
    const badTimeout = await dispatch('ai.update', { workspaceId, timeoutSeconds: 0 });
    expect(badTimeout).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('at least 1 second') },
    });
  });

  it('a provider that needs no key is saved and tested without one; a short key shows a short hint (issue 19 #8)', async () => {
    const workspaceId = await workspace();
    const keyless = await startLlmServer('openai', (request) =>
      request.headers.authorization === undefined ? { text: 'OK' } : { status: 400, body: {} },
    );
    try {
      const status = await call<AiStatus>('ai.saveProvider', {
        workspaceId,
        provider: {
          id: 'ollama',
          kind: 'openai-compatible',
          baseUrl: `${keyless.url}/v1`,
          model: 'llama3.2',
          tier: 'fast',
          needsKey: false,
          price: { inputPerMTok: 0, outputPerMTok: 0 },
        },
      });
      expect(status.problem).toBeNull();
      const test = await call<AiTestResult>('ai.test', { workspaceId, providerId: 'ollama' });
      expect(test).toMatchObject({ ok: true, message: 'llama3.2 answered: "OK"' });
    } finally {
      await keyless.close();
    }
    const short = await call<AiStatus>('ai.saveProvider', {
      workspaceId,
      provider: provider(),
      apiKey: 'abcd1234',
    });
    expect(short.providers.find((p) => p.id === 'openai')!.keyHint).toBe('34');
  });

  it('a saved provider answers the next customer at once, and the spend shows in the status', async () => {
    const workspaceId = await liveShop();
    // The pipeline read the settings before the provider existed: the save must reach it at once.
    await call('ai.saveProvider', { workspaceId, provider: provider(), apiKey: KEY });
    await customerWrites(1, 'Do you have baby diapers?');
    const rows = await app.store.db.selectFrom('outbox').select(['kind', 'text']).execute();
    expect(rows).toEqual([{ kind: 'ai', text: 'OK' }]);
    const status = await call<AiStatus>('ai.status', { workspaceId });
    expect(status.spend.dayCalls).toBe(1);
    expect(status.spend.dayUsd).toBeGreaterThan(0);
  });

  it('the owner is told at once when the budget runs out, and again after raising it and running out again (issue 19 #11)', async () => {
    await llm.close();
    // Every answer reports its full 300 output tokens: one call fits the small budget, then no more.
    llm = await startLlmServer('openai', (request) =>
      request.headers.authorization === `Bearer ${KEY}`
        ? { text: 'Yes, we have it.', usage: { input: 250, output: 300 } }
        : { status: 401, body: { error: 'revoked' } },
    );
    const workspaceId = await liveShop();
    await call('ai.saveProvider', { workspaceId, provider: provider(), apiKey: KEY });
    await call('ai.update', { workspaceId, dailyBudget: '0.0004', monthlyBudget: 'no-limit' });
    const alerts: Events['ai.alerted'][] = [];
    runtime.events.on('ai.alerted', (event) => alerts.push(event));
    let n = 0;
    const customer = (text: string) => customerWrites(++n, text);
    const kinds = async () =>
      (await app.store.db.selectFrom('outbox').select('kind').orderBy('created_at').execute()).map(
        (r) => r.kind,
      );

    await customer('Do you have baby diapers?');
    await customer('Do you have baby wipes?');
    expect(await kinds()).toEqual(['ai', 'handoff']);
    expect(alerts).toEqual([
      expect.objectContaining({
        workspaceId,
        alert: { kind: 'budget-exhausted', period: 'day' },
        message: expect.stringContaining("Today's AI budget is used up"),
      }),
    ]);
    // Raised: answered again, then used up again the same day, and the owner is told again.
    await call('ai.update', { workspaceId, dailyBudget: '0.0006' });
    await customer('Do you have baby powder?');
    await customer('Do you have baby oil?');
    expect(await kinds()).toEqual(['ai', 'handoff', 'ai', 'handoff']);
    expect(alerts.map((a) => a.alert.kind)).toEqual(['budget-exhausted', 'budget-exhausted']);
    expect(sink.ofType('ai.budget_exhausted')).toHaveLength(2);

    // A revoked key is told at once too, and the AI screen shows the provider's state.
    await call('ai.update', { workspaceId, dailyBudget: 'no-limit' });
    await call('ai.saveProvider', { workspaceId, provider: provider(), apiKey: 'sk-revoked-key-0000' });
    await customer('Do you have baby soap?');
    expect(alerts.at(-1)).toMatchObject({ alert: { kind: 'key-refused', provider: 'openai', status: 401 } });
    const status = await call<AiStatus>('ai.status', { workspaceId });
    expect(status.providers[0]!.health).toMatchObject({ state: 'key-refused' });
    expect(status.problem).toContain('openai refused its API key');
    // Another setting changed: the provider's state is kept (its key did not change).
    await call('ai.update', { workspaceId, about: 'Baby products' });
    expect((await call<AiStatus>('ai.status', { workspaceId })).providers[0]!.health.state).toBe(
      'key-refused',
    );
    // The right key again: a fresh start.
    await call('ai.saveProvider', { workspaceId, provider: provider(), apiKey: KEY });
    await customer('Do you have baby food?');
    expect((await call<AiStatus>('ai.status', { workspaceId })).providers[0]!.health.state).toBe('working');
    expect((await kinds()).at(-1)).toBe('ai');
  });
});
