/**
 * bot.hybrid.cost: what 1,000 customer messages cost in AI fees, hybrid (FAQ first, AI only when the
 * FAQ matcher is not confident, on the tier the router picks) against AI-only with the same tier
 * routing (every message to the AI, on the tier the router picks), in the same run, on the Banking77
 * test queries (../shared/data/banking77). A second line compares hybrid with AI-only on the smart tier
 * alone (no routing), the figure this benchmark used to report.
 *
 * - FAQs: each Banking77 intent is one FAQ whose phrasings are its first K = 10 training queries; its
 *   answer is a fixed ~200-character text (Banking77 has no answers).
 * - Prompt: the same grounded prompt for both arms (profile, the matcher's top 5 FAQs, the message).
 * - LLM: a local OpenAI-shaped server on 127.0.0.1 answering a fixed short text with usage proportional
 *   to the prompt (4 characters a token), so the cost depends only on what is sent.
 * - Prices (USD per million tokens, DEFAULT_PRICES): fast tier gpt-4o-mini 0.15 in / 0.60 out, smart
 *   tier gpt-4o 2.50 in / 10.00 out.
 *
 * stdout: one JSON line; details go to stderr.   npm run bench -- hybrid-cost
 */
import { answerHybrid, type HybridAi } from '../src/core/bot/ai/hybrid';
import { createAiOrchestrator } from '../src/core/bot/ai/orchestrator';
import { buildPrompt, type BusinessProfile, type FaqEntry } from '../src/core/bot/ai/prompt';
import { createOpenAiCompatibleProvider } from '../src/core/bot/ai/providers';
import { startLlmServer } from '../src/core/bot/ai/testing/llm-server';
import { createBudgetLedger, DEFAULT_PRICES } from '../src/core/bot/ai/cost';
import { faqBand, routeMessage } from '../src/core/bot/ai/route';
import { createFaqMatcher } from '../src/core/bot/faq/faq-matcher';
import { loadBanking77, phrasingsByIntent } from './banking77-data';

const K = 10;
/** Every Nth test query; 1 = all 3,080 (about 10 s on 2 cores). */
const SAMPLE_EVERY = 1;
const FAST_MODEL = 'gpt-4o-mini';
const SMART_MODEL = 'gpt-4o';

const log = (message: string) => process.stderr.write(`${message}\n`);

const data = loadBanking77();
if (data === undefined) {
  log('hybrid-cost bench: ../shared/data/banking77 not found beside the repository; skipped');
  process.exit(0);
}

const started = performance.now();
const faqs = new Map<string, FaqEntry>();
const matcher = createFaqMatcher();
for (const [intent, phrasings] of phrasingsByIntent(data, K)) {
  const topic = intent.replace(/_/g, ' ');
  faqs.set(intent, {
    question: phrasings[0]!,
    answer: `About ${topic}: you can manage this in the app under Account > Help. If it is urgent, our team replies within one hour on working days; keep your card and ID at hand.`,
  });
  matcher.upsert({ id: intent, question: phrasings[0]!, phrasings, enabled: true });
}
matcher.warmUp();

const server = await startLlmServer('openai');
const provider = (name: string, model: string) =>
  createOpenAiCompatibleProvider({ name, baseUrl: server.url, apiKey: 'bench', model, timeoutMs: 10_000 });
const fast = provider('fast', FAST_MODEL);
const smart = provider('smart', SMART_MODEL);
const orchestrator = () =>
  createAiOrchestrator({
    tiers: { fast: [fast], smart: [smart] },
    ledger: createBudgetLedger({ now: Date.now }),
    budget: { dailyUsd: null, monthlyUsd: null },
    prices: DEFAULT_PRICES,
    now: Date.now,
  });
const hybridOrchestrator = orchestrator();
const aiOnlyOrchestrator = orchestrator();
const smartOnlyOrchestrator = orchestrator();
const profile: BusinessProfile = {
  name: 'Naija Neobank',
  sells: 'current accounts, debit cards, transfers and currency exchange',
  hours: 'Mon-Fri 08:00-18:00',
};

const queries = data.test.filter((_, i) => i % SAMPLE_EVERY === 0);
let hybridUsd = 0;
/** Every message to the AI, on the tier the router picks (the same routing as the hybrid arm). */
let aiOnlyUsd = 0;
/** Every message to the AI's smart tier. */
let smartOnlyUsd = 0;
/** What the hybrid arm would cost if every message it sent to the AI went to the smart tier (no routing). */
let unroutedUsd = 0;
let faqAnswered = 0;
let faqCorrect = 0;
const tiers = { fast: 0, smart: 0 };
const routeReasons = new Map<string, number>();

