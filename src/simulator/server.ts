// The simulated WhatsApp server: accepts unmodified Baileys clients, links them as companions of
// simulated business numbers, and relays Signal-encrypted traffic between them and simulated customers.
import type { Socket } from 'node:net';
import { proto } from '@whiskeysockets/baileys';
import { AccountRegistry, deviceJids } from './accounts';
import { buildCertChain, SIMULATOR_ROOT_PUBLIC_KEY } from './certificates';
import { ClientConnection, serverIq } from './connection';
import { ContactImpl, type SimulatedContact } from './contact';
import { makeNode, phoneDigits, readUintBE, unixNow, type WANode } from './frames';
import { answerIq, result } from './iq-handlers';
import { bytesEqual, generateKeyPair, type KeyPair } from './keys';
import { newRef } from './pairing';
import { DEVICE_REMOVED, Linker } from './linking';
import { MessageTraffic } from './message-traffic';
import { MEDIA_HOST_CA } from './media-certificate';
import { MediaHost } from './media-host';
import { WS_PATH, WsTransport, type RawWebSocket, type TransportMode } from './ws-transport';

export interface WhatsAppServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  log?: (line: string) => void;
  /** Also log every decrypted frame in both directions (very verbose). */
  debug?: boolean;
}

export interface WhatsAppServer {
  /** ws://127.0.0.1:<port>/ws/chat, for the client's waWebSocketUrl. */
  readonly url: string;
  readonly port: number;
  /**
   * Test-only trust anchor of the simulator's Noise certificate chain. Clients in this process must
   * trust it before connecting: see trustSimulator().
   */
  readonly rootPublicKey: Uint8Array;
  /**
   * The phone whose WhatsApp account is `phone` scans the QR string the client emitted: pair-success,
   * then the 515 restart. As on WhatsApp, a QR is not tied to a number: a phone of another number than
   * the one the client means links the client to that other account.
   */
  scanQr(qr: string, phone: string, options?: { name?: string }): Promise<void>;
  /** The phone of `phone` types the code the client got from requestPairingCode(). */
  enterPairingCode(phone: string, code: string, options?: { name?: string }): Promise<void>;
  /**
   * A simulated customer; the same number always returns the same customer. `lid: true` writes from
   * its LID (switch later with `addressBy`). Every customer created before a business's first login
   * is in that login's history sync, with its LID <-> phone mapping and one old message.
   */
  contact(phone: string, options?: { lid?: boolean; name?: string }): SimulatedContact;
  /** Closes the live sockets of `business` (or all) the way WhatsApp does for that status code. */
  closeWith(code: number, business?: string): void;
  /** Abrupt TCP close of every socket. */
  dropConnections(): void;
  setMode(mode: TransportMode): void;
  /** Every TCP connection accepted since start. */
  readonly connectionAttempts: number;
  /** Live, logged-in sockets of that business number. */
  linkedDevices(phone: string): number;
  /** Whether that account still lists a linked companion (a logout or an unlink removes it). */
  hasCompanion(phone: string): boolean;
  /**
   * Whether the business's client has confirmed (receipt or ack) the message with this id: from then on
   * WhatsApp never delivers it again, so the client must have kept it.
   */
  deliveryConfirmed(messageId: string): boolean;
  /**
   * The HTTPS media host (uploads from the business's client, downloads of customers' files). Its
   * certificate is `mediaCa`: a client trusts it only when given it (tests and demo mode).
   */
  readonly media: MediaHost;
  /** PEM of the media host's self-signed test certificate, for the client's media transport. */
  readonly mediaCa: string;
  stop(): Promise<void>;
}

const PAIR_DEVICE_REFS = 6;

