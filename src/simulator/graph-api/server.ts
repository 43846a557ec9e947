// The local Graph API server: the parts of Meta's WhatsApp Cloud API that Switchboard uses, on
// 127.0.0.1, written from cloud-api-notes.md. Sends, read receipts with typing, the phone number's
// profile, templates, media; customers whose messages arrive as signed webhooks; statuses with Meta's
// habits (out of order, `delivered` skipped, duplicates); and errors on demand.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_TEMPLATES,
  templatePage,
  SimNumber,
  type SimNumberInit,
  type SimTemplate,
  type StoredMedia,
} from './business';
import { createSimClock, type SimClock } from './clock';
import { CustomerImpl, sha256Hex, type CloudCustomer, type CloudCustomerOptions } from './customer';
import {
  applyFault,
  authorize,
  openExchange,
  unknownObject,
  type Exchange,
  type RequestRecord,
} from './exchange';
import { FaultQueue, type FaultMatch, type GraphFault, type RequestKind } from './faults';
import { graphError, type GraphErrorAnswer } from './graph-errors';
import { parseJson, readBody, sendError } from './http';
import { digitsOf, newNumericId } from './ids';
import { MessagesEndpoint, type SentMessage, type StatusBehaviour } from './messages-endpoint';
import { messagesNotification } from './notifications';
import { receiveUpload, type UploadedMedia } from './media-upload';
import {
  DEFAULT_WEBHOOK_BEHAVIOUR,
  WebhookSender,
  type WebhookBehaviour,
  type WebhookDelivery,
} from './webhook-sender';

export type { SentMessage, StatusBehaviour } from './messages-endpoint';
export type { RequestRecord } from './exchange';
export type { UploadedMedia } from './media-upload';

export interface GraphApiServerOptions {
  port?: number;
  /** Signs webhooks (X-Hub-Signature-256). */
  appSecret?: string;
  /** Where webhooks go; null keeps them queued (and retried) until one is set. */
  webhookUrl?: string | null;
  /** Where the fake clock starts, UTC ms; default now. */
  startTime?: number;
  webhooks?: Partial<WebhookBehaviour>;
  statuses?: Partial<StatusBehaviour>;
  /** For the behaviours that happen by chance; default Math.random. */
  random?: () => number;
  log?: (line: string) => void;
}

