// A real, unmodified Baileys rc14 client pointed at the simulator, with an in-memory auth state and
// event recording, for the simulator's own tests.
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import {
  BufferJSON,
  Curve,
  initAuthCreds,
  makeNoiseHandler,
  makeWASocket,
  NOISE_WA_HEADER,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type BaileysEventMap,
  type ConnectionState,
  type SignalDataTypeMap,
  type SignalKeyStore,
  type UserFacingSocketConfig,
  type WASocket,
} from '@whiskeysockets/baileys';
import pino from 'pino';

const silentLogger = pino({ level: 'silent' });

/** Auth state backed by a Map; `persist()` round-trips it through JSON like a restart would. */
export class MemoryAuth {
  creds: AuthenticationCreds = initAuthCreds();
  private data = new Map<string, unknown>();

  get state(): AuthenticationState {
    return { creds: this.creds, keys: this.keys };
  }

  readonly keys: SignalKeyStore = {
    get: <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
      const out: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const id of ids) {
        const value = this.data.get(`${type}/${id}`);
        if (value !== undefined) out[id] = value as SignalDataTypeMap[T];
      }
      return out;
    },
    set: (update) => {
      for (const [type, entries] of Object.entries(update)) {
        for (const [id, value] of Object.entries(entries ?? {})) {
          if (value == null) this.data.delete(`${type}/${id}`);
          else this.data.set(`${type}/${id}`, value);
        }
      }
    },
  };

  /** Simulates an app restart: everything goes through BufferJSON and comes back as fresh objects. */
  persist(): void {
    this.creds = JSON.parse(
      JSON.stringify(this.creds, BufferJSON.replacer),
      BufferJSON.reviver,
    ) as AuthenticationCreds;
    const entries = JSON.parse(JSON.stringify([...this.data], BufferJSON.replacer), BufferJSON.reviver) as [
      string,
      unknown,
    ][];
    this.data = new Map(entries);
  }
}

export type Upsert = BaileysEventMap['messages.upsert'];

export class TestClient {
  readonly sock: WASocket;
  readonly updates: Partial<ConnectionState>[] = [];
  readonly upserts: Upsert[] = [];
  readonly messageUpdates: BaileysEventMap['messages.update'] = [];
  private readonly listeners = new Set<() => void>();
  private ended = false;

  constructor(url: string, auth: MemoryAuth, config: Partial<UserFacingSocketConfig> = {}) {
    this.sock = makeWASocket({
      waWebSocketUrl: url,
      auth: auth.state,
      logger: silentLogger,
      markOnlineOnConnect: false,
      syncFullHistory: false,
      ...config,
    });
    // Subscribe at once: offline messages are flushed before connection 'open' fires.
    this.sock.ev.on('connection.update', (update) => {
      this.updates.push(update);
      this.notify();
    });
    this.sock.ev.on('messages.update', (updates) => {
      this.messageUpdates.push(...updates);
      this.notify();
    });
    this.sock.ev.on('messages.upsert', (upsert) => {
      this.upserts.push(upsert);
      this.notify();
    });
  }

  get qrs(): string[] {
    return this.updates.flatMap((u) => (u.qr ? [u.qr] : []));
  }

  get isOpen(): boolean {
    const last = this.updates.filter((u) => u.connection).at(-1);
    return last?.connection === 'open';
  }

  /** Status code of the close, once the socket has closed. */
  get closeCode(): number | undefined {
    const close = this.updates.find((u) => u.connection === 'close');
    if (!close) return undefined;
    const error = close.lastDisconnect?.error as { output?: { statusCode?: number } } | undefined;
    return error?.output?.statusCode ?? -1;
  }

  /** Inbound (not fromMe) messages of one upsert type, flattened. */
  received(type?: 'notify' | 'append'): Upsert['messages'] {
    return this.upserts
      .filter((u) => !type || u.type === type)
      .flatMap((u) => u.messages.filter((m) => !m.key.fromMe));
  }

  waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const attempt = (): boolean => {
        let value: T | undefined | false;
        try {
          value = check();
        } catch (err) {
          cleanup();
          reject(err instanceof Error ? err : new Error(String(err)));
          return true;
        }
        if (value === undefined || value === false) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = (): void => {
        attempt();
      };
      if (attempt()) return;
      this.listeners.add(listener);
    });
  }

  waitForQr(): Promise<string> {
    return this.waitFor(() => this.qrs[0], 'a QR code');
  }

  waitForOpen(timeoutMs?: number): Promise<true> {
    return this.waitFor(
      () => {
        if (this.closeCode !== undefined) throw new Error(`closed with ${this.closeCode} before opening`);
        return this.isOpen || undefined;
      },
      'connection open',
      timeoutMs,
    );
  }

  waitForClose(timeoutMs?: number): Promise<number> {
    return this.waitFor(() => this.closeCode, 'connection close', timeoutMs);
  }

  waitForMessages(
    count: number,
    type?: 'notify' | 'append',
    timeoutMs?: number,
  ): Promise<Upsert['messages']> {
    return this.waitFor(
      () => {
        const messages = this.received(type);
        return messages.length >= count ? messages : undefined;
      },
      `${count} ${type ?? ''} message(s)`,
      timeoutMs,
    );
  }

  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    for (const listener of [...this.listeners]) this.listeners.delete(listener);
    await this.sock.end(undefined);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

interface RawWs extends EventEmitter {
  send(data: Uint8Array): void;
  terminate(): void;
}

const { WebSocket: RawWebSocket } = createRequire(import.meta.url)('ws') as {
  WebSocket: new (url: string) => RawWs;
};

/**
 * A hand-driven client that completes the Noise handshake with Baileys' own noise handler and a
 * registration payload, then lets the test send arbitrary encrypted frames. Resolves once the
 * handshake is done; `closed` settles when the server closes the socket.
 */
export function rawNoiseClient(
  url: string,
): Promise<{ sendFrame(bytes: Uint8Array): void; closed: Promise<void>; end(): void }> {
  const creds = initAuthCreds();
  const ephemeral = Curve.generateKeyPair();
  const noise = makeNoiseHandler({ keyPair: ephemeral, NOISE_HEADER: NOISE_WA_HEADER, logger: silentLogger });
  const ws = new RawWebSocket(url);
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  ws.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('raw noise handshake timed out')), 5_000);
    ws.on('open', () => {
      ws.send(
        noise.encodeFrame(
          proto.HandshakeMessage.encode({ clientHello: { ephemeral: ephemeral.public } }).finish(),
        ),
      );
    });
    let handshaken = false;
    ws.on('message', (data: Buffer) => {
      void noise.decodeFrame(data, (frame) => {
        if (handshaken || !(frame instanceof Uint8Array)) return;
        handshaken = true;
        const keyEnc = noise.processHandshake(proto.HandshakeMessage.decode(frame), creds.noiseKey);
        const payload = proto.ClientPayload.encode({
          passive: false,
          devicePairingData: {
            eRegid: Buffer.from([0, 0, (creds.registrationId >> 8) & 0xff, creds.registrationId & 0xff]),
            eKeytype: Buffer.from([5]),
            eIdent: creds.signedIdentityKey.public,
            eSkeyId: Buffer.from([0, 0, creds.signedPreKey.keyId]),
            eSkeyVal: creds.signedPreKey.keyPair.public,
            eSkeySig: creds.signedPreKey.signature,
          },
        }).finish();
        ws.send(
          noise.encodeFrame(
            proto.HandshakeMessage.encode({
              clientFinish: { static: keyEnc, payload: noise.encrypt(payload) },
            }).finish(),
          ),
        );
        void noise.finishInit().then(() => {
          clearTimeout(timer);
          resolve({
            sendFrame: (bytes) => ws.send(noise.encodeFrame(bytes)),
            closed,
            end: () => ws.terminate(),
          });
        });
      });
    });
  });
}
