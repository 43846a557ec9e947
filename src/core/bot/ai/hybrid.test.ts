import { afterEach, describe, expect, it } from 'vitest';
import { createFaqMatcher } from '../faq/faq-matcher';
import { createBudgetLedger } from './cost';
import { answerHybrid, type HybridAi, type HybridFaqMatch } from './hybrid';
import { createAiOrchestrator } from './orchestrator';
import { createOpenAiCompatibleProvider } from './providers';
import { startLlmServer, type LlmServer } from './testing/llm-server';

const FAQS = [
  {
    id: 'hours',
    question: 'What time do you open?',
    phrasings: ['When una dey open', 'opening hours', 'are you open on sunday'],
    answer: 'We open 9am to 6pm, Monday to Saturday.',
  },
  {
    id: 'delivery',
    question: 'Do you deliver?',
    phrasings: ['una dey deliver', 'can you send it to my house', 'delivery to Abuja'],
    answer: 'Yes, we deliver anywhere in Lagos within 48 hours.',
  },
];

const servers: LlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(budget = { dailyUsd: 1, monthlyUsd: 10 }) {
  const matcher = createFaqMatcher({ threshold: 0.55 });
  for (const f of FAQS) matcher.upsert({ ...f, enabled: true });
  const fastServer = await startLlmServer('openai', () => ({ text: 'fast says hi' }));
  const smartServer = await startLlmServer('openai', () => ({ text: 'smart says hi' }));
  servers.push(fastServer, smartServer);
  const provider = (name: string, url: string) =>
    createOpenAiCompatibleProvider({
      name,
      baseUrl: url,
      apiKey: 'k',
      model: 'gpt-4o-mini',
      timeoutMs: 2000,
    });
  const orchestrator = createAiOrchestrator({
    tiers: { fast: [provider('fast', fastServer.url)], smart: [provider('smart', smartServer.url)] },
    ledger: createBudgetLedger({ now: () => 0 }),
    budget,
    now: () => 0,
  });
  const ai: HybridAi = {
    orchestrator,
    workspaceId: 'w1',
    profile: { name: 'Ada Fabrics', sells: 'ankara and lace', hours: '' },
    faqs: FAQS.map((f) => ({ question: f.question, answer: f.answer })),
    history: [],
  };
  const faqMatch = (text: string): HybridFaqMatch | null => {
    const [top] = matcher.match(text, { limit: 1, threshold: 0 });
    if (top === undefined) return null;
    return {
      faqId: top.faqId,
      confidence: top.confidence,
      answer: FAQS.find((f) => f.id === top.faqId)!.answer,
    };
  };
  return { ai, faqMatch, fastServer, smartServer, threshold: matcher.threshold };
}

describe('answerHybrid', () => {
  it('answers a confident FAQ match for free, without calling the AI', async () => {
    const { ai, faqMatch, fastServer, smartServer, threshold } = await setup();
    const text = 'When una dey open?';
    const outcome = await answerHybrid({ text, faqMatch: faqMatch(text), mode: 'hybrid', threshold, ai });
    expect(outcome).toMatchObject({ reason: 'faq-confident', band: 'high', costUsd: 0 });
    expect(outcome.result).toMatchObject({ kind: 'answer', faqId: 'hours', source: 'faq' });
    expect(fastServer.requests.length + smartServer.requests.length).toBe(0);
  });

  it('asks the fast tier for a simple question the FAQs do not cover, grounded in the FAQs', async () => {
    const { ai, faqMatch, fastServer, threshold } = await setup();
    const text = 'Do you have parking space?';
    const outcome = await answerHybrid({ text, faqMatch: faqMatch(text), mode: 'hybrid', threshold, ai });
    expect(outcome.result).toMatchObject({ kind: 'answer', text: 'fast says hi', source: 'ai' });
    expect(outcome.route?.tier).toBe('fast');
    expect(outcome.reason).toMatch(/^ai-answer\(fast:[a-z-]+@fast\)$/);
    expect(outcome.costUsd).toBeGreaterThan(0);
    const sent = fastServer.requests[0]?.body.messages as { role: string; content: string }[];
    expect(sent[0]).toMatchObject({ role: 'system' });
    expect(sent[0]?.content).toContain('We open 9am to 6pm');
  });

  it('sends buying intent to the smart tier', async () => {
    const { ai, faqMatch, smartServer, threshold } = await setup();
    const text = 'I wan buy 3 yards of the blue lace';
    const outcome = await answerHybrid({ text, faqMatch: faqMatch(text), mode: 'hybrid', threshold, ai });
    expect(outcome.reason).toBe('ai-answer(smart:buying-intent@smart)');
    expect(outcome.result).toMatchObject({ text: 'smart says hi' });
    expect(smartServer.requests).toHaveLength(1);
  });

  it("mode 'faq' abstains instead of asking the AI; mode 'ai' asks the AI even when the FAQ is sure", async () => {
    const { ai, faqMatch, fastServer, threshold } = await setup();
    const miss = 'Do you have parking space?';
    expect(
      await answerHybrid({ text: miss, faqMatch: faqMatch(miss), mode: 'faq', threshold, ai }),
    ).toMatchObject({
      reason: 'faq-no-match',
      result: { kind: 'abstain', reason: 'faq-no-match' },
    });
    expect(fastServer.requests).toHaveLength(0);
    const hit = 'When una dey open?';
    const viaAi = await answerHybrid({ text: hit, faqMatch: faqMatch(hit), mode: 'ai', threshold, ai });
    expect(viaAi.result).toMatchObject({ source: 'ai' });
  });

  it('hands off when the budget is used up or no AI is configured', async () => {
    const { ai, faqMatch, threshold } = await setup({ dailyUsd: 0, monthlyUsd: 10 });
    const text = 'Do you have parking space?';
    const broke = await answerHybrid({ text, faqMatch: faqMatch(text), mode: 'hybrid', threshold, ai });
    expect(broke.result).toEqual({ kind: 'abstain', reason: 'budget-exhausted' });
    expect(broke.reason).toMatch(/^budget-exhausted\(fast:/);
    const none = await answerHybrid({ text, faqMatch: null, mode: 'hybrid', threshold });
    expect(none).toMatchObject({ reason: 'ai-not-configured', band: 'low', result: { kind: 'abstain' } });
  });
});
