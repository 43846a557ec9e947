/**
 * Test support for the pipeline's tests: a real SQLite file with two workspaces and their numbers,
 * FAQs, a recording fake provider per number, fake timers and a memory log. Not used by production code.
 */
import { workspaceSettingsSchema, type WorkspaceSettingsInput } from '../../../shared/settings';
import type { E164, WorkspaceId } from '../../../shared/types';
import type { ConnectionEvent } from '../../connection/connection-manager';
import { createLogger } from '../../log/logger';
import type { Store } from '../../store/open-database';
import { openDatabase } from '../../store/open-database';
import { createFaqRepository } from '../../store/repositories/faqs';
import { createPhoneNumberRepository } from '../../store/repositories/phone-numbers';
import { createWorkspaceRepository } from '../../store/repositories/workspaces';
import { createFakeProvider, type FakeProvider } from '../../testing/fake-provider';
import { createFakeTimers, type FakeTimers } from '../../testing/fake-timers';
import { insertTestWorkspace } from '../../testing/fixtures';
import { createMemorySink } from '../../testing/memory-sink';
import { makeTempDir } from '../../testing/temp-files';
import type {
  DeliveryAck,
  DeliveryStatus,
  InboundMessage,
  OwnerReply,
  WhatsAppProvider,
} from '../../whatsapp/provider';
import { createPipeline, type Pipeline, type PipelineAlert, type PipelineOptions } from '../pipeline';
import { join } from 'node:path';

export const WS_A = 'ws-a' as WorkspaceId;
export const WS_B = 'ws-b' as WorkspaceId;
export const NUMBER_A = '+2348090000001' as E164;
export const NUMBER_B = '+2348090000002' as E164;
export const NOBODYS_NUMBER = '+2348090000009' as E164;
/** Wed 18 Nov 2026, 10:00 in Lagos: inside default business hours. */
/** The chat of the customer who writes in `inbound` and `receive`. */
const CUSTOMER_CHAT = '2348031234567@s.whatsapp.net';
export const START = Date.UTC(2026, 10, 18, 9, 0);

export const FAQS = [
  { id: 'faq-hours', question: 'What time do you open?', answer: 'We open 8am to 6pm, Monday to Saturday.' },
  { id: 'faq-delivery', question: 'How much is delivery?', answer: 'Delivery is ₦1,500 anywhere in Lagos.' },
  { id: 'faq-short', question: 'Price?', answer: 'Ok.' },
  {
    id: 'faq-long',
    question: 'Tell me everything',
    answer: 'x'.repeat(400),
  },
];

export type CallLog = { at: number; op: 'read' | 'typing' | 'send'; chatId: string; detail: string }[];

export interface RecordingProvider extends WhatsAppProvider {
  readonly fake: FakeProvider;
  readonly calls: CallLog;
  /** Errors the next sendText calls throw, in order. */
  failNext(...errors: Error[]): void;
  /** The next sendText never settles (the process "crashes" mid-send)... */
  hangNext(): void;
  /** ...until the test ends: then it fails as on a closed socket, so the old pipeline can stop. */
  releaseHung(): void;
}

/**
 * `cloudApi`: behaves as a Cloud API number does for the outbox: its kind is 'cloud-api' and each send
 * gets an id of Meta's (`wamid.<our id>`) instead of ours.
 */
export function createRecordingProvider(
  number: E164,
  timers: FakeTimers,
  options: { cloudApi?: boolean } = {},
): RecordingProvider {
  const fake = createFakeProvider(number);
  const calls: CallLog = [];
  const failures: Error[] = [];
  let hang = false;
  const hung: ((error: Error) => void)[] = [];
  return {
    fake,
    calls,
    kind: options.cloudApi === true ? 'cloud-api' : fake.kind,
    businessNumber: number,
    connect: () => fake.connect(),
    disconnect: (reason) => fake.disconnect(reason),
    requestPairingCode: () => fake.requestPairingCode(),
    ownNumber: () => fake.ownNumber(),
    ping: (ms) => fake.ping(ms),
    on: (event, listener) => fake.on(event, listener),
    async sendText(chatId, text, sendOptions) {
      calls.push({ at: timers.now(), op: 'send', chatId, detail: sendOptions.messageId });
      if (hang) {
        hang = false;
        return new Promise((_resolve, reject) => hung.push(reject));
      }
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      const sent = await fake.sendText(chatId, text, sendOptions);
      return options.cloudApi === true ? { providerMessageId: `wamid.${sendOptions.messageId}` } : sent;
    },
    sendTyping(chatId, state) {
      calls.push({ at: timers.now(), op: 'typing', chatId, detail: state });
      return Promise.resolve();
    },
    markRead(chatId, ids) {
      calls.push({ at: timers.now(), op: 'read', chatId, detail: ids.join(',') });
      return Promise.resolve();
    },
    failNext: (...errors) => void failures.push(...errors),
    hangNext: () => {
      hang = true;
    },
    releaseHung: () => {
      for (const reject of hung.splice(0)) reject(new Error('connection closed'));
    },
  };
}

