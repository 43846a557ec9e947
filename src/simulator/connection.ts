// One client socket: Noise handshake, then decrypted binary nodes in order. Anything malformed closes
// this socket (and is logged); it never reaches the rest of the server as an exception.
import type { Socket } from 'node:net';
import { proto } from '@whiskeysockets/baileys';
import type { Account, CompanionDevice, CompanionRegistration, PendingDelivery } from './accounts';
import { decodeNode, encodeNode, makeNode, nodeToString, type WANode } from './frames';
import { NoiseResponder } from './noise-responder';
import { isOpen, type RawWebSocket } from './ws-transport';

export type ConnectionState = 'handshake' | 'unpaired' | 'loggedIn' | 'closed';

export interface ConnectionHooks {
  onHandshake(conn: ClientConnection, clientStatic: Buffer, payload: proto.ClientPayload): void;
  onNode(conn: ClientConnection, node: WANode): Promise<void>;
  onClosed(conn: ClientConnection): void;
}

export interface PairingCodeRequest {
  phoneDigits: string;
  wrappedEphemeral: Uint8Array;
  ref: string;
}

interface PendingQuery {
  resolve: (node: WANode) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Grace period between a stream error / failure and our own close, so the client reads it first. */
const CLOSE_GRACE_MS = 150;

export class ClientConnection {
  state: ConnectionState = 'handshake';
  clientStatic: Buffer | undefined;
  registration: CompanionRegistration | undefined;
  account: Account | undefined;
  device: CompanionDevice | undefined;
  readonly refs = new Set<string>();
  pairingCode: PairingCodeRequest | undefined;
  /** The companion_finish iq of a pairing-code link, until the simulated phone has answered it. */
  companionFinish: WANode | undefined;
  /** When set, nothing is read or written any more, so the client's keep-alive has to notice (408). */
  silent = false;
  /** Live deliveries are allowed once the offline backlog has been flushed after login. */
  ready = false;
  /** A final stream error or failure has been sent: the socket is about to close. */
  retiring = false;
  /** Messages sent to this socket that the client has not acknowledged with a receipt yet. */
  readonly inFlight = new Map<string, PendingDelivery>();
  private readonly noise: NoiseResponder;
  private readonly pending = new Map<string, PendingQuery>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private inbound: Promise<void> = Promise.resolve();
  private markClosed: () => void = () => undefined;
  /** Settles once the socket has closed and every timer of this connection is cleared. */
  readonly closed: Promise<void> = new Promise<void>((resolve) => {
    this.markClosed = resolve;
  });
  private nextId = 1;

  constructor(
    readonly id: number,
    private readonly ws: RawWebSocket,
    private readonly socket: Socket,
    noise: { staticKey: ConstructorParameters<typeof NoiseResponder>[0]; certChain: Uint8Array },
    private readonly hooks: ConnectionHooks,
    private readonly log: (line: string) => void,
    private readonly debug: boolean,
  ) {
    this.noise = new NoiseResponder(noise.staticKey, noise.certChain);
    ws.on('message', (data: unknown) => {
      const bytes = toBuffer(data);
      this.inbound = this.inbound
        .then(() => this.onBytes(bytes))
        .catch((err: unknown) => {
          this.log(
            `${this.label} failed on an incoming frame, closing: ${err instanceof Error ? err.stack : String(err)}`,
          );
          this.terminate();
        });
    });
    ws.on('close', () => this.onClose());
    ws.on('error', (err: Error) => this.log(`conn#${id} socket error: ${err.message}`));
  }

  get label(): string {
    return this.account ? `conn#${this.id}(${this.account.digits})` : `conn#${this.id}`;
  }

  get open(): boolean {
    return this.state !== 'closed' && isOpen(this.ws);
  }

  /** Logged in and neither closing nor deliberately silent. */
  get deliverable(): boolean {
    return this.state === 'loggedIn' && this.open && !this.silent && !this.retiring;
  }