for (const query of queries) {
  const top = matcher.match(query.text, { limit: 5, threshold: 0 });
  const grounding = top.map((m) => faqs.get(m.faqId)!);
  const best = top[0];
  const ai: HybridAi = {
    orchestrator: hybridOrchestrator,
    workspaceId: 'hybrid',
    profile,
    faqs: grounding,
    history: [],
  };
  const hybrid = await answerHybrid({
    text: query.text,
    faqMatch:
      best === undefined
        ? null
        : { faqId: best.faqId, confidence: best.confidence, answer: faqs.get(best.faqId)!.answer },
    mode: 'hybrid',
    threshold: matcher.threshold,
    ai,
  });
  hybridUsd += hybrid.costUsd;
  if (hybrid.result.kind === 'answer' && hybrid.result.source === 'faq') {
    faqAnswered++;
    if (hybrid.result.faqId === query.intent) faqCorrect++;
  }
  if (hybrid.route !== null && hybrid.ai !== null) {
    tiers[hybrid.route.tier]++;
    routeReasons.set(hybrid.route.reason, (routeReasons.get(hybrid.route.reason) ?? 0) + 1);
  }
  const request = buildPrompt({ profile, faqs: grounding, history: [], text: query.text });
  const route = routeMessage({
    text: query.text,
    faqBand: faqBand(best?.confidence, matcher.threshold),
    recentMessages: 0,
  });
  const aiOnly = await aiOnlyOrchestrator.answer({ workspaceId: 'ai-only', tier: route.tier, request });
  if (aiOnly.result.kind !== 'answer') throw new Error(`AI-only arm failed: ${aiOnly.reason}`);
  aiOnlyUsd += aiOnly.costUsd;
  const smartOnly = await smartOnlyOrchestrator.answer({ workspaceId: 'smart-only', tier: 'smart', request });
  if (smartOnly.result.kind !== 'answer') throw new Error(`smart-only arm failed: ${smartOnly.reason}`);
  smartOnlyUsd += smartOnly.costUsd;
  if (hybrid.ai !== null) unroutedUsd += smartOnly.costUsd;
}
await server.close();

const per1k = (usd: number) => (usd / queries.length) * 1000;
const value = per1k(hybridUsd);
const baseline = per1k(aiOnlyUsd);
const n = queries.length;
log(
  `hybrid-cost: ${n} of ${data.test.length} Banking77 test queries (every ${SAMPLE_EVERY}), K=${K} phrasings per intent, ` +
    `threshold ${matcher.threshold}; prices USD/Mtok ${FAST_MODEL} ${JSON.stringify(DEFAULT_PRICES[FAST_MODEL])}, ` +
    `${SMART_MODEL} ${JSON.stringify(DEFAULT_PRICES[SMART_MODEL])}`,
);
log(
  `hybrid-cost: FAQ answered ${faqAnswered}/${n} (${((100 * faqAnswered) / n).toFixed(1)}%, ` +
    `${((100 * faqCorrect) / Math.max(1, faqAnswered)).toFixed(1)}% of them correct); AI fast ${tiers.fast}, smart ${tiers.smart}; ` +
    `route reasons ${JSON.stringify(Object.fromEntries(routeReasons))}; LLM requests ${server.requests.length}; ` +
    `${((performance.now() - started) / 1000).toFixed(1)} s`,
);
log(
  `hybrid-cost: hybrid ${value.toFixed(6)} USD/1k msgs; AI-only with the same routing ${baseline.toFixed(6)}; ` +
    `AI-only on the smart tier ${per1k(smartOnlyUsd).toFixed(6)} (hybrid/smart-only ${(hybridUsd / smartOnlyUsd).toFixed(4)})`,
);
log(
  `hybrid-cost: without routing (FAQ first, then always the smart tier) ${per1k(unroutedUsd).toFixed(6)} USD/1k msgs, ` +
    `ratio to smart-only ${(unroutedUsd / smartOnlyUsd).toFixed(4)}`,
);
const round = (x: number) => Math.round(x * 1_000_000) / 1_000_000;
console.log(
  JSON.stringify({
    name: 'bot.hybrid.cost',
    value: round(value),
    unit: 'USD/1k msgs',
    baseline: round(baseline),
    ratio: baseline === 0 ? null : Math.round((value / baseline) * 10_000) / 10_000,
  }),
);
const smartOnlyPer1k = per1k(smartOnlyUsd);
console.log(
  JSON.stringify({
    name: 'bot.hybrid.cost_vs_smart_only',
    value: round(value),
    unit: 'USD/1k msgs',
    baseline: round(smartOnlyPer1k),
    ratio: smartOnlyPer1k === 0 ? null : Math.round((value / smartOnlyPer1k) * 10_000) / 10_000,
  }),
);