export interface Kit {
  store: Store;
  path: string;
  timers: FakeTimers;
  sink: ReturnType<typeof createMemorySink>;
  providers: Map<E164, RecordingProvider>;
  pipeline: Pipeline;
  alerts: PipelineAlert[];
  emit(event: ConnectionEvent): void;
  /** An inbound text from a customer to NUMBER_A (or `to`). */
  inbound(text: string | null, overrides?: Partial<InboundMessage>): InboundMessage;
  receive(text: string | null, overrides?: Partial<InboundMessage>): InboundMessage;
  /** The owner answers the customer on NUMBER_A by hand (or the bot's own reply comes back as an echo). */
  ownerReply(text: string | null, overrides?: Partial<OwnerReply>): void;
  /** A delivery receipt from NUMBER_A for a message in the customer's chat. */
  ack(providerMessageId: string, status: DeliveryStatus, overrides?: Partial<DeliveryAck>): void;
  /** Lets the pipeline finish what it was handed, firing due timers, until `until` holds or nothing is left. */
  drive(options?: { until?: () => boolean | Promise<boolean>; maxMs?: number }): Promise<void>;
  /** A second pipeline on the same database file (a restart after a crash). */
  restart(
    overrides?: Partial<PipelineOptions>,
    providerOptions?: { cloudApi?: boolean },
  ): Promise<{ store: Store; pipeline: Pipeline; provider: RecordingProvider }>;
  setSettings(workspaceId: WorkspaceId, input: WorkspaceSettingsInput): Promise<void>;
  cleanup(): Promise<void>;
}

let providerCounter = 0;

