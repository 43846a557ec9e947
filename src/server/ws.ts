// The part of the `ws` package the headless host uses. `ws` (already a dependency, through Baileys and
// directly) is CommonJS and ships no types, so it is loaded with require and typed here.
import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';

export interface WebSocketLike extends EventEmitter {
  readonly readyState: number;
  readonly protocol: string;
  readonly bufferedAmount: number;
  send(data: string, cb?: (err?: Error) => void): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

export interface WebSocketServerLike {
  handleUpgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    cb: (ws: WebSocketLike, req: IncomingMessage) => void,
  ): void;
  close(): void;
}

type WebSocketServerCtor = new (options: {
  noServer: true;
  perMessageDeflate: boolean;
  maxPayload: number;
  handleProtocols?: (protocols: Set<string>, req: IncomingMessage) => string | false;
}) => WebSocketServerLike;

export type WebSocketClientCtor = new (
  url: string,
  protocols?: string | string[],
  options?: { headers?: Record<string, string> },
) => WebSocketLike;

const ws = createRequire(import.meta.url)('ws') as {
  WebSocketServer: WebSocketServerCtor;
  WebSocket: WebSocketClientCtor;
};

export const WebSocketServer = ws.WebSocketServer;
/** Node 20 has no global WebSocket: the tests use ws's client. */
export const WebSocketClient = ws.WebSocket;
export const WS_OPEN = 1;
