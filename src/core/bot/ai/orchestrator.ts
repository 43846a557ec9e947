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
  exhaustedPeriod,
  NANO_PER_USD,
  unknownModelPrice,
  DEFAULT_PRICES,
  type BudgetLedger,
  type BudgetLimits,
  type BudgetPeriod,
  type ModelPrice,
  type PriceTable,
} from './cost';
import { isHandoff } from './prompt';
import { ProviderError, type AiProvider, type CompletionRequest, type Tier } from './types';

/**
 * The AI orchestrator: budget check, then each provider of the tier's chain in order. A timeout, 429,
 * 5xx, malformed body or network error moves on to the next provider; a 4xx (bad key, bad request)
 * stops the chain, since the request itself is at fault. Every provider sits behind a circuit breaker.
 */

/** An AI answer has no calibrated probability; the pipeline reads `source: 'ai'` rather than this. */
export const AI_ANSWER_CONFIDENCE = 1;

export interface AiOrchestratorOptions {
  /** Providers per tier, in the order they are tried. */
  tiers: Readonly<Record<Tier, readonly AiProvider[]>>;
  ledger: BudgetLedger;
  budget: BudgetLimits | ((workspaceId: string) => BudgetLimits);
  prices?: PriceTable;
  /** Charged for a model missing from `prices`; default the table's most expensive rates. */
  unknownModelPrice?: ModelPrice;
  breaker?: { failureThreshold?: number; coolDownMs?: number };
  now: () => number;
  logger?: Logger;
  /** Called once per workspace and budget period (day or month), when spending reaches the limit. */
  onBudgetExhausted?: (workspaceId: string, period: BudgetPeriod) => void;
}

export interface AiRequest {
  workspaceId: string;
  tier: Tier;
  request: CompletionRequest;
  signal?: AbortSignal;
}

export interface AiAttempt {
  provider: string;
  model: string;
  /** 'ok', 'circuit-open', or the ProviderError kind. */
  outcome: string;
  status?: number | null;
}

export interface AiOutcome {
  result: BotResult;
  /** 'ai-answer', 'ai-handoff', 'budget-exhausted', 'ai-unavailable', 'ai-client-error', 'ai-aborted', 'ai-no-providers'. */
  reason: string;
  tier: Tier;
  provider: string | null;
  model: string | null;
  costUsd: number;
  attempts: AiAttempt[];
}

export type AiOrchestrator = ReturnType<typeof createAiOrchestrator>;

export function createAiOrchestrator(options: AiOrchestratorOptions) {
  const prices = options.prices ?? DEFAULT_PRICES;
  const fallbackPrice = options.unknownModelPrice ?? unknownModelPrice(prices);
  const breaker: CircuitBreaker = createCircuitBreaker({
    failureThreshold: options.breaker?.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
    coolDownMs: options.breaker?.coolDownMs ?? DEFAULT_COOL_DOWN_MS,
    now: options.now,
  });
  const limitsFor = (workspaceId: string): BudgetLimits =>
    typeof options.budget === 'function' ? options.budget(workspaceId) : options.budget;

  /** The exhausted period, if any; tells the owner once per period. */
  function checkBudget(workspaceId: string): BudgetPeriod | null {
    const spend = options.ledger.spent(workspaceId);
    const period = exhaustedPeriod(spend, limitsFor(workspaceId));
    if (period !== null && options.ledger.claimNotice(workspaceId, period, spend.keys[period])) {
      options.logger?.warn('ai.budget_exhausted', `AI ${period} budget used up`, {
        period,
        key: spend.keys[period],
      });
      options.onBudgetExhausted?.(workspaceId, period);
    }
    return period;
  }

  async function answer(input: AiRequest): Promise<AiOutcome> {
    const { workspaceId, tier } = input;
    const attempts: AiAttempt[] = [];
    const done = (
      reason: string,
      result: BotResult = { kind: 'abstain', reason },
      extra: Partial<AiOutcome> = {},
    ): AiOutcome => ({ result, reason, tier, provider: null, model: null, costUsd: 0, attempts, ...extra });

    if (checkBudget(workspaceId) !== null) return done('budget-exhausted');
    const chain = options.tiers[tier];
    if (chain.length === 0) return done('ai-no-providers');

    for (const provider of chain) {
      if (!breaker.tryAcquire(provider.name)) {
        attempts.push({ provider: provider.name, model: provider.model, outcome: 'circuit-open' });
        continue;
      }
      try {
        const completion = await provider.complete(input.request, input.signal);
        breaker.onSuccess(provider.name);
        attempts.push({ provider: provider.name, model: provider.model, outcome: 'ok' });
        const cost = costOf(completion.usage, completion.model, prices, fallbackPrice);
        options.ledger.record(workspaceId, cost.nanoUsd);
        if (!cost.known)
          options.logger?.warn(
            'ai.unknown_model',
            'model not in the price table; charged the fallback price',
            {
              provider: provider.name,
              model: completion.model,
            },
          );
        options.logger?.info('ai.answered', 'AI provider answered', {
          provider: provider.name,
          model: completion.model,
          tier,
          inputTokens: completion.usage.inputTokens,
          outputTokens: completion.usage.outputTokens,
          costUsd: cost.usd,
          latencyMs: Math.round(completion.latencyMs),
        });
        checkBudget(workspaceId);
        const extra = {
          provider: provider.name,
          model: completion.model,
          costUsd: cost.nanoUsd / NANO_PER_USD,
        };
        const text = completion.text.trim();
        if (isHandoff(text) || text === '') return done('ai-handoff', undefined, extra);
        return done(
          'ai-answer',
          { kind: 'answer', text, faqId: null, confidence: AI_ANSWER_CONFIDENCE, source: 'ai' },
          extra,
        );
      } catch (error) {
        const failure =
          error instanceof ProviderError
            ? error
            : new ProviderError(provider.name, 'network', null, 'unexpected error');
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
        });
        if (failure.kind === 'aborted') {
          breaker.release(provider.name);
          return done('ai-aborted');
        }
        breaker.onFailure(provider.name);
        if (!failure.failOver) return done('ai-client-error');
      }
    }
    return done('ai-unavailable');
  }

  return {
    answer,
    /** For the owner's status page and tests. */
    circuitState: (providerName: string) => breaker.state(providerName),
  };
}