export async function createKit(
  options: {
    settings?: WorkspaceSettingsInput;
    pipeline?: Partial<PipelineOptions>;
    /** NUMBER_A and NUMBER_B behave as Cloud API numbers (see createRecordingProvider). */
    cloudApi?: boolean;
  } = {},
): Promise<Kit> {
  const { dir, cleanup: removeDir } = makeTempDir();
  const path = join(dir, 'switchboard.db');
  const store = await openDatabase({ path });
  const settings = workspaceSettingsSchema.parse({ pacing: { enabled: false }, ...options.settings });
  await insertTestWorkspace(store.db, WS_A, { name: 'Chidi Pharmacy', settings });
  await insertTestWorkspace(store.db, WS_B, { name: 'Ada Boutique', settings });
  const numbers = createPhoneNumberRepository(store.db);
  await numbers.insert(
    WS_A,
    { id: 'pn-a', e164: NUMBER_A, provider: 'baileys', status: 'connected', label: null },
    1,
  );
  await numbers.insert(
    WS_B,
    { id: 'pn-b', e164: NUMBER_B, provider: 'baileys', status: 'connected', label: null },
    1,
  );
  let faqIds = 0;
  const faqs = createFaqRepository(store.db, () => `phr-${++faqIds}`);
  for (const ws of [WS_A, WS_B]) {
    for (const f of FAQS) {
      await faqs.create(
        ws,
        `${ws}-${f.id}`,
        { question: f.question, answer: f.answer, phrasings: [], enabled: true },
        1,
      );
    }
  }

  const timers = createFakeTimers(START);
  const sink = createMemorySink();
  const logger = createLogger({ sinks: [sink], now: () => timers.now() });
  const providers = new Map<E164, RecordingProvider>();
  for (const n of [NUMBER_A, NUMBER_B]) {
    const p = createRecordingProvider(n, timers, { cloudApi: options.cloudApi === true });
    await p.connect();
    providers.set(n, p);
  }
  const listeners = new Set<(e: ConnectionEvent) => void>();
  const alerts: PipelineAlert[] = [];
  let ids = 0;
  let outboxIds = 0;
  const pipelineOptions = (
    s: Store,
    provs: Map<E164, RecordingProvider>,
    prefix: string,
  ): PipelineOptions => ({
    store: s,
    logger,
    connections: { provider: (_ws, n) => provs.get(n) },
    subscribe: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    timers,
    random: () => 0.5,
    newId: () => `${prefix}id-${++ids}`,
    newOutboxId: () => `${prefix}OUT${String(++outboxIds).padStart(4, '0')}`,
    onAlert: (a) => alerts.push(a),
    ...options.pipeline,
  });
  const pipeline = createPipeline(pipelineOptions(store, providers, ''));
  await pipeline.start();
  const extra: { store: Store }[] = [];
  let msgCounter = 0;

  const kit: Kit = {
    store,
    path,
    timers,
    sink,
    providers,
    pipeline,
    alerts,
    emit: (event) => {
      for (const fn of [...listeners]) fn(event);
    },
    inbound(text, overrides = {}) {
      const n = ++msgCounter;
      return {
        businessNumber: NUMBER_A,
        providerMessageId: `WAMID-${n}`,
        chatId: CUSTOMER_CHAT,
        chatKind: 'direct',
        sender: { phone: '+2348031234567' as E164, waId: CUSTOMER_CHAT, name: 'Emeka' },
        kind: text === null ? 'media' : 'text',
        text,
        timestamp: timers.now(),
        offline: false,
        quotedId: null,
        ...overrides,
      };
    },
    receive(text, overrides = {}) {
      const message = kit.inbound(text, overrides);
      const workspaceId = message.businessNumber === NUMBER_B ? WS_B : WS_A;
      kit.emit({ type: 'message', workspaceId, message });
      return message;
    },
    ownerReply(text, overrides = {}) {
      const reply = { businessNumber: NUMBER_A, chatId: CUSTOMER_CHAT, providerMessageId: 'OWNER-1', text };
      kit.emit({ type: 'owner-reply', workspaceId: WS_A, reply: { ...reply, timestamp: 1, ...overrides } });
    },
    ack(providerMessageId, status, overrides = {}) {
      const ack = { businessNumber: NUMBER_A, chatId: CUSTOMER_CHAT, providerMessageId, status, error: null };
      kit.emit({ type: 'ack', workspaceId: WS_A, ack: { ...ack, timestamp: 1, ...overrides } });
    },
    async drive({ until, maxMs = 10 * 60_000 } = {}) {
      const end = timers.now() + maxMs;
      for (let i = 0; i < 10_000; i++) {
        await flush();
        await pipeline.idle();
        await flush();
        if (until !== undefined && (await until())) return;
        if (timers.pending() === 0) {
          if (until === undefined) return;
          continue;
        }
        if (timers.now() >= end) return;
        await timers.next();
      }
      throw new Error('drive: no end in sight');
    },
    async restart(overrides = {}, providerOptions = {}) {
      const second = await openDatabase({ path });
      extra.push({ store: second });
      const provider = createRecordingProvider(NUMBER_A, timers, providerOptions);
      await provider.connect();
      const provs = new Map<E164, RecordingProvider>([[NUMBER_A, provider]]);
      const p = createPipeline({ ...pipelineOptions(second, provs, `r${++providerCounter}-`), ...overrides });
      await p.start();
      return { store: second, pipeline: p, provider };
    },
    async setSettings(workspaceId, input) {
      await createWorkspaceRepository(store.db).update(
        workspaceId,
        { settings: workspaceSettingsSchema.parse(input) },
        2,
      );
      pipeline.invalidate(workspaceId);
    },
    async cleanup() {
      for (const p of providers.values()) p.releaseHung();
      await pipeline.stop();
      for (const e of extra) await e.store.close();
      await store.close();
      removeDir();
    },
  };
  return kit;
}

/** A few turns of the real event loop: lets database promise chains and setImmediate yields run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