export interface GraphApiServer {
  /** http://127.0.0.1:<port>: the provider's base URL. */
  readonly url: string;
  readonly appSecret: string;
  readonly clock: SimClock;
  addNumber(init: SimNumberInit): SimNumber;
  number(phoneNumberId: string): SimNumber | undefined;
  setWebhookUrl(url: string | null): void;
  /** A simulated customer; the same phone always returns the same customer. */
  customer(phone: string, options?: CloudCustomerOptions): CloudCustomer;
  /** Several customers' messages to one number in a single webhook POST; returns their ids. */
  sendBatch(business: string, items: { customer: CloudCustomer; text: string }[]): string[];
  /** The next matching request(s) fail with `fault`. */
  failNext(fault: GraphFault, match?: FaultMatch): void;
  /** The number's token expires: every request with it gets 190 (subcode 463). */
  expireToken(phoneNumberId: string): void;
  /** The owner pasted a new token. */
  setAccessToken(phoneNumberId: string, token: string): void;
  setTemplates(wabaId: string, templates: Omit<SimTemplate, 'id'>[]): void;
  /** Every request answered, in order. */
  readonly requests: readonly RequestRecord[];
  /** Every send accepted (200). */
  readonly sent: readonly SentMessage[];
  /** Every file the business uploaded to `/{phone_number_id}/media`, as it arrived. */
  readonly uploads: readonly UploadedMedia[];
  /** Every webhook notification and what each POST of it got. */
  readonly deliveries: readonly WebhookDelivery[];
  /** POSTs a notification again, byte for byte (default: the last one). */
  replay(delivery?: WebhookDelivery): void;
  /** The GET handshake Meta performs when a callback URL is set: true if the challenge came back. */
  verifyCallback(verifyToken: string): Promise<{ status: number; ok: boolean }>;
  /** Resolves when no webhook is in flight or waiting (statuses and retries included). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startGraphApiServer(options: GraphApiServerOptions = {}): Promise<GraphApiServer> {
  const server = new GraphApiSimulator(options);
  await server.listen(options.port ?? 0);
  return server;
}

class GraphApiSimulator implements GraphApiServer {
  readonly appSecret: string;
  readonly clock: SimClock;
  readonly requests: RequestRecord[] = [];
  private readonly http: Server;
  private readonly numbers = new Map<string, SimNumber>();
  private readonly customers = new Map<string, CustomerImpl>();
  private readonly templates = new Map<string, SimTemplate[]>();
  private readonly media = new Map<string, StoredMedia>();
  readonly uploads: UploadedMedia[] = [];
  private readonly faults = new FaultQueue();
  private readonly webhooks: WebhookSender;
  private readonly statusDelayMs: number;
  private readonly messages: MessagesEndpoint;
  private readonly random: () => number;
  private readonly log: (line: string) => void;
  private webhookUrl: string | null;
  private port = 0;

  constructor(options: GraphApiServerOptions) {
    this.appSecret = options.appSecret ?? `sim-secret-${randomBytes(8).toString('hex')}`;
    this.clock = createSimClock(options.startTime);
    this.random = options.random ?? Math.random;
    const sink = options.log;
    this.log = sink ? (line) => sink(`[graph-sim] ${line}`) : () => undefined;
    this.webhookUrl = options.webhookUrl ?? null;
    this.webhooks = new WebhookSender({
      appSecret: this.appSecret,
      url: () => this.webhookUrl,
      behaviour: { ...DEFAULT_WEBHOOK_BEHAVIOUR, ...options.webhooks },
      random: this.random,
      log: this.log,
    });
    const statuses: StatusBehaviour = { delayMs: 20, skipDelivered: 0, outOfOrder: 0, ...options.statuses };
    this.statusDelayMs = statuses.delayMs;
    this.messages = new MessagesEndpoint({
      clock: this.clock,
      webhooks: this.webhooks,
      statuses,
      random: this.random,
      customers: () => this.customers.values(),
      customerByPhone: (phone) => this.customer(phone) as CustomerImpl,
      templates: (wabaId) => this.templates.get(wabaId) ?? [],
      media: (id) => this.media.get(id),
    });
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.log(`request failed: ${String(error)}`);
        sendError(res, graphError(1));
      });
    });
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve) => this.http.listen(port, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
    this.log(`listening on ${this.url}`);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get sent(): readonly SentMessage[] {
    return this.messages.sent;
  }

  get deliveries(): readonly WebhookDelivery[] {
    return this.webhooks.all;
  }

  addNumber(init: SimNumberInit): SimNumber {
    const number = new SimNumber(init);
    this.numbers.set(number.phoneNumberId, number);
    if (!this.templates.has(number.wabaId)) this.setTemplates(number.wabaId, DEFAULT_TEMPLATES);
    return number;
  }

  number(phoneNumberId: string): SimNumber | undefined {
    return this.numbers.get(phoneNumberId);
  }

  setWebhookUrl(url: string | null): void {
    this.webhookUrl = url;
  }

  customer(phone: string, options: CloudCustomerOptions = {}): CloudCustomer {
    const key = digitsOf(phone);
    const existing = this.customers.get(key);
    if (existing !== undefined) return existing;
    const customer = new CustomerImpl(`+${key}`, options, {
      now: () => this.clock.now(),
      submit: (from, business, item) => {
        const number = this.byPhone(business);
        this.wrote(from, number, item.message.id);
        this.webhooks.send(messagesNotification(number, [item]));
        return Promise.resolve();
      },
      storeMedia: (business, bytes, mimeType) => {
        const id = newNumericId(16);
        const sha256 = sha256Hex(bytes);
        const phoneNumberId = this.byPhone(business).phoneNumberId;
        this.media.set(id, { id, bytes, mimeType, sha256, phoneNumberId });
        return { id, sha256 };
      },
    });
    this.customers.set(key, customer);
    return customer;
  }

  sendBatch(business: string, items: { customer: CloudCustomer; text: string }[]): string[] {
    const number = this.byPhone(business);
    const built = items.map(({ customer, text }) => {
      const impl = this.customers.get(digitsOf(customer.phone))!;
      const item = impl.message(business, text);
      this.wrote(impl, number, item.message.id);
      return item;
    });
    this.webhooks.send(messagesNotification(number, built));
    return built.map((b) => b.message.id);
  }

  failNext(fault: GraphFault, match?: FaultMatch): void {
    this.faults.add(fault, match);
  }

  expireToken(phoneNumberId: string): void {
    this.mustGet(phoneNumberId).tokenExpired = true;
  }

  setAccessToken(phoneNumberId: string, token: string): void {
    const number = this.mustGet(phoneNumberId);
    number.accessToken = token;
    number.tokenExpired = false;
  }

  setTemplates(wabaId: string, templates: Omit<SimTemplate, 'id'>[]): void {
    this.templates.set(
      wabaId,
      templates.map((t) => ({ ...t, id: newNumericId(15) })),
    );
  }

  replay(delivery?: WebhookDelivery): void {
    const target = delivery ?? this.webhooks.all.at(-1);
    if (target !== undefined) this.webhooks.replay(target);
  }

  async verifyCallback(verifyToken: string): Promise<{ status: number; ok: boolean }> {
    if (this.webhookUrl === null) throw new Error('no callback URL set');
    const challenge = newNumericId(10);
    const url = new URL(this.webhookUrl);
    url.searchParams.set('hub.mode', 'subscribe');
    url.searchParams.set('hub.verify_token', verifyToken);
    url.searchParams.set('hub.challenge', challenge);
    const response = await fetch(url);
    return { status: response.status, ok: response.status === 200 && (await response.text()) === challenge };
  }

  async idle(): Promise<void> {
    for (;;) {
      await this.webhooks.idle();
      if (this.messages.pendingStatuses === 0) return;
      await new Promise((resolve) => setTimeout(resolve, this.statusDelayMs));
    }
  }

  async stop(): Promise<void> {
    this.messages.stop();
    this.webhooks.stop();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // --- requests ----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', this.url);
    const [version, node, edge, ...rest] = url.pathname.split('/').filter(Boolean);
    const ex = openExchange(req, res, url.pathname, this.requests);
    if (version === 'media-download' && node !== undefined) {
      ex.record.kind = 'media';
      return this.download(req, res, node, ex.fail);
    }
    if (version === undefined || !/^v\d+\.\d+$/.test(version) || node === undefined || rest.length > 0) {
      return ex.fail(graphError(100, { message: `Unknown path components: ${url.pathname}` }));
    }
    const number = this.numbers.get(node);
    if (req.method === 'POST' && edge === 'messages' && number !== undefined)
      return this.postMessages(ex, number, body);
    if (req.method === 'POST' && edge === 'media' && number !== undefined)
      return this.postMedia(ex, number, body);
    if (req.method === 'GET' && edge === undefined && number !== undefined) {
      ex.record.kind = 'profile';
      ex.record.phoneNumberId = number.phoneNumberId;
      if (this.admit(ex, [number], 'profile', number.phoneNumberId) === null) return;
      return ex.answer(200, number.profile(url.searchParams.get('fields')));
    }
    if (req.method === 'GET' && edge === 'message_templates') {
      ex.record.kind = 'templates';
      const owners = [...this.numbers.values()].filter((n) => n.wabaId === node);
      if (owners.length === 0) return ex.fail(unknownObject(node));
      if (this.admit(ex, owners, 'templates', null) === null) return;
      const page = templatePage(
        this.templates.get(node) ?? [],
        url.searchParams,
        `${this.url}/${version}/${node}`,
      );
      return ex.answer(200, page);
    }
    const media = this.media.get(node);
    if (req.method === 'GET' && edge === undefined && media !== undefined) return this.mediaInfo(ex, media);
    return ex.fail(unknownObject(node));
  }

  /**
   * Lets a request through its token check and the faults queued for it: null when it was answered
   * already (refused, or a fault answered it); else the fault that lets it go on (a later async
   * failure), if any.
   */
  private admit(
    ex: Exchange,
    owners: SimNumber[],
    kind: RequestKind,
    phoneNumberId: string | null,
    to: string | null = null,
  ): { fault: GraphFault | null } | null {
    const refusal = authorize(ex.req, owners);
    if (refusal !== null) {
      ex.fail(refusal);
      return null;
    }
    const fault = this.faults.take(kind, phoneNumberId, to);
    return fault !== null && applyFault(fault, ex, this.log) ? null : { fault };
  }

