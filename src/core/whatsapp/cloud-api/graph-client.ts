import type { GraphErrorInfo } from './graph-errors';
import { explainGraphError } from './graph-errors';

/**
 * A tiny client for the Graph API: JSON over HTTPS with the access token as a Bearer header (never in a
 * URL, where proxies and logs keep it). Every text that leaves this file, error messages included, has
 * the token scrubbed out, whatever the server echoed back.
 */
export interface GraphClientOptions {
  /** https://graph.facebook.com, or the local Graph API server in tests. */
  baseUrl: string;
  /** 'v25.0', 'v26.0', ... */
  version: string;
  accessToken: string;
  timeoutMs: number;
}

/** A failed Graph request. Its message is safe to log and to show; `info` carries the code to decide on. */
export class GraphApiError extends Error {
  override readonly name = 'GraphApiError';
  constructor(
    message: string,
    readonly info: GraphErrorInfo,
  ) {
    super(message);
  }
}

export interface GraphClient {
  get<T>(path: string, query?: Record<string, string>, timeoutMs?: number): Promise<T>;
  post<T>(path: string, body: unknown, timeoutMs?: number): Promise<T>;
  /** A multipart/form-data POST (a media upload). */
  postForm<T>(path: string, form: FormData, timeoutMs?: number): Promise<T>;
  /** Downloads a media URL the API handed out (it needs the same Bearer header). */
  download(url: string): Promise<{ bytes: Buffer; contentType: string | null }>;
  /** Replaces every occurrence of the token in `text`. */
  scrub(text: string): string;
}

const REDACTED = '[redacted]';

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const root = `${options.baseUrl.replace(/\/+$/, '')}/${options.version}`;
  const token = options.accessToken;
  const scrub = (text: string): string => (token === '' ? text : text.split(token).join(REDACTED));

  async function send(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        headers: { ...init.headers, authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as { name?: unknown }).name === 'TimeoutError';
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const why = timedOut
        ? `no answer within ${timeoutMs} ms`
        : typeof cause?.code === 'string'
          ? cause.code
          : typeof cause?.message === 'string'
            ? cause.message
            : (error as Error).message;
      const info: GraphErrorInfo = {
        code: null,
        subcode: null,
        httpStatus: null,
        details: scrub(why),
        fbtraceId: null,
        network: true,
      };
      throw new GraphApiError(`${explainGraphError(info)} (${scrub(why)})`, info);
    }
  }

  async function json<T>(response: Response): Promise<T> {
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page): decided on the HTTP status below.
    }
    if (response.ok && body !== undefined) return body as T;
    throw errorFrom(response.status, body, scrub);
  }

  return {
    async get<T>(path: string, query: Record<string, string> = {}, timeoutMs = options.timeoutMs) {
      const search = new URLSearchParams(query).toString();
      const response = await send(`${root}${path}${search === '' ? '' : `?${search}`}`, {}, timeoutMs);
      return json<T>(response);
    },
    async post<T>(path: string, body: unknown, timeoutMs = options.timeoutMs) {
      const response = await send(
        `${root}${path}`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        timeoutMs,
      );
      return json<T>(response);
    },
    async postForm<T>(path: string, form: FormData, timeoutMs = options.timeoutMs) {
      // fetch writes the multipart boundary into the content type itself.
      const response = await send(`${root}${path}`, { method: 'POST', body: form }, timeoutMs);
      return json<T>(response);
    },
    async download(url) {
      const response = await send(url, {}, options.timeoutMs);
      if (!response.ok) throw errorFrom(response.status, await response.json().catch(() => undefined), scrub);
      return {
        bytes: Buffer.from(await response.arrayBuffer()),
        contentType: response.headers.get('content-type'),
      };
    },
    scrub,
  };
}

/** `{"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}` -> an error. */
function errorFrom(httpStatus: number, body: unknown, scrub: (text: string) => string): GraphApiError {
  const e = (body as { error?: Record<string, unknown> } | undefined)?.error;
  const code = toNumber(e?.code);
  const details = (e?.error_data as { details?: unknown } | undefined)?.details;
  const info: GraphErrorInfo = {
    code,
    subcode: toNumber(e?.error_subcode),
    httpStatus,
    details: typeof details === 'string' ? scrub(details) : null,
    fbtraceId: typeof e?.fbtrace_id === 'string' ? e.fbtrace_id : null,
    network: false,
  };
  const metaText = typeof e?.message === 'string' ? scrub(e.message) : `HTTP ${httpStatus}`;
  const label = code === null ? `HTTP ${httpStatus}` : `code ${code}`;
  return new GraphApiError(`${explainGraphError(info)} (${label}: ${metaText})`, info);
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return null;
}
