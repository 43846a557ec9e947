/**
 * The AI orchestrator's vocabulary: a provider turns a grounded prompt into text plus token
 * usage, and fails with a classified `ProviderError` so the fallback chain knows whether to move on.
 */

export interface ChatMessage {
  /** 'user' is the customer; 'assistant' is the shop (the bot or the owner typing by hand). */
  role: 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  system: string;
  messages: ChatMessage[];
  /** Caps the reply; WhatsApp answers are short. */
  maxTokens?: number;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface CompletionResult {
  text: string;
  usage: TokenUsage;
  provider: string;
  model: string;
  latencyMs: number;
}

export interface AiProvider {
  /** Unique among the configured providers: the circuit breaker keys on it. */
  readonly name: string;
  readonly model: string;
  /** USD per million tokens the owner pays for this provider's model; null when nobody said. */
  readonly price?: { inputPerMTok: number; outputPerMTok: number } | null;
  complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult>;
}

/**
 * - timeout: no complete answer within `timeoutMs`.
 * - rate-limited: HTTP 429.
 * - server: HTTP 5xx.
 * - key-refused: HTTP 401/403: the key is wrong or revoked. The owner must act; other providers may
 *   still answer, so the chain moves on.
 * - client: any other non-2xx (bad request, unknown model): the same request will fail again.
 * - malformed: 2xx whose body is not JSON or lacks the fields we read.
 * - network: the connection failed (refused, reset, DNS).
 * - aborted: the caller cancelled.
 */
export type ProviderErrorKind =
  'timeout' | 'rate-limited' | 'server' | 'key-refused' | 'client' | 'malformed' | 'network' | 'aborted';

/** Kinds after which the next provider in the chain is tried: the fault is this provider's, not the request's. */
const FAIL_OVER: ReadonlySet<ProviderErrorKind> = new Set([
  'timeout',
  'rate-limited',
  'server',
  'malformed',
  'network',
  'key-refused',
]);

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly provider: string;
  readonly status: number | null;
  /** How long the provider asked us to wait (Retry-After on 429/503), in ms; null when it did not say. */
  readonly retryAfterMs: number | null;

  /** The message names the provider, the kind and the status only: never a key, a prompt or a body. */
  constructor(
    provider: string,
    kind: ProviderErrorKind,
    status: number | null = null,
    detail?: string,
    retryAfterMs: number | null = null,
  ) {
    super(`${provider}: ${kind}${status === null ? '' : ` (HTTP ${status})`}${detail ? `: ${detail}` : ''}`);
    this.name = 'ProviderError';
    this.provider = provider;
    this.kind = kind;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }

  /** Whether the orchestrator moves on to the next provider (timeout, 429, 5xx, 401/403, malformed, network). */
  get failOver(): boolean {
    return FAIL_OVER.has(this.kind);
  }
}

export type Tier = 'fast' | 'smart';
export const TIERS: readonly Tier[] = ['fast', 'smart'];