export class SimulatorServer implements WhatsAppServer {
  readonly rootPublicKey = SIMULATOR_ROOT_PUBLIC_KEY;
  readonly mediaCa = MEDIA_HOST_CA;
  readonly media: MediaHost;
  private readonly accounts = new AccountRegistry();
  private readonly contacts = new Map<string, ContactImpl>();
  private readonly contactsByUser = new Map<string, ContactImpl>();
  private readonly connections = new Set<ClientConnection>();
  private readonly staticKey: KeyPair = generateKeyPair();
  private readonly certChain: Uint8Array;
  private readonly transport: WsTransport;
  private readonly log: (line: string) => void;
  private readonly debug: boolean;
  private readonly frameWaiters = new Set<(final: boolean) => void>();
  private readonly traffic: MessageTraffic;
  private readonly linker: Linker;
  private nextConnectionId = 1;
  private stopped = false;

  constructor(options: WhatsAppServerOptions = {}) {
    const sink = options.log;
    this.log = sink ? (line) => sink(`[wa-sim] ${line}`) : () => undefined;
    this.debug = options.debug === true;
    this.certChain = buildCertChain(this.staticKey);
    this.transport = new WsTransport((ws, socket) => this.onWebSocket(ws, socket), this.log);
    this.media = new MediaHost(this.log);
    this.traffic = new MessageTraffic({
      mediaHost: this.media,
      connections: () => this.connections,
      contactByUser: (user) => this.contactsByUser.get(user),
      contacts: () => this.contacts.values(),
      log: this.log,
    });
    this.linker = new Linker({
      accounts: this.accounts,
      connections: () => this.connections,
      waitFor: (check, timeoutMs) => this.waitFor(check, timeoutMs),
      log: this.log,
    });
  }

  async start(port: number): Promise<void> {
    await this.transport.start(port);
    await this.media.start();
    this.log(`listening on ${this.url}`);
  }

