// Test support: the central server's half of the webhook relay (src/shared/relay-protocol.ts) on
// 127.0.0.1, in memory, that can refuse the token, fail, be closed and listen again on its port, or
// deliver again what was acknowledged (as after a client crash before its ack reached the server).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RelayNotification } from '../../src/shared/relay-protocol';

export const RELAY_TOKEN = 'relay-token-for-chidi-pharmacy-0001';

/** The central server's side of the relay protocol, in memory, with faults on demand. */
export class FakeRelayServer {
  notifications: RelayNotification[] = [];
  acked = 0;
  mode: 'ok' | 'refuse' | 'fail' = 'ok';
  polls = 0;
  /** The next poll's `after` is not taken as an ack (set by redeliver). */
  private ignoreNextAfter = false;
  private http: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  add(phoneNumberId: string, notification: unknown): number {
    const seq = (this.notifications.at(-1)?.seq ?? 0) + 1;
    this.notifications.push({ seq, phoneNumberId, receivedAt: Date.now(), notification });
    return seq;
  }

  /**
   * Forgets every ack: the next poll gets every notification again whatever its `after` says, as when
   * the client stored them but crashed before its ack reached the server.
   */
  redeliver(): void {
    this.acked = 0;
    this.ignoreNextAfter = true;
  }

  async listen(port = 0): Promise<void> {
    this.http = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const json = (status: number, body: unknown) => {
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.headers.authorization !== `Bearer ${RELAY_TOKEN}` || this.mode === 'refuse')
          return json(401, { error: { code: 'UNAUTHORIZED', message: 'no' } });
        if (this.mode === 'fail') return json(503, { error: { code: 'UNAVAILABLE', message: 'later' } });
        if (req.method === 'POST' && url.pathname === '/api/v1/relay/ack') {
          const { seq } = JSON.parse(Buffer.concat(chunks).toString()) as { seq: number };
          this.acked = Math.max(this.acked, seq);
          return json(200, { ackedSeq: this.acked });
        }
        if (req.method === 'GET' && url.pathname === '/api/v1/relay') {
          this.polls++;
          if (this.ignoreNextAfter) this.ignoreNextAfter = false;
          else this.acked = Math.max(this.acked, Number(url.searchParams.get('after') ?? 0));
          const answer = () =>
            json(200, {
              notifications: this.notifications.filter((n) => n.seq > this.acked),
              ackedSeq: this.acked,
            });
          // A short long poll: enough for the client to wait, short enough for the test.
          if (this.notifications.some((n) => n.seq > this.acked)) return answer();
          setTimeout(answer, 150);
          return;
        }
        json(404, {});
      });
    });
    await new Promise<void>((resolve) => this.http!.listen(port, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const http = this.http;
    if (http === undefined) return;
    this.http = undefined;
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
}
