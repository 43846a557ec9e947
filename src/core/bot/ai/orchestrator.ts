import type { Logger } from '../../log/logger';
import type { BotResult } from '../../pipeline/types';
import {
  createCircuitBreaker,
  DEFAULT_COOL_DOWN_MS,
  DEFAULT_FAILURE_THRESHOLD,
  type CircuitBreaker,
} from './circuit-breaker';
import {
  costOf,
  DEFAULT_PRICES,
  exhaustedPeriod,
  NANO_PER_USD,
  unknownModelPrice,
  usdToNano,
  worstCaseUsage,
  type BudgetLedger,
  type BudgetLimits,
  type BudgetPeriod,
  type ModelPrice,
  type PriceTable,
} from './cost';
import { isHandoff } from './prompt';
import { DEFAULT_MAX_TOKENS } from './providers';
import { ProviderError, type AiProvider, type CompletionRequest, type Tier } from './types';

/**
 * The AI orchestrator: the owner's chain of providers, tier by tier. A cheap question tries the fast
 * tier, then the smart one (within budget: each call first holds its worst-case cost); a smart question
 * tries the smart tier, then the fast one (noted in the log), unless the caller forbids it (complaints
 * go to the smart tier or a person). A timeout, 429, 5xx, 401/403, malformed body or network error moves
 * on to the next provider; another 4xx stops the chain. Every provider sits behind a circuit breaker.
 */

/** An AI answer has no calibrated probability; the pipeline reads `source: 'ai'` rather than this. */
export const AI_ANSWER_CONFIDENCE = 1;

export interface AiOrchestratorOptions {
  /** Providers per tier, in the order they are tried. */
  tiers: Readonly<Record<Tier, readonly AiProvider[]>>;
  ledger: BudgetLedger;
  budget: BudgetLimits | ((workspaceId: string) => BudgetLimits);
  /** Prices by model; a provider's own `price` (the owner's) comes first. */
  prices?: PriceTable;
  /** Charged for a model priced nowhere; default the table's most expensive rates. */
  unknownModelPrice?: ModelPrice;
  /** A breaker to share (it outlives orchestrators rebuilt on a settings change); else one of its own. */
  breaker?: CircuitBreaker | { failureThreshold?: number; coolDownMs?: number };
  now: () => number;
  logger?: Logger;
  /** Called once per workspace and budget period (day or month), when spending reaches the limit. */
  onBudgetExhausted?: (workspaceId: string, period: BudgetPeriod) => void;
  /** A provider said 401/403: the owner must fix its key (once per refusal, not per message). */
  onKeyRefused?: (workspaceId: string, provider: string, status: number) => void;
}

export interface AiRequest {
  workspaceId: string;
  tier: Tier;
  request: CompletionRequest;
  signal?: AbortSignal;
  /** Whether a smart question may fall back to the fast tier (default true; not for complaints). */
  allowFastFallback?: boolean;
}

export interface AiAttempt {
  provider: string;
  model: string;
  /** 'ok', 'circuit-open', 'over-budget', or the ProviderError kind. */
  outcome: string;
  status?: number | null;
}

export interface AiOutcome {
  result: BotResult;
  /** 'ai-answer', 'ai-handoff', 'budget-exhausted', 'ai-unavailable', 'ai-client-error', 'ai-aborted', 'ai-no-providers'. */
  reason: string;
  tier: Tier;
  /** The tier of the provider that answered, when the chain fell back to the other one. */
  answeredTier?: Tier;
  provider: string | null;
  model: string | null;
  costUsd: number;
  attempts: AiAttempt[];
}

/** Whether `error` is what a provider's failure looks like, classified; anything else is a network error. */
function asProviderError(error: unknown, provider: string): ProviderError {
  return error instanceof ProviderError
    ? error
    : new ProviderError(provider, 'network', null, 'unexpected error');
}

export type AiOrchestrator = ReturnType<typeof createAiOrchestrator>;

/** One provider of the chain and the tier it sits in. */
interface ChainLink {
  provider: AiProvider;
  tier: Tier;
}

/** What one provider's turn came to: an outcome, the next provider, or over budget (its worst case). */
type LinkStep =
  | { kind: 'done'; reason: string; result?: BotResult; extra?: Partial<AiOutcome> }
  | { kind: 'next' }
  | { kind: 'over-budget'; nano: number };

/** The orchestrator's parts: its options, the breaker, and what it knows of budgets and prices. */
interface OrchestratorParts {
  options: AiOrchestratorOptions;
  breaker: CircuitBreaker;
  budget: ReturnType<typeof createBudgetGuard>;
}

