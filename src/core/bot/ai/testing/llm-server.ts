import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local LLM endpoint on 127.0.0.1 (port 0) speaking the OpenAI chat-completions or the Anthropic
 * messages shape, for tests and benchmarks. By default it answers a fixed short text with usage
 * proportional to the prompt's length (4 characters a token); a `respond` function scripts anything else.
 */

export type LlmShape = 'openai' | 'anthropic';

export interface LlmReply {
  status?: number;
  /** A JSON value, or a raw string sent as is (for malformed bodies). Default: a well-formed answer. */
  body?: unknown;
  /** The text of a default well-formed answer. */
  text?: string;
  usage?: { input: number; output: number };
  delayMs?: number;
  /** Extra response headers (Retry-After). */
  headers?: Record<string, string>;
}

export interface LlmRequestLog {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface LlmServer {
  url: string;
  requests: LlmRequestLog[];
  close(): Promise<void>;
}

export const DEFAULT_LLM_ANSWER = 'Yes, we have it in stock. You can pick it up at the shop today.';

export function approxTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

/** Characters of the prompt: system text plus every message's content. */
function promptChars(body: Record<string, unknown>): number {
  let chars = typeof body.system === 'string' ? body.system.length : 0;
  const messages = Array.isArray(body.messages) ? (body.messages as { content?: unknown }[]) : [];
  for (const m of messages) if (typeof m.content === 'string') chars += m.content.length;
  return chars;
}

function wellFormed(shape: LlmShape, text: string, usage: { input: number; output: number }): unknown {
  return shape === 'openai'
    ? {
        id: 'chatcmpl-test',
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
        },
      }
    : {
        id: 'msg_test',
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        usage: { input_tokens: usage.input, output_tokens: usage.output },
      };
}

export async function startLlmServer(
  shape: LlmShape,
  respond: (request: LlmRequestLog, index: number) => LlmReply = () => ({}),
): Promise<LlmServer> {
  const requests: LlmRequestLog[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        // Logged as an empty body; the test asserts on it.
      }
      const log = { path: req.url ?? '', headers: req.headers, body };
      requests.push(log);
      const reply = respond(log, requests.length - 1);
      const text = reply.text ?? DEFAULT_LLM_ANSWER;
      const usage = reply.usage ?? {
        input: approxTokens(promptChars(body)),
        output: approxTokens(text.length),
      };
      const payload = reply.body === undefined ? wellFormed(shape, text, usage) : reply.body;
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      };
      if (reply.delayMs === undefined) send();
      else setTimeout(send, reply.delayMs).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
