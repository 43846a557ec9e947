export { createCircuitBreaker, type CircuitBreaker, type CircuitState } from './circuit-breaker';
export {
  costOf,
  createBudgetLedger,
  DEFAULT_PRICES,
  exhaustedPeriod,
  unknownModelPrice,
  type BudgetLedger,
  type BudgetLimits,
  type BudgetPeriod,
  type Cost,
  type ModelPrice,
  type PriceTable,
  type Spend,
} from './cost';
export {
  answerHybrid,
  type AnswerMode,
  type HybridFaqMatch,
  type HybridInput,
  type HybridOutcome,
} from './hybrid';
export {
  AI_ANSWER_CONFIDENCE,
  createAiOrchestrator,
  type AiAttempt,
  type AiOrchestrator,
  type AiOrchestratorOptions,
  type AiOutcome,
  type AiRequest,
} from './orchestrator';
export {
  buildPrompt,
  describeHours,
  HANDOFF_TOKEN,
  isHandoff,
  type BusinessProfile,
  type FaqEntry,
  type PromptInput,
} from './prompt';
export {
  createAnthropicProvider,
  createOpenAiCompatibleProvider,
  type AnthropicConfig,
  type OpenAiCompatibleConfig,
} from './providers';
export { faqBand, routeMessage, type FaqBand, type RouteDecision, type RouteInput } from './route';
export {
  ProviderError,
  TIERS,
  type AiProvider,
  type ChatMessage,
  type CompletionRequest,
  type CompletionResult,
  type ProviderErrorKind,
  type Tier,
  type TokenUsage,
} from './types';