export function createAiOrchestrator(options: AiOrchestratorOptions) {
  const breaker: CircuitBreaker =
    options.breaker !== undefined && 'tryAcquire' in options.breaker
      ? options.breaker
      : createCircuitBreaker({
          failureThreshold: options.breaker?.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
          coolDownMs: options.breaker?.coolDownMs ?? DEFAULT_COOL_DOWN_MS,
          now: options.now,
        });
  const parts: OrchestratorParts = { options, breaker, budget: createBudgetGuard(options) };

  async function answer(input: AiRequest): Promise<AiOutcome> {
    const { workspaceId, tier } = input;
    const attempts: AiAttempt[] = [];
    const done = (
      reason: string,
      result: BotResult = { kind: 'abstain', reason },
      extra: Partial<AiOutcome> = {},
    ): AiOutcome => ({ result, reason, tier, provider: null, model: null, costUsd: 0, attempts, ...extra });

    if (parts.budget.checkBudget(workspaceId) !== null) return done('budget-exhausted');
    const chain = chainFor(options.tiers, tier, input.allowFastFallback ?? true);
    if (chain.length === 0) return done('ai-no-providers');
    const limits = parts.budget.limitsFor(workspaceId);
    let overBudget: { nano: number } | null = null;

    for (const link of chain) {
      const step = await tryLink(parts, input, link, limits, attempts);
      if (step.kind === 'over-budget') overBudget ??= { nano: step.nano };
      else if (step.kind === 'done') return done(step.reason, step.result, step.extra);
    }
    if (
      overBudget !== null &&
      !attempts.some((a) => a.outcome !== 'over-budget' && a.outcome !== 'circuit-open')
    ) {
      parts.budget.overBudget(workspaceId, limits, overBudget.nano);
      return done('budget-exhausted');
    }
    return done('ai-unavailable');
  }

  return {
    answer,
    /** For the owner's status page and tests. */
    circuitState: (providerName: string) => breaker.state(providerName),
    circuitHealth: (providerName: string) => breaker.health(providerName),
  };
}

/** Budgets (limits, notices once per period) and prices (the owner's, the table's, the unknown rate). */
function createBudgetGuard(options: AiOrchestratorOptions) {
  const prices = options.prices ?? DEFAULT_PRICES;
  const fallbackPrice = options.unknownModelPrice ?? unknownModelPrice(prices);
  const limitsFor = (workspaceId: string): BudgetLimits =>
    typeof options.budget === 'function' ? options.budget(workspaceId) : options.budget;

  /** Tells the owner once per period (until the budget is changed) that it is used up. */
  function notice(workspaceId: string, period: BudgetPeriod, key: string): void {
    if (!options.ledger.claimNotice(workspaceId, period, key)) return;
    options.logger?.warn('ai.budget_exhausted', `AI ${period} budget used up`, { period, key });
    options.onBudgetExhausted?.(workspaceId, period);
  }

  return {
    limitsFor,
    /** The exhausted period, if any (spent at or over a limit). */
    checkBudget(workspaceId: string): BudgetPeriod | null {
      const spend = options.ledger.spent(workspaceId);
      const period = exhaustedPeriod(spend, limitsFor(workspaceId));
      if (period !== null) notice(workspaceId, period, spend.keys[period]);
      return period;
    },
    /** A provider's price: the owner's, else the table's, else the unknown-model rate. */
    priceOf(provider: AiProvider, model: string): { price: ModelPrice; known: boolean } {
      if (provider.price != null) return { price: provider.price, known: true };
      const listed = prices[model];
      return listed !== undefined && Object.hasOwn(prices, model)
        ? { price: listed, known: true }
        : { price: fallbackPrice, known: false };
    },
    /**
     * Not one provider's worst case fits what is left. With nothing else under way, nothing will be
     * given back either: for the owner the budget is used up.
     */
    overBudget(workspaceId: string, limits: BudgetLimits, nano: number): void {
      const spend = options.ledger.spent(workspaceId);
      if (spend.held !== 0) return;
      const day = limits.dailyUsd !== null && spend.day + nano > usdToNano(limits.dailyUsd);
      const period: BudgetPeriod = day ? 'day' : 'month';
      notice(workspaceId, period, spend.keys[period]);
    },
  };
}

/** The owner's chain for a tier: its own providers, then the other tier's (see the file comment). */
function chainFor(
  tiers: AiOrchestratorOptions['tiers'],
  tier: Tier,
  allowFastFallback: boolean,
): ChainLink[] {
  const other: Tier = tier === 'fast' ? 'smart' : 'fast';
  const chain = tiers[tier].map((provider) => ({ provider, tier }));
  if (tier === 'fast' || allowFastFallback) {
    for (const provider of tiers[other]) {
      if (!chain.some((c) => c.provider.name === provider.name)) chain.push({ provider, tier: other });
    }
  }
  return chain;
}