  send(node: WANode): boolean {
    if (!this.open || this.silent || !this.noise.established) return false;
    if (this.debug) this.log(`${this.label} >> ${nodeToString(node)}`);
    try {
      this.ws.send(this.noise.encodeFrame(encodeNode(node)));
      return true;
    } catch (err) {
      this.log(`${this.label} send failed: ${String(err)}`);
      this.terminate();
      return false;
    }
  }

  generateId(): string {
    return `sim.${this.id}.${this.nextId++}`;
  }

  /** Sends a server-initiated iq and resolves with the client's result/error iq. */
  query(node: WANode, timeoutMs = 10_000): Promise<WANode> {
    const id = node.attrs.id ?? this.generateId();
    node.attrs.id = id;
    return new Promise<WANode>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}: no answer to iq ${id}`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      if (!this.send(node)) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new Error(`${this.label}: socket closed`));
      }
    });
  }

  /** Sends a final node (stream:error, failure) and closes shortly after, as WhatsApp does. */
  sendAndClose(node: WANode): void {
    this.send(node);
    this.ready = false;
    this.retiring = true;
    this.later(CLOSE_GRACE_MS, () => this.close());
  }

  close(): void {
    if (this.state === 'closed') return;
    try {
      this.ws.close();
    } catch {
      this.terminate();
    }
    // A peer that never answers the close frame must not keep the socket (or stop()) waiting.
    this.later(1_000, () => this.terminate());
  }

  terminate(): void {
    try {
      this.ws.terminate();
    } catch {
      this.socket.destroy();
    }
  }

  /** Closes the TCP connection without a websocket close frame. */
  destroy(): void {
    this.socket.destroy();
  }

  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private accepting(): boolean {
    return this.state !== 'closed' && !this.silent;
  }

  private async onBytes(bytes: Buffer): Promise<void> {
    if (!this.accepting()) return;
    let events;
    try {
      events = this.noise.push(bytes);
    } catch (err) {
      this.log(`${this.label} malformed noise frame, closing: ${String(err)}`);
      this.terminate();
      return;
    }
    for (const event of events) {
      if (!this.accepting()) return;
      switch (event.type) {
        case 'send':
          this.ws.send(event.bytes);
          break;
        case 'handshake': {
          let payload: proto.ClientPayload;
          try {
            payload = proto.ClientPayload.decode(event.payload);
          } catch (err) {
            this.log(`${this.label} undecodable ClientPayload, closing: ${String(err)}`);
            this.terminate();
            return;
          }
          this.clientStatic = event.clientStatic;
          this.hooks.onHandshake(this, event.clientStatic, payload);
          break;
        }
        case 'frame': {
          let node: WANode;
          try {
            node = await decodeNode(event.plaintext);
          } catch (err) {
            this.log(`${this.label} undecodable binary node, closing: ${String(err)}`);
            this.terminate();
            return;
          }
          if (this.debug) this.log(`${this.label} << ${nodeToString(node)}`);
          if (this.resolvePending(node)) break;
          try {
            await this.hooks.onNode(this, node);
          } catch (err) {
            this.log(
              `${this.label} error handling <${node.tag}>: ${err instanceof Error ? err.stack : String(err)}`,
            );
          }
          break;
        }
      }
    }
  }

  private resolvePending(node: WANode): boolean {
    if (node.tag !== 'iq' || (node.attrs.type !== 'result' && node.attrs.type !== 'error')) return false;
    const id = node.attrs.id;
    const waiting = id ? this.pending.get(id) : undefined;
    if (!id || !waiting) return false;
    this.pending.delete(id);
    clearTimeout(waiting.timer);
    waiting.resolve(node);
    return true;
  }

  private onClose(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.ready = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error(`${this.label}: closed before answering iq ${id}`));
    }
    this.pending.clear();
    this.markClosed();
    this.hooks.onClosed(this);
  }
}

export function serverIq(
  type: 'get' | 'set',
  xmlns: string,
  content: WANode[],
  extra: Record<string, string> = {},
): WANode {
  return makeNode('iq', { from: 's.whatsapp.net', type, xmlns, ...extra }, content);
}

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(String(data));
}
