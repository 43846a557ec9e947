// HTTP listener + websocket upgrade on 127.0.0.1, with the failure modes a supervisor has to survive:
// refused connections, an HTTP 403 answer to the upgrade (Baileys then sits in 'connecting' forever,
// because its ws client listens for 'unexpected-response' and never turns it into an error), and a
// server that accepts the TCP connection but never answers.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { EventEmitter } from 'node:events';

/** The part of the `ws` package's WebSocket the simulator uses (ws ships no types of its own). */
export interface RawWebSocket extends EventEmitter {
  readonly readyState: number;
  send(data: Uint8Array, cb?: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

interface RawWebSocketServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, cb: (ws: RawWebSocket) => void): void;
  close(): void;
}

type WebSocketServerCtor = new (options: {
  noServer: true;
  perMessageDeflate: boolean;
  maxPayload: number;
}) => RawWebSocketServer;

// `ws` is the websocket library Baileys itself depends on; it is CommonJS without bundled types.
const { WebSocketServer } = createRequire(import.meta.url)('ws') as { WebSocketServer: WebSocketServerCtor };

export type TransportMode = 'normal' | 'refuse' | 'http403' | 'hang';

export const WS_PATH = '/ws/chat';
const OPEN = 1;

export class WsTransport {
  connectionAttempts = 0;
  port = 0;
  private mode: TransportMode = 'normal';
  private http: Server | undefined;
  private listening: Promise<void> = Promise.resolve();
  private readonly sockets = new Set<Socket>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 64 * 1024 * 1024,
  });
  private stopped = false;

  constructor(
    private readonly onConnection: (ws: RawWebSocket, socket: Socket) => void,
    private readonly log: (line: string) => void,
  ) {}

  async start(port: number): Promise<void> {
    this.listening = this.listen(port);
    await this.listening;
  }

  setMode(mode: TransportMode): void {
    if (this.stopped || mode === this.mode) return;
    const wasRefusing = this.mode === 'refuse';
    this.mode = mode;
    this.log(`transport mode -> ${mode}`);
    if (mode === 'refuse') {
      // Only the listener goes away: established sockets keep running, as on a real outage.
      this.http?.close();
      this.http = undefined;
    } else if (wasRefusing) {
      this.listening = this.listen(this.port).catch((err: unknown) => {
        this.log(`cannot listen again on ${this.port}: ${String(err)}`);
      });
    }
  }

  /** Abrupt close of every TCP socket (websocket or not), without a close frame. */
  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.listening.catch(() => undefined);
    const http = this.http;
    this.http = undefined;
    this.destroyAll();
    this.wss.close();
    if (http) await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  private listen(port: number): Promise<void> {
    const http = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('websocket only');
    });
    http.on('connection', (socket: Socket) => {
      this.connectionAttempts++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      // A reset from the peer must never become an uncaught 'error'.
      socket.on('error', () => undefined);
    });
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(req, socket, head),
    );
    http.on('clientError', (_err, socket: Duplex) => socket.destroy());
    this.http = http;
    return new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      http.once('error', onError);
      http.listen(port, '127.0.0.1', () => {
        http.off('error', onError);
        http.on('error', (err) => this.log(`listener error: ${err.message}`));
        const address = http.address();
        if (address && typeof address === 'object') this.port = address.port;
        resolve();
      });
    });
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    switch (this.mode) {
      case 'hang':
        return;
      case 'http403':
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      case 'refuse':
      case 'normal':
        break;
    }
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (this.stopped) {
        ws.terminate();
        return;
      }
      try {
        this.onConnection(ws, socket as Socket);
      } catch (err) {
        this.log(`could not set up a connection: ${String(err)}`);
        ws.terminate();
      }
    });
  }
}

export function isOpen(ws: RawWebSocket): boolean {
  return ws.readyState === OPEN;
}