/** One provider's turn: past its breaker, its worst case held from the budget, then asked. */
async function tryLink(
  parts: OrchestratorParts,
  input: AiRequest,
  link: ChainLink,
  limits: BudgetLimits,
  attempts: AiAttempt[],
): Promise<LinkStep> {
  const { options, breaker } = parts;
  const { provider } = link;
  if (!breaker.tryAcquire(provider.name)) {
    attempts.push({ provider: provider.name, model: provider.model, outcome: 'circuit-open' });
    return { kind: 'next' };
  }
  const { price } = parts.budget.priceOf(provider, provider.model);
  const worst = costOf(worstCaseUsage(input.request, DEFAULT_MAX_TOKENS), provider.model, {}, price).nanoUsd;
  const reservation = options.ledger.reserve(input.workspaceId, worst, limits);
  if (reservation === null) {
    breaker.release(provider.name);
    attempts.push({ provider: provider.name, model: provider.model, outcome: 'over-budget' });
    return { kind: 'over-budget', nano: worst };
  }
  try {
    const completion = await provider.complete(input.request, input.signal);
    breaker.onSuccess(provider.name);
    const { price: charged, known } = parts.budget.priceOf(provider, completion.model);
    const cost = costOf(completion.usage, completion.model, {}, charged);
    options.ledger.settle(reservation, cost.nanoUsd);
    attempts.push({ provider: provider.name, model: provider.model, outcome: 'ok' });
    logAnswer(options.logger, input.tier, link, completion, { usd: cost.usd, known });
    parts.budget.checkBudget(input.workspaceId);
    const extra: Partial<AiOutcome> = {
      provider: provider.name,
      model: completion.model,
      costUsd: cost.nanoUsd / NANO_PER_USD,
      ...(link.tier !== input.tier && { answeredTier: link.tier }),
    };
    const text = completion.text.trim();
    if (isHandoff(text) || text === '') return { kind: 'done', reason: 'ai-handoff', extra };
    const result: BotResult = {
      kind: 'answer',
      text,
      faqId: null,
      confidence: AI_ANSWER_CONFIDENCE,
      source: 'ai',
    };
    return { kind: 'done', reason: 'ai-answer', result, extra };
  } catch (error) {
    options.ledger.settle(reservation, 0);
    return linkFailed(parts, input.workspaceId, provider, error, attempts);
  }
}

function logAnswer(
  log: Logger | undefined,
  asked: Tier,
  link: ChainLink,
  completion: Awaited<ReturnType<AiProvider['complete']>>,
  cost: { usd: number; known: boolean },
): void {
  const { provider, tier: providerTier } = link;
  if (!cost.known)
    log?.warn('ai.unknown_model', 'model has no price: charged the most expensive listed price', {
      provider: provider.name,
      model: completion.model,
    });
  log?.info('ai.answered', 'AI provider answered', {
    provider: provider.name,
    model: completion.model,
    tier: providerTier,
    inputTokens: completion.usage.inputTokens,
    outputTokens: completion.usage.outputTokens,
    costUsd: cost.usd,
    latencyMs: Math.round(completion.latencyMs),
  });
  if (providerTier !== asked) {
    log?.info(
      'ai.fell_back',
      asked === 'smart'
        ? `No smart-tier provider could answer: the fast tier's ${provider.name} did`
        : `No fast-tier provider could answer: the smart tier's ${provider.name} did`,
      { asked, answered: providerTier, provider: provider.name },
    );
  }
}

/** A provider failed: aborted ends the chain, a refused key or a failover kind moves on, another 4xx stops. */
function linkFailed(
  parts: OrchestratorParts,
  workspaceId: string,
  provider: AiProvider,
  error: unknown,
  attempts: AiAttempt[],
): LinkStep {
  const { options, breaker } = parts;
  const failure = asProviderError(error, provider.name);
  attempts.push({
    provider: provider.name,
    model: provider.model,
    outcome: failure.kind,
    status: failure.status,
  });
  options.logger?.warn('ai.provider_failed', failure.message, {
    provider: provider.name,
    model: provider.model,
    kind: failure.kind,
    status: failure.status,
    ...(failure.retryAfterMs !== null && { retryAfterMs: failure.retryAfterMs }),
  });
  if (failure.kind === 'aborted') {
    breaker.release(provider.name);
    return { kind: 'done', reason: 'ai-aborted' };
  }
  if (failure.kind === 'key-refused') {
    const wasRefused = breaker.health(provider.name).state === 'key-refused';
    breaker.onKeyRefused(provider.name);
    if (!wasRefused) options.onKeyRefused?.(workspaceId, provider.name, failure.status ?? 401);
    return { kind: 'next' };
  }
  const why = failure.status === null ? failure.kind : `HTTP ${failure.status}`;
  breaker.onFailure(provider.name, why, failure.retryAfterMs);
  return failure.failOver ? { kind: 'next' } : { kind: 'done', reason: 'ai-client-error' };
}
