import { z } from 'zod';
import type { AiProviderSettings } from '../../../shared/settings';
import type { ModelPrice } from './cost';
import { ProviderError, type AiProvider, type CompletionRequest, type CompletionResult } from './types';

/**
 * HTTP providers over Node's global fetch. Each call has its own deadline (AbortController): the body
 * must be read in full within `timeoutMs`. API keys go only into request headers, never into an error
 * message or a log entry.
 */

const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_TOKENS = 300;
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

export interface OpenAiCompatibleConfig {
  /** Unique among providers (e.g. 'openai', 'groq'); used in logs and by the circuit breaker. */
  name: string;
  /** Up to and including the version path, e.g. 'https://api.openai.com/v1'. */
  baseUrl: string;
  /** '' for a service that takes no key (Ollama, llama.cpp on this computer): no header is sent. */
  apiKey: string;
  model: string;
  timeoutMs?: number;
  temperature?: number;
  price?: ModelPrice | null;
}

export interface AnthropicConfig {
  name?: string;
  /** Without '/v1', e.g. 'https://api.anthropic.com'. */
  baseUrl?: string;
  apiKey: string;
  model: string;
  timeoutMs?: number;
  /** The `anthropic-version` header. */
  version?: string;
  price?: ModelPrice | null;
}

const openAiResponse = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
  usage: z.object({
    prompt_tokens: z.number().int().nonnegative(),
    completion_tokens: z.number().int().nonnegative(),
  }),
});

const anthropicResponse = z.object({
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })).min(1),
  usage: z.object({
    input_tokens: z.number().int().nonnegative(),
    output_tokens: z.number().int().nonnegative(),
  }),
});

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** POSTs JSON and returns the parsed body, or throws a classified ProviderError. */
async function postJson(
  provider: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<unknown> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const failed = (): ProviderError =>
    timedOut
      ? new ProviderError(provider, 'timeout', null, `no answer within ${timeoutMs} ms`)
      : controller.signal.aborted
        ? new ProviderError(provider, 'aborted')
        : new ProviderError(provider, 'network');
  try {
    if (signal?.aborted) throw new ProviderError(provider, 'aborted');
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      text = await response.text();
    } catch {
      throw failed();
    }
    const wait = retryAfterMs(response.headers.get('retry-after'), Date.now());
    if (response.status === 429) throw new ProviderError(provider, 'rate-limited', 429, undefined, wait);
    if (response.status >= 500) {
      throw new ProviderError(
        provider,
        'server',
        response.status,
        undefined,
        response.status === 503 ? wait : null,
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new ProviderError(provider, 'key-refused', response.status);
    }
    if (!response.ok) throw new ProviderError(provider, 'client', response.status);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ProviderError(provider, 'malformed', response.status, 'body is not JSON');
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Most a provider may hold us off for: past an hour the owner should look, not the bot wait. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/** Retry-After as seconds or an HTTP date (RFC 9110), in ms from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

function parse<T>(provider: string, schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const fields = [...new Set(result.error.issues.map((i) => i.path.join('.') || '(root)'))].join(', ');
    throw new ProviderError(provider, 'malformed', null, `missing or invalid ${fields}`);
  }
  return result.data;
}

/** A provider making one call per completion; the timing and the result's names are the same for every API. */
function timedProvider(
  config: { name: string; model: string; price?: ModelPrice | null },
  call: (
    request: CompletionRequest,
    signal?: AbortSignal,
  ) => Promise<Pick<CompletionResult, 'text' | 'usage'>>,
): AiProvider {
  const { name, model } = config;
  return {
    name,
    model,
    price: config.price ?? null,
    async complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
      const started = performance.now();
      const { text, usage } = await call(request, signal);
      return { text, usage, provider: name, model, latencyMs: performance.now() - started };
    },
  };
}

/** OpenAI's chat-completions API, and the many services that copy it (Groq, OpenRouter, Ollama, ...). */
export function createOpenAiCompatibleProvider(config: OpenAiCompatibleConfig): AiProvider {
  const { name, model } = config;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return timedProvider(config, async (request, signal) => {
    const body = await postJson(
      name,
      joinUrl(config.baseUrl, '/chat/completions'),
      config.apiKey === '' ? {} : { authorization: `Bearer ${config.apiKey}` },
      {
        model,
        messages: [{ role: 'system', content: request.system }, ...request.messages],
        max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
        ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
      },
      timeoutMs,
      signal,
    );
    const data = parse(name, openAiResponse, body);
    return {
      text: data.choices[0]!.message.content,
      usage: { inputTokens: data.usage.prompt_tokens, outputTokens: data.usage.completion_tokens },
    };
  });
}

/** Anthropic's messages API. */
export function createAnthropicProvider(config: AnthropicConfig): AiProvider {
  const name = config.name ?? 'anthropic';
  const { model } = config;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return timedProvider({ ...config, name }, async (request, signal) => {
    const body = await postJson(
      name,
      joinUrl(config.baseUrl ?? 'https://api.anthropic.com', '/v1/messages'),
      {
        ...(config.apiKey === '' ? {} : { 'x-api-key': config.apiKey }),
        'anthropic-version': config.version ?? DEFAULT_ANTHROPIC_VERSION,
      },
      {
        model,
        system: request.system,
        messages: request.messages,
        max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
      },
      timeoutMs,
      signal,
    );
    const data = parse(name, anthropicResponse, body);
    const text = data.content.find((block) => block.type === 'text')?.text;
    if (text === undefined) throw new ProviderError(name, 'malformed', null, 'no text block in content');
    return { text, usage: { inputTokens: data.usage.input_tokens, outputTokens: data.usage.output_tokens } };
  });
}

/** The provider a workspace configured (Settings > AI answers), with its key opened from the key store. */
export function providerFromSettings(
  config: AiProviderSettings,
  apiKey: string,
  timeoutMs: number,
): AiProvider {
  const common = {
    name: config.id,
    baseUrl: config.baseUrl,
    apiKey,
    model: config.model,
    timeoutMs,
    price: config.price ?? null,
  };
  return config.kind === 'anthropic'
    ? createAnthropicProvider(common)
    : createOpenAiCompatibleProvider(common);
}