  private postMessages(ex: Exchange, number: SimNumber, body: Buffer): void {
    const json = parseJson(body);
    const kind: RequestKind = json?.status === 'read' ? 'read' : 'send';
    const { record } = ex;
    record.kind = kind;
    record.phoneNumberId = number.phoneNumberId;
    record.to =
      typeof json?.to === 'string' ? json.to : typeof json?.recipient === 'string' ? json.recipient : null;
    const admitted = this.admit(ex, [number], kind, number.phoneNumberId, record.to);
    if (admitted === null) return;
    const { fault } = admitted;
    if (json === null) return ex.fail(graphError(100, { details: 'The request body is not a JSON object' }));
    if (json.messaging_product !== 'whatsapp') {
      return ex.fail(graphError(100, { details: 'The parameter messaging_product is required.' }));
    }
    const result =
      kind === 'read'
        ? this.messages.markRead(number, json)
        : this.messages.send(
            number,
            json,
            fault !== null && 'asyncFailure' in fault ? fault.asyncFailure : null,
          );
    return ex.answer(result.status, result.body);
  }

  private async postMedia(ex: Exchange, number: SimNumber, body: Buffer): Promise<void> {
    ex.record.kind = 'upload';
    ex.record.phoneNumberId = number.phoneNumberId;
    if (this.admit(ex, [number], 'upload', number.phoneNumberId) === null) return;
    const uploaded = await receiveUpload(ex.req, body);
    if ('error' in uploaded) return ex.fail(uploaded.error);
    const id = newNumericId(16);
    this.media.set(id, { ...uploaded, id, phoneNumberId: number.phoneNumberId });
    this.uploads.push({ id, phoneNumberId: number.phoneNumberId, ...uploaded });
    this.log(`upload of ${uploaded.bytes.length} bytes (${uploaded.mimeType}) as media ${id}`);
    return ex.answer(200, { id });
  }

