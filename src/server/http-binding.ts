import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { isCommandName } from '../shared/contract';
import type { AppError, ErrorCode, Result } from '../shared/errors';
import { assertNever } from '../core/index';
import type { Dispatch, EventHub } from '../core/handlers/index';
import { tokenMatches } from './access-token';
import { readBody } from '../core/http/index';
import { sendJson } from './send-json';
import { SECURITY_HEADERS, serveStatic } from './static-files';
import { WEBHOOK_PATH, type WebhookRoute } from './webhook-route';
import { WebSocketServer, WS_OPEN, type WebSocketLike } from './ws';

export const COMMAND_PATH = '/api/commands/';
export const EVENTS_PATH = '/api/events';
/** Offered by the UI's WebSocket next to `bearer.<token>`: browsers cannot set headers on a WebSocket. */
export const EVENTS_PROTOCOL = 'switchboard.v1';
const BEARER_PROTOCOL_PREFIX = 'bearer.';

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

export interface HttpBinding {
  readonly server: Server;
  listen(port: number, host: string): Promise<{ port: number; url: string }>;
  readonly eventClients: number;
  close(): Promise<void>;
}

/** A client this far behind on events is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * The contract over HTTP: `POST /api/commands/<name>` with the input as JSON runs a command and answers
 * with its Result; `GET /api/events` upgrades to a WebSocket carrying `{ event, payload }` messages.
 * Both need the access token (`Authorization: Bearer <token>`, or the `bearer.<token>` subprotocol for
 * the WebSocket). Everything else is the renderer build.
 */
export function createHttpBinding(options: HttpBindingOptions): HttpBinding {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const log = options.log ?? (() => undefined);
  const clients = new Map<WebSocketLike, { alive: boolean }>();
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // The UI never sends anything but pongs on this socket.
    maxPayload: 4 * 1024,
    handleProtocols: (protocols) => (protocols.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
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
      handleApi(req, res, pathname).catch((error: unknown) => {
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
    handleUpgrade(req, socket, head),
  );
  server.on('clientError', (_error, socket) => socket.destroy());

  async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (!tokenMatches(bearerOf(req), options.token)) {
      req.resume();
      sendResult(res, 401, {
        code: 'UNAUTHORIZED',
        message: 'Missing or wrong access token. Use the token the server printed when it first started.',
      });
      return;
    }
    if (!pathname.startsWith(COMMAND_PATH)) {
      req.resume();
      sendResult(res, 404, { code: 'NOT_FOUND', message: `No API endpoint at ${pathname}.` });
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      sendResult(
        res,
        405,
        { code: 'VALIDATION', message: 'Commands are sent with POST.' },
        { Allow: 'POST' },
      );
      return;
    }
    const name = pathname.slice(COMMAND_PATH.length);
    if (!isCommandName(name)) {
      req.resume();
      // The dispatcher words the error (and lists the known commands).
      respond(res, await options.dispatch(name, undefined));
      return;
    }
    const body = await readBody(req, maxBodyBytes);
    if (body.kind === 'too-large') {
      sendResult(
        res,
        413,
        { code: 'PAYLOAD_TOO_LARGE', message: `The request is larger than ${maxBodyBytes} bytes.` },
        { Connection: 'close' },
      );
      res.on('finish', () => req.destroy());
      return;
    }
    const text = body.bytes.toString('utf8');
    let input: unknown;
    if (text.trim() !== '') {
      try {
        input = JSON.parse(text);
      } catch {
        sendResult(res, 400, { code: 'VALIDATION', message: 'The request body is not valid JSON.' });
        return;
      }
    }
    respond(res, await options.dispatch(name, input));
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (safePathname(req.url) !== EVENTS_PATH) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (!tokenMatches(bearerOf(req) ?? bearerFromProtocols(req), options.token)) {
      refuseUpgrade(socket, 401, 'Unauthorized');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const state = { alive: true };
      clients.set(ws, state);
      ws.on('pong', () => (state.alive = true));
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => ws.terminate());
    });
  }

  const unsubscribe = options.events.onAny((event, payload) => {
    if (clients.size === 0) return;
    const data = JSON.stringify({ event, payload });
    for (const ws of clients.keys()) {
      if (ws.readyState !== WS_OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        log('dropping an event client that stopped reading');
        ws.terminate();
        continue;
      }
      ws.send(data);
    }
  });

  const heartbeat = setInterval(() => {
    for (const [ws, state] of clients) {
      if (!state.alive) {
        ws.terminate();
        continue;
      }
      state.alive = false;
      ws.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  let closing: Promise<void> | undefined;
  return {
    server,
    get eventClients() {
      return clients.size;
    },
    listen(port, host) {
      return new Promise((resolvePromise, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolvePromise({ port: address.port, url: `http://${shownHost}:${address.port}` });
        });
      });
    },
    close() {
      closing ??= new Promise<void>((resolvePromise) => {
        unsubscribe();
        clearInterval(heartbeat);
        for (const ws of clients.keys()) ws.close(1001, 'server shutting down');
        clients.clear();
        wss.close();
        server.close(() => resolvePromise());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION':
    case 'INVALID_PHONE_NUMBER':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'NOT_FOUND':
    case 'UNKNOWN_COMMAND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'DATABASE_CORRUPT':
    case 'DATABASE_TOO_NEW':
    case 'BACKUP_FAILED':
    case 'INTERNAL':
      return 500;
    case 'UNAVAILABLE':
    case 'DATABASE_UNAVAILABLE':
      return 503;
    default:
      return assertNever(code, 'error code');
  }
}

function respond(res: ServerResponse, result: Result<unknown>): void {
  if (result.ok) sendJson(res, 200, result);
  else sendResult(res, httpStatusFor(result.error.code), result.error);
}

function sendResult(
  res: ServerResponse,
  status: number,
  error: AppError,
  headers: Record<string, string> = {},
) {
  sendJson(
    res,
    status,
    { ok: false, error },
    status === 401 ? { 'WWW-Authenticate': 'Bearer', ...headers } : headers,
  );
}

const internalError = (): AppError => ({ code: 'INTERNAL', message: 'Something went wrong on our side.' });

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function safePathname(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return '/';
  }
}

function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function bearerFromProtocols(req: IncomingMessage): string | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return undefined;
  const entry = header
    .split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX));
  return entry?.slice(BEARER_PROTOCOL_PREFIX.length);
}
