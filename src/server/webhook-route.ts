import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DirectWebhooks } from '../core/index';
import { readBody } from '../core/http/index';
import { sendJson } from './send-json';
import { SECURITY_HEADERS } from './static-files';

/** Where Meta's webhooks reach the host (behind the reseller's TLS reverse proxy). */
export const WEBHOOK_PATH = '/webhooks/whatsapp';

export type WebhookRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * `GET|POST /webhooks/whatsapp` over HTTP: a thin binding of the core's intake (core/cloud/
 * direct-webhooks.ts), which checks, routes, logs and says what to answer. No access token: Meta cannot
 * send one; the signature over the raw bytes is the check. Mounted before the API's token check.
 */
export function createWebhookRoute(intake: DirectWebhooks): WebhookRoute {
  return async (req, res) => {
    if (req.method === 'GET') {
      req.resume();
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const answer = await intake.handshake({
        mode: query.get('hub.mode'),
        verifyToken: query.get('hub.verify_token'),
        challenge: query.get('hub.challenge'),
      });
      if (answer.status === 200) sendText(res, 200, answer.challenge);
      else sendText(res, answer.status, answer.status === 404 ? 'Not found' : 'Forbidden');
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      const answer = intake.wrongMethod(req.method ?? '');
      sendText(res, answer.status, 'Method not allowed', { Allow: 'GET, POST' });
      return;
    }
    const body = await readBody(req, intake.maxBodyBytes);
    if (body.kind === 'too-large') {
      const answer = intake.tooLarge(body.declared);
      sendText(res, answer.status, 'Payload too large', { Connection: 'close' });
      // The rest of the upload is not read: the connection goes once the answer is out.
      res.on('finish', () => req.destroy());
      return;
    }
    const signature = req.headers['x-hub-signature-256'];
    const answer = await intake.receive(body.bytes, typeof signature === 'string' ? signature : undefined);
    if (answer.status === 200) {
      // Journaled by the pipeline: only now may Meta forget it.
      const { status: _status, ...counts } = answer;
      sendJson(res, 200, counts);
    } else {
      sendJson(res, answer.status, { error: answer.reason, message: answer.message });
    }
  };
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}
