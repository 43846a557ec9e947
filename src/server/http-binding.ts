import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Dispatch, EventHub } from '../core/handlers/index';
import { listenOn, type HttpService } from '../core/http/index';
import { handleCommand, internalError, sendResult } from './command-route';
import { createEventClients } from './event-clients';
import { SECURITY_HEADERS, serveStatic } from './static-files';
import { WEBHOOK_PATH, type WebhookRoute } from './webhook-route';

export { COMMAND_PATH, httpStatusFor } from './command-route';
export { EVENTS_PATH, EVENTS_PROTOCOL } from './event-clients';

export interface HttpBindingOptions {
  dispatch: Dispatch;
  events: Pick<EventHub, 'onAny'>;
  token: string;
  /** The renderer build to serve; without it only the API answers. */
  staticDir?: string;
  /** Meta's Cloud API webhooks at WEBHOOK_PATH, outside the token check (Meta cannot send it). */
  webhooks?: WebhookRoute;
  /** Larger request bodies get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** WebSocket ping interval; a client that misses a pong is dropped. Default 30 s. */
  heartbeatMs?: number;
  log?: (line: string) => void;
}

export interface HttpBinding extends HttpService {
  readonly eventClients: number;
}

/**
 * The contract over HTTP: `POST /api/commands/<name>` runs a command (command-route), `GET /api/events`
 * upgrades to a WebSocket of events (event-clients). Both need the access token. Meta's webhooks have
 * their own path; everything else is the renderer build.
 */
export function createHttpBinding(options: HttpBindingOptions): HttpBinding {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const log = options.log ?? (() => undefined);
  const eventClients = createEventClients({
    events: options.events,
    token: options.token,
    heartbeatMs: options.heartbeatMs ?? 30_000,
    log,
    pathnameOf: safePathname,
  });

  const server = createServer((req, res) => {
    const pathname = safePathname(req.url);
    if (pathname === WEBHOOK_PATH && options.webhooks !== undefined) {
      options.webhooks(req, res).catch((error: unknown) => {
        log(`webhook failed: ${String(error)}`);
        // Not 200: Meta sends it again later.
        if (!res.headersSent) sendResult(res, 500, internalError());
        else res.destroy();
      });
      return;
    }
    if (pathname.startsWith('/api/')) {
      handleCommand(req, res, pathname, {
        dispatch: options.dispatch,
        token: options.token,
        maxBodyBytes,
      }).catch((error: unknown) => {
        log(`request failed: ${String(error)}`);
        if (!res.headersSent) sendResult(res, 500, internalError());
        else res.destroy();
      });
      return;
    }
    if (options.staticDir === undefined) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    serveStatic(req, res, options.staticDir);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    eventClients.handleUpgrade(req, socket, head),
  );
  server.on('clientError', (_error, socket) => socket.destroy());

  let closing: Promise<void> | undefined;
  return {
    server,
    get eventClients() {
      return eventClients.size;
    },
    listen: (port, host) => listenOn(server, port, host),
    close() {
      closing ??= new Promise<void>((resolvePromise) => {
        eventClients.close();
        server.close(() => resolvePromise());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function safePathname(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return '/';
  }
}