  private mediaInfo(ex: Exchange, media: StoredMedia): void {
    ex.record.kind = 'media';
    const refusal = authorize(ex.req, this.mediaOwners(media));
    if (refusal !== null) return ex.fail(refusal);
    return ex.answer(200, {
      messaging_product: 'whatsapp',
      url: `${this.url}/media-download/${media.id}?ext=${Date.now()}`,
      mime_type: media.mimeType,
      sha256: media.sha256,
      file_size: media.bytes.length,
      id: media.id,
    });
  }

  private download(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    fail: (e: GraphErrorAnswer) => void,
  ): void {
    const media = this.media.get(id);
    if (media === undefined) return fail(unknownObject(id));
    const refused = authorize(req, this.mediaOwners(media));
    if (refused !== null) return fail(refused);
    this.requests.push({
      method: 'GET',
      path: `/media-download/${id}`,
      kind: 'media',
      phoneNumberId: media.phoneNumberId,
      to: null,
      status: 200,
      code: null,
    });
    res.writeHead(200, { 'content-type': media.mimeType, 'content-length': media.bytes.length });
    res.end(media.bytes);
  }

  private mediaOwners(media: StoredMedia): SimNumber[] {
    const owner = media.phoneNumberId === null ? undefined : this.numbers.get(media.phoneNumberId);
    return owner === undefined ? [] : [owner];
  }

  /** A customer wrote to `number`: the window opens (or refreshes), and mark-read may name the message. */
  private wrote(customer: CustomerImpl, number: SimNumber, messageId: string): void {
    customer.lastWrote.set(number.phoneNumberId, this.clock.now());
    customer.sentIds.add(messageId);
    number.inbound.add(messageId);
  }

  private byPhone(business: string): SimNumber {
    const digits = digitsOf(business);
    const number = [...this.numbers.values()].find((n) => n.digits === digits);
    if (number === undefined) throw new Error(`no simulated Cloud API number ${business}: addNumber() first`);
    return number;
  }

  private mustGet(phoneNumberId: string): SimNumber {
    const number = this.numbers.get(phoneNumberId);
    if (number === undefined) throw new Error(`no simulated Cloud API number with id ${phoneNumberId}`);
    return number;
  }
}
