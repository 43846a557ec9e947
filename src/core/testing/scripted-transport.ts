import { gunzipSync } from 'node:zlib';
import type { SyncHttpResponse, SyncPostRequest, SyncTransport } from '../sync/transport';
import { SyncNetworkError } from '../sync/transport';

/** One request as the scripted transport saw it: the body decoded (gunzipped when it was gzip). */
export interface RecordedRequest {
  url: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read what they need
  /** Bytes on the wire. */
  wireBytes: number;
}

export type ScriptedReply =
  | SyncHttpResponse
  | { networkError: string }
  | ((request: RecordedRequest) => SyncHttpResponse | { networkError: string });

/**
 * Test support: a SyncTransport that answers from a script instead of a network, for unit tests of the
 * pusher's batching, backoff and error handling. End-to-end tests use the real central server.
 */
export function createScriptedTransport(fallback?: ScriptedReply) {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedReply[] = [];
  const transport: SyncTransport = {
    post(request: SyncPostRequest) {
      const raw = typeof request.body === 'string' ? Buffer.from(request.body) : Buffer.from(request.body);
      const text =
        request.headers['content-encoding'] === 'gzip'
          ? gunzipSync(raw).toString('utf8')
          : raw.toString('utf8');
      const recorded: RecordedRequest = {
        url: request.url,
        path: new URL(request.url).pathname,
        headers: request.headers,
        // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- tests read the JSON as they need
        body: JSON.parse(text),
        wireBytes: raw.length,
      };
      requests.push(recorded);
      let reply = queue.shift() ?? fallback;
      if (reply === undefined) return Promise.reject(new Error(`no scripted reply for ${request.url}`));
      if (typeof reply === 'function') reply = reply(recorded);
      if ('networkError' in reply) return Promise.reject(new SyncNetworkError(reply.networkError, 'network'));
      return Promise.resolve(reply);
    },
  };
  return {
    transport,
    requests,
    /** Queue replies, answered in order before the fallback. */
    reply(...replies: ScriptedReply[]) {
      queue.push(...replies);
    },
  };
}

export const json = (status: number, body: unknown, retryAfter: string | null = null): SyncHttpResponse => ({
  status,
  retryAfter,
  text: JSON.stringify(body),
});

/** An ingest reply that acknowledges everything the request carried. */
export const ackAll = (request: RecordedRequest): SyncHttpResponse => {
  const { events } = request.body as { events: { seq: number }[] };
  return json(200, { ackedSeq: events.at(-1)?.seq ?? 0, stored: events.length, duplicates: 0 });
};
