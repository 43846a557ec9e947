import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseWebhook, type WebhookNotification, type WebhookRefusal } from '../whatsapp/cloud-api/webhook';

/**
 * Test support: the smallest webhook callback there is, on 127.0.0.1. It verifies each POST with
 * parseWebhook over the raw bytes and hands the notification on; 200 only once `deliver` took it, so
 * the sender (the local Graph API server, like Meta) retries what was not taken. Not the relay or the
 * headless host's intake: no storage, no routing beyond `deliver`.
 */
export interface WebhookReceiverOptions {
  appSecret: string;
  /** The verify token of the GET handshake. */
  verifyToken?: string;
  /** true: taken (200); false: not now (503, Meta retries later). */
  deliver(notification: WebhookNotification): boolean | Promise<boolean>;
}

export interface WebhookReceiver {
  readonly url: string;
  /** POSTs taken. */
  readonly taken: number;
  /** POSTs refused, with why. */
  readonly refused: WebhookRefusal[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  let taken = 0;
  const refused: WebhookRefusal[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET') {
      const ok =
        url.searchParams.get('hub.mode') === 'subscribe' &&
        options.verifyToken !== undefined &&
        url.searchParams.get('hub.verify_token') === options.verifyToken;
      res.writeHead(ok ? 200 : 403, { 'content-type': 'text/plain' });
      res.end(ok ? (url.searchParams.get('hub.challenge') ?? '') : 'forbidden');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const parsed = parseWebhook(
        Buffer.concat(chunks),
        req.headers['x-hub-signature-256'] as string,
        options.appSecret,
      );
      if (!parsed.ok) {
        refused.push(parsed.reason);
        const signature = parsed.reason === 'missing-signature' || parsed.reason === 'bad-signature';
        res.writeHead(signature ? 401 : 400).end();
        return;
      }
      Promise.resolve(options.deliver(parsed.notification)).then(
        (ok) => {
          if (ok) taken++;
          res.writeHead(ok ? 200 : 503).end();
        },
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/whatsapp`,
    get taken() {
      return taken;
    },
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
