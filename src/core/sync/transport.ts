/**
 * HTTP to the central server, behind a small interface: the pusher and enrollment only see a status,
 * the Retry-After header and the body, and unit tests of backoff and batching hand in a scripted
 * transport instead of a network.
 */
export interface SyncHttpResponse {
  status: number;
  retryAfter: string | null;
  /** The body as text (cut at `MAX_RESPONSE_CHARS`). */
  text: string;
}

export interface SyncPostRequest {
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  timeoutMs: number;
  /** Aborts the request (the pusher stops, or the workspace leaves). */
  signal?: AbortSignal;
}

export interface SyncTransport {
  /** Resolves with any HTTP status; rejects with SyncNetworkError when no response came. */
  post(request: SyncPostRequest): Promise<SyncHttpResponse>;
}

/** No HTTP response: refused, reset, DNS failure, timeout, aborted. */
export class SyncNetworkError extends Error {
  override readonly name = 'SyncNetworkError';
  constructor(
    message: string,
    readonly reason: 'timeout' | 'aborted' | 'network',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A central server's answers are small JSON objects; a larger body is cut, not buffered whole. */
export const MAX_RESPONSE_CHARS = 64 * 1024;

/** The default transport: Node's fetch. */
export function createFetchTransport(fetchImpl: typeof fetch = fetch): SyncTransport {
  return {
    async post(request) {
      const timeout = AbortSignal.timeout(request.timeoutMs);
      const signal = request.signal === undefined ? timeout : AbortSignal.any([timeout, request.signal]);
      let response: Response;
      try {
        response = await fetchImpl(request.url, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          signal,
          redirect: 'error',
        });
      } catch (error) {
        throw asNetworkError(error, timeout, request.signal);
      }
      let text: string;
      try {
        text = await readBounded(response, MAX_RESPONSE_CHARS);
      } catch (error) {
        throw asNetworkError(error, timeout, request.signal);
      }
      return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
    },
  };
}

async function readBounded(response: Response, maxChars: number): Promise<string> {
  if (response.body === null) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (text.length >= maxChars) {
        await reader.cancel().catch(() => undefined);
        return text.slice(0, maxChars);
      }
    }
    return text + decoder.decode();
  } finally {
    reader.releaseLock();
  }
}

function asNetworkError(
  error: unknown,
  timeout: AbortSignal,
  stop: AbortSignal | undefined,
): SyncNetworkError {
  if (stop?.aborted === true)
    return new SyncNetworkError('the request was cancelled', 'aborted', { cause: error });
  if (timeout.aborted)
    return new SyncNetworkError('the server did not answer in time', 'timeout', { cause: error });
  return new SyncNetworkError(describeNetworkError(error), 'network', { cause: error });
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is in its cause. */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused: the server is not running or the address is wrong';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the server name could not be found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was cut';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the network is unreachable';
    default:
      break;
  }
  // fetch refuses ports browsers block (Fetch standard, "bad port"): 1, 9, 25, 6000, ...
  if (cause?.message === 'bad port') return 'that port is blocked for web requests; use another port';
  if (typeof cause?.message === 'string' && cause.message !== '') return cause.message.slice(0, 200);
  return error instanceof Error ? error.message.slice(0, 200) : 'the request failed';
}
