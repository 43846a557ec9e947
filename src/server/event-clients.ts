import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EventHub } from '../core/handlers/index';
import { tokenMatches } from './access-token';
import { bearerOf } from './command-route';
import { WebSocketServer, WS_OPEN, type WebSocketLike } from './ws';

export const EVENTS_PATH = '/api/events';
/** Offered by the UI's WebSocket next to `bearer.<token>`: browsers cannot set headers on a WebSocket. */
export const EVENTS_PROTOCOL = 'switchboard.v1';
const BEARER_PROTOCOL_PREFIX = 'bearer.';
/** A client this far behind on events is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * `GET /api/events` upgraded to a WebSocket carrying `{ event, payload }` messages, for clients with
 * the access token (the `bearer.<token>` subprotocol, or the header). A client that misses a pong, or
 * stops reading, is dropped.
 */
export function createEventClients(options: {
  events: Pick<EventHub, 'onAny'>;
  token: string;
  heartbeatMs: number;
  log: (line: string) => void;
  pathnameOf: (url: string | undefined) => string;
}) {
  const { log } = options;
  const clients = new Map<WebSocketLike, { alive: boolean }>();
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // The UI never sends anything but pongs on this socket.
    maxPayload: 4 * 1024,
    handleProtocols: (protocols) => (protocols.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
  });

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
  }, options.heartbeatMs);
  heartbeat.unref();

  return {
    get size() {
      return clients.size;
    },
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      socket.on('error', () => socket.destroy());
      if (options.pathnameOf(req.url) !== EVENTS_PATH) {
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
    },
    close(): void {
      unsubscribe();
      clearInterval(heartbeat);
      for (const ws of clients.keys()) ws.close(1001, 'server shutting down');
      clients.clear();
      wss.close();
    },
  };
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
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
