import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider, createOpenAiCompatibleProvider } from './providers';
import { startLlmServer, type LlmReply, type LlmServer } from './testing/llm-server';
import { ProviderError, type AiProvider, type CompletionRequest } from './types';

const SECRET = 'sk-test-do-not-leak-123';
const request: CompletionRequest = {
  system: 'You are a shop.',
  messages: [{ role: 'user', content: 'Una dey open today?' }],
  maxTokens: 50,
};

const servers: LlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function openAi(reply: LlmReply | ((i: number) => LlmReply), apiKey = SECRET, timeoutMs = 2000) {
  const server = await startLlmServer('openai', (_, i) => (typeof reply === 'function' ? reply(i) : reply));
  servers.push(server);
  const provider = createOpenAiCompatibleProvider({
    name: 'oai',
    baseUrl: `${server.url}/v1/`,
    apiKey,
    model: 'gpt-4o-mini',
    timeoutMs,
  });
  return { server, provider };
}

async function anthropic(reply: LlmReply, timeoutMs = 2000) {
  const server = await startLlmServer('anthropic', () => reply);
  servers.push(server);
  const provider = createAnthropicProvider({
    baseUrl: server.url,
    apiKey: SECRET,
    model: 'claude-3-5-haiku-latest',
    timeoutMs,
    version: '2023-06-01',
  });
  return { server, provider };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  expect(String((error as Error).message)).not.toContain(SECRET);
  return error as ProviderError;
}

/** One completion against a provider's test server: its result and the request the server got. */
async function completeOnce(made: Promise<{ server: LlmServer; provider: AiProvider }>) {
  const { server, provider } = await made;
  const result = await provider.complete(request);
  return { result, sent: server.requests[0] };
}

describe('OpenAI-compatible provider', () => {
  it('posts chat completions and reads the answer and usage', async () => {
    const { result, sent } = await completeOnce(
      openAi({ text: 'Yes, 9 to 6.', usage: { input: 42, output: 7 } }),
    );
    expect(result).toMatchObject({
      text: 'Yes, 9 to 6.',
      usage: { inputTokens: 42, outputTokens: 7 },
      provider: 'oai',
    });
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(sent?.body).toEqual({
      model: 'gpt-4o-mini',
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'You are a shop.' },
        { role: 'user', content: 'Una dey open today?' },
      ],
    });
  });

  it('times out when the server is slower than timeoutMs', async () => {
    const { provider } = await openAi({ delayMs: 1000 }, SECRET, 100);
    const started = Date.now();
    const error = await failure(provider.complete(request));
    expect(error.kind).toBe('timeout');
    expect(error.failOver).toBe(true);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it.each([
    [429, 'rate-limited', true],
    [500, 'server', true],
    [503, 'server', true],
    [401, 'key-refused', true],
    [400, 'client', false],
  ] as const)('HTTP %i -> %s (fail over: %s)', async (status, kind, failOver) => {
    const { provider } = await openAi({ status, body: { error: { message: 'nope' } } });
    const error = await failure(provider.complete(request));
    expect(error).toMatchObject({ kind, status, failOver });
  });

  it('reads Retry-After on 429 and 503, in seconds or as a date', async () => {
    const seconds = await openAi({ status: 429, body: {}, headers: { 'retry-after': '120' } });
    expect(await failure(seconds.provider.complete(request))).toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 120_000,
    });
    const date = new Date(Date.now() + 300_000).toUTCString();
    const busy = await openAi({ status: 503, body: {}, headers: { 'retry-after': date } });
    const error = await failure(busy.provider.complete(request));
    expect(error.kind).toBe('server');
    expect(error.retryAfterMs).toBeGreaterThan(240_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(300_000);
    const none = await openAi({ status: 500, body: {}, headers: { 'retry-after': '30' } });
    expect((await failure(none.provider.complete(request))).retryAfterMs).toBeNull();
  });

  it('sends no Authorization header for a service that takes no key', async () => {
    const { server, provider } = await openAi({}, '');
    await provider.complete(request);
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('reports a body that is not JSON as malformed', async () => {
    const { provider } = await openAi({ body: '{"choices": [' });
    expect((await failure(provider.complete(request))).kind).toBe('malformed');
  });

  it('reports missing fields as malformed', async () => {
    const { provider } = await openAi({ body: { choices: [{ message: { content: 'hi' } }] } });
    const error = await failure(provider.complete(request));
    expect(error.kind).toBe('malformed');
    expect(error.message).toContain('usage');
  });

  it('reports a refused connection as a network error', async () => {
    const { server, provider } = await openAi({});
    await server.close();
    expect((await failure(provider.complete(request))).kind).toBe('network');
  });

  it('stops when the caller aborts', async () => {
    const { provider } = await openAi({ delayMs: 1000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await failure(provider.complete(request, controller.signal))).kind).toBe('aborted');
  });
});

describe('Anthropic provider', () => {
  it('posts messages with the key and version headers and reads the answer and usage', async () => {
    const { result, sent } = await completeOnce(
      anthropic({ text: 'We dey open.', usage: { input: 30, output: 5 } }),
    );
    expect(result).toMatchObject({
      text: 'We dey open.',
      usage: { inputTokens: 30, outputTokens: 5 },
      provider: 'anthropic',
    });
    expect(sent?.path).toBe('/v1/messages');
    expect(sent?.headers['x-api-key']).toBe(SECRET);
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent?.body).toEqual({
      model: 'claude-3-5-haiku-latest',
      system: 'You are a shop.',
      messages: [{ role: 'user', content: 'Una dey open today?' }],
      max_tokens: 50,
    });
  });

  it('times out, and classifies 429, 5xx and malformed bodies', async () => {
    expect((await failure((await anthropic({ delayMs: 1000 }, 100)).provider.complete(request))).kind).toBe(
      'timeout',
    );
    expect(
      (await failure((await anthropic({ status: 429, body: {} })).provider.complete(request))).kind,
    ).toBe('rate-limited');
    expect(
      (await failure((await anthropic({ status: 529, body: {} })).provider.complete(request))).kind,
    ).toBe('server');
    expect((await failure((await anthropic({ body: 'not json' })).provider.complete(request))).kind).toBe(
      'malformed',
    );
    const noText = { content: [{ type: 'tool_use' }], usage: { input_tokens: 1, output_tokens: 1 } };
    expect((await failure((await anthropic({ body: noText })).provider.complete(request))).kind).toBe(
      'malformed',
    );
  });
});