  get port(): number {
    return this.transport.port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.transport.port}${WS_PATH}`;
  }

  get connectionAttempts(): number {
    return this.transport.connectionAttempts;
  }

  setMode(mode: TransportMode): void {
    this.transport.setMode(mode);
  }

  dropConnections(): void {
    this.log('dropping every TCP connection');
    this.transport.destroyAll();
  }

  linkedDevices(phone: string): number {
    const account = this.accounts.get(phoneDigits(phone));
    return [...this.connections].filter((c) => c.account === account && c.deliverable).length;
  }

  hasCompanion(phone: string): boolean {
    return this.accounts.get(phoneDigits(phone))?.device !== undefined;
  }

  deliveryConfirmed(messageId: string): boolean {
    return this.traffic.confirmed(messageId);
  }

  contact(phone: string, options: { lid?: boolean; name?: string } = {}): SimulatedContact {
    const digits = phoneDigits(phone);
    const existing = this.contacts.get(digits);
    if (existing) {
      // Asking again for the addressing it writes from now (addressBy may have changed it) is fine.
      if (options.lid !== undefined && existing.byLid !== options.lid) {
        throw new Error(`contact ${phone} already exists with lid=${existing.byLid}`);
      }
      return existing;
    }
    const contact = new ContactImpl(digits, options, {
      mediaHost: this.media,
      submit: (from, business, message) => {
        if (this.stopped) return Promise.reject(new Error('simulator stopped'));
        const account = this.accounts.getOrCreate(phoneDigits(business));
        return this.traffic.submit(account, { ...message, t: unixNow(), sender: from, offline: false });
      },
    });
    this.contacts.set(digits, contact);
    this.contactsByUser.set(digits, contact);
    this.contactsByUser.set(contact.lidUser, contact);
    return contact;
  }

  closeWith(code: number, business?: string): void {
    const account = business === undefined ? undefined : this.accounts.get(phoneDigits(business));
    const targets = [...this.connections].filter((c) =>
      business === undefined
        ? c.state === 'loggedIn' || c.state === 'unpaired'
        : c.account === account && c.state === 'loggedIn',
    );
    this.log(`closeWith(${code}) on ${targets.length} socket(s)${business ? ` of ${business}` : ''}`);
    for (const conn of targets) this.closeOne(conn, code);
  }

  scanQr(qr: string, phone: string, options: { name?: string } = {}): Promise<void> {
    return this.linker.scanQr(qr, phone, options.name);
  }

  enterPairingCode(phone: string, code: string, options: { name?: string } = {}): Promise<void> {
    return this.linker.enterPairingCode(phone, code, options.name);
  }

  /** Re-evaluates `check` whenever a frame has been handled, until it returns something or time runs out. */
  private waitFor<T>(check: () => T | null | undefined, timeoutMs = 5_000): Promise<T | null | undefined> {
    const found = check();
    if (found !== undefined || this.stopped) return Promise.resolve(found);
    return new Promise<T | null | undefined>((resolve) => {
      const waiter = (final: boolean): void => {
        const value = check();
        if (value === undefined && !final) return;
        clearTimeout(timer);
        this.frameWaiters.delete(waiter);
        resolve(value);
      };
      const timer = setTimeout(() => waiter(true), timeoutMs);
      this.frameWaiters.add(waiter);
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const waiter of [...this.frameWaiters]) waiter(true);
    for (const contact of this.contacts.values()) contact.dispose();
    const closing = [...this.connections].map((conn) => conn.closed);
    for (const conn of this.connections) conn.terminate();
    await this.transport.stop();
    await this.media.stop();
    await Promise.all(closing);
    await Promise.all(this.accounts.all().map((a) => a.chain.catch(() => undefined)));
    this.log('stopped');
  }

  // --- connections ---------------------------------------------------------------------------------

  private onWebSocket(ws: RawWebSocket, socket: Socket): void {
    const conn = new ClientConnection(
      this.nextConnectionId++,
      ws,
      socket,
      { staticKey: this.staticKey, certChain: this.certChain },
      {
        onHandshake: (c, clientStatic, payload) => this.onHandshake(c, clientStatic, payload),
        onNode: (c, node) => this.onNode(c, node),
        onClosed: (c) => this.onClosed(c),
      },
      this.log,
      this.debug,
    );
    this.connections.add(conn);
  }

  private onHandshake(conn: ClientConnection, clientStatic: Buffer, payload: proto.ClientPayload): void {
    const username = payload.username == null ? '' : String(payload.username);
    if (username && username !== '0') {
      this.login(conn, username, payload.device ?? 0, clientStatic);
    } else if (payload.devicePairingData) {
      this.register(conn, payload.devicePairingData, clientStatic);
    } else {
      this.log(`${conn.label} neither login nor registration payload`);
      conn.sendAndClose(makeNode('failure', { reason: 400, location: 'sim' }));
    }
  }

  private register(
    conn: ClientConnection,
    data: proto.ClientPayload.IDevicePairingRegistrationData,
    noiseKey: Buffer,
  ): void {
    const registrationId = readUintBE(data.eRegid ?? undefined);
    const keyId = readUintBE(data.eSkeyId ?? undefined);
    if (
      registrationId === undefined ||
      keyId === undefined ||
      data.eIdent?.length !== 32 ||
      data.eSkeyVal?.length !== 32 ||
      !data.eSkeySig
    ) {
      this.log(`${conn.label} incomplete registration payload`);
      conn.sendAndClose(makeNode('failure', { reason: 400, location: 'sim' }));
      return;
    }
    let platformName = 'unknown';
    try {
      platformName = data.deviceProps
        ? (proto.DeviceProps.decode(data.deviceProps).os ?? platformName)
        : platformName;
    } catch {
      // deviceProps is informational only.
    }
    conn.registration = {
      noiseKey,
      identityKey: Buffer.from(data.eIdent),
      registrationId,
      signedPreKey: { keyId, publicKey: Buffer.from(data.eSkeyVal), signature: Buffer.from(data.eSkeySig) },
      platformName,
    };
    conn.state = 'unpaired';
    const refs = Array.from({ length: PAIR_DEVICE_REFS }, () => newRef());
    for (const ref of refs) conn.refs.add(ref);
    this.log(`${conn.label} unpaired companion (${platformName}) waiting for a scan`);
    conn
      .query(
        serverIq('set', 'md', [
          makeNode(
            'pair-device',
            {},
            refs.map((ref) => makeNode('ref', {}, Buffer.from(ref, 'utf8'))),
          ),
        ]),
      )
      .catch(() => undefined);
  }

  private login(conn: ClientConnection, digits: string, deviceId: number, noiseKey: Buffer): void {
    const account = this.accounts.get(digits);
    const device = account?.device;
    if (!account || !device || device.id !== deviceId || !bytesEqual(device.noiseKey, noiseKey)) {
      this.log(`${conn.label} login as ${digits}:${deviceId} refused (not a linked device): 401`);
      conn.sendAndClose(makeNode('failure', { reason: 401, location: 'sim' }));
      return;
    }
    for (const other of this.connections) {
      if (other !== conn && other.account === account && other.state === 'loggedIn' && other.open) {
        this.log(`${other.label} replaced by ${conn.label}: conflict`);
        other.sendAndClose(makeNode('stream:error', {}, [makeNode('conflict', { type: 'replaced' })]));
        this.traffic.retire(other);
      }
    }
    conn.state = 'loggedIn';
    conn.account = account;
    conn.device = device;
    const { lid } = deviceJids(account, device);
    conn.send(makeNode('success', { t: unixNow(), lid, location: 'sim', props: 1, creation: unixNow() }));
    this.log(`${conn.label} logged in as ${digits}:${device.id}`);
    this.traffic.loggedIn(conn, account, device);
  }

  private onClosed(conn: ClientConnection): void {
    this.connections.delete(conn);
    for (const waiter of [...this.frameWaiters]) waiter(false);
    this.log(`${conn.label} closed`);
    this.traffic.retire(conn);
  }

  private closeOne(conn: ClientConnection, code: number): void {
    switch (code) {
      case 515:
        conn.sendAndClose(makeNode('stream:error', { code: 515 }));
        return;
      case 440:
        conn.sendAndClose(makeNode('stream:error', {}, [makeNode('conflict', { type: 'replaced' })]));
        return;
      case 401:
        // Device removed from the phone: the link is gone, so logging in again also fails with 401.
        if (conn.account?.device && conn.account.device === conn.device) conn.account.device = undefined;
        conn.sendAndClose(DEVICE_REMOVED);
        return;
      case 403:
      case 405:
        conn.sendAndClose(makeNode('failure', { reason: code, location: 'sim' }));
        return;
      case 408:
        // WhatsApp just stops answering; the client's keep-alive notices after keepAliveIntervalMs + 5 s.
        conn.silent = true;
        this.traffic.retire(conn);
        return;
      case 428:
        conn.destroy();
        return;
      default:
        conn.sendAndClose(makeNode('stream:error', { code }));
    }
  }

  // --- inbound frames ------------------------------------------------------------------------------

  private async onNode(conn: ClientConnection, node: WANode): Promise<void> {
    try {
      await this.dispatch(conn, node);
    } finally {
      for (const waiter of [...this.frameWaiters]) waiter(false);
    }
  }

  private async dispatch(conn: ClientConnection, node: WANode): Promise<void> {
    switch (node.tag) {
      case 'iq':
        this.onIq(conn, node);
        return;
      case 'message':
        await this.traffic.onMessage(conn, node);
        return;
      case 'receipt':
        this.traffic.onReceipt(conn, node);
        return;
      case 'ack':
        this.traffic.onAck(conn, node);
        return;
      case 'chatstate':
        this.traffic.onChatState(node);
        return;
      case 'presence':
      case 'ib':
      case 'notification':
      case 'call':
        return;
      default:
        this.log(`${conn.label} ignoring <${node.tag}>`);
    }
  }

  private onIq(conn: ClientConnection, iq: WANode): void {
    if (iq.attrs.type === 'result' || iq.attrs.type === 'error') return;
    if (iq.attrs.xmlns === 'md') {
      const answer = this.linker.onMdIq(conn, iq);
      if (answer) conn.send(answer);
      return;
    }
    if (conn.state !== 'loggedIn') {
      conn.send(result(iq));
      return;
    }
    conn.send(
      answerIq(
        {
          account: conn.account,
          accounts: this.accounts,
          contactByUser: (user) => this.contactsByUser.get(user),
          mediaConn: { hostname: this.media.hostname, auth: this.media.auth },
          log: this.log,
        },
        iq,
      ),
    );
  }
}
