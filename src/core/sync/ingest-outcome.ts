import { ingestResponse, syncErrorBody, type IngestResponse } from '../../shared/sync-protocol';
import { parseRetryAfter } from './backoff';
import type { SyncHttpResponse } from './transport';

/** What an ingest reply means for the pusher. */
export type IngestOutcome =
  | { kind: 'acked'; response: IngestResponse }
  | { kind: 'unauthorized'; status: number; message: string }
  | { kind: 'rejected'; status: number; message: string }
  | { kind: 'wait'; status: number; message: string; retryAfterMs: number | null }
  | { kind: 'failed'; status: number; message: string };

export function classifyIngestResponse(response: SyncHttpResponse, now: number): IngestOutcome {
  const body = parseJson(response.text);
  const serverMessage = errorMessageOf(body, response.text);
  const { status } = response;
  if (status === 200) {
    const parsed = ingestResponse.safeParse(body);
    if (parsed.success) return { kind: 'acked', response: parsed.data };
    return { kind: 'failed', status, message: 'the answer to the upload could not be read' };
  }
  if (status === 401 || status === 403) return { kind: 'unauthorized', status, message: serverMessage };
  if (status === 400 || status === 413) return { kind: 'rejected', status, message: serverMessage };
  if (status === 429 || status === 503) {
    return {
      kind: 'wait',
      status,
      message: serverMessage,
      retryAfterMs: parseRetryAfter(response.retryAfter, now),
    };
  }
  return { kind: 'failed', status, message: serverMessage };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The server's `{ error: { message } }`, or the start of whatever it sent (a proxy's HTML page). */
export function errorMessageOf(body: unknown, text: string): string {
  const parsed = syncErrorBody.safeParse(body);
  if (parsed.success) return parsed.data.error.message.slice(0, 500);
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain === '' ? 'no details' : plain.slice(0, 200);
}

/** The server's own words, and how to fix it unless they already say (a new code). */
export function refusedKeyMessage(status: number, serverMessage: string): string {
  const words = /[.!?]$/.test(serverMessage) ? serverMessage : `${serverMessage}.`;
  const advice = /new code/i.test(serverMessage)
    ? ''
    : ' Enroll again with a new code from your administrator.';
  return `The central server no longer accepts this computer's key (HTTP ${status}): ${words}${advice}`;
}
