import { join } from 'node:path';
import type { EventName, Handlers } from '../../shared/contract';
import type { E164, WorkspaceId } from '../../shared/types';
import { createSwitchboard, type Switchboard, type SwitchboardOptions } from '../app';
import { SwitchboardError } from '../errors';
import { createDispatcher, type Dispatch } from '../handlers/dispatch';
import { createCoreRuntime, type CoreRuntime, type CoreRuntimeOptions } from '../handlers/runtime';
import { createFakeProvider, type FakeProvider } from './fake-provider';
import { makeTempDir } from './temp-files';

type TestShell = Pick<Handlers, 'app.info' | 'app.setStartAtLogin' | 'demo.scanQr' | 'demo.enterPairingCode'>;

/** The shell's commands as a browser answers them, so the dispatcher has the whole contract. */
const browserShell: TestShell = {
  'app.info': () => Promise.resolve({ shell: 'browser', version: '0.0.0', demo: false, startAtLogin: null }),
  'app.setStartAtLogin': () => Promise.reject(new SwitchboardError('UNAVAILABLE', 'not here')),
  'demo.scanQr': () => Promise.resolve(null),
  'demo.enterPairingCode': () => Promise.resolve(null),
};

export interface CoreHarnessOptions {
  /** Prefix of the temp folder that holds the data folder. */
  tempPrefix: string;
  /** Options for createSwitchboard beyond the data folder; `whatsapp` replaces the fake providers. */
  switchboard?: Omit<SwitchboardOptions, 'dataDir'>;
  runtime?: CoreRuntimeOptions;
  /** Shell commands that answer otherwise than a browser's. */
  shell?: Partial<TestShell>;
}

/** Who writes to a shop: the phone, the chat id and the name WhatsApp gives. */
export interface Customer {
  phone: E164;
  chat: string;
  name: string;
}

export interface ShopNumber {
  id: string;
  e164: E164;
}

/** A number linked with its fake socket open; `say` delivers a customer's text to it. */
export interface LinkedNumber {
  provider: FakeProvider;
  say(text: string, from: Customer): void;
}

export interface ConnectedShop {
  workspaceId: WorkspaceId;
  number: ShopNumber;
  /** Pairs a number of the shop (its first by default) and opens its fake socket. */
  link(number?: ShopNumber): Promise<LinkedNumber>;
}

export interface CoreHarness {
  readonly app: Switchboard;
  readonly runtime: CoreRuntime;
  readonly dispatch: Dispatch;
  readonly dataDir: string;
  /** The fake socket of each number the core connected, by E.164. */
  readonly providers: Map<string, FakeProvider>;
  /** Every event the runtime emitted, in order. */
  readonly seen: { event: EventName; payload: unknown }[];
  /** Runs a command through the dispatcher; a refusal throws with its code and message. */
  call<T = never>(name: string, input?: unknown): Promise<T>;
  /** A shop with a number, answering at once (no pacing, no greeting) with one FAQ; the pipeline runs. */
  connectedShop(name?: string, phone?: string): Promise<ConnectedShop>;
  /** Closes the runtime and the core and removes the temp folder. */
  close(): Promise<void>;
}

/**
 * Test support: the real core on a real SQLite file in a temp folder, its runtime and the dispatcher
 * the desktop IPC and the headless host use; WhatsApp numbers get fake providers.
 */
export async function startCoreHarness(options: CoreHarnessOptions): Promise<CoreHarness> {
  const temp = makeTempDir(options.tempPrefix);
  const dataDir = join(temp.dir, 'data');
  const providers = new Map<string, FakeProvider>();
  const seen: { event: EventName; payload: unknown }[] = [];
  const app = await createSwitchboard({
    dataDir,
    durability: 'normal',
    whatsapp: {
      livenessIntervalMs: 0,
      createProvider: (number) => {
        const provider = createFakeProvider(number.e164);
        providers.set(number.e164, provider);
        return provider;
      },
    },
    ...options.switchboard,
  });
  const runtime = createCoreRuntime(app, options.runtime);
  runtime.events.onAny((event, payload) => seen.push({ event, payload }));
  const dispatch = createDispatcher({ ...runtime.handlers, ...browserShell, ...options.shell }, app.logger);
  const call = async <T>(name: string, input?: unknown) => {
    const result = await dispatch(name, input);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  const harness: CoreHarness = {
    app,
    runtime,
    dispatch,
    dataDir,
    providers,
    seen,
    call,
    connectedShop: (name, phone) => connectedShop(harness, name, phone),
    close: async () => {
      runtime.close();
      await app.close();
      temp.cleanup();
    },
  };
  return harness;
}

async function connectedShop(
  core: CoreHarness,
  name = 'Shop',
  phone = '08031234567',
): Promise<ConnectedShop> {
  const { workspace, number } = await core.call<{ workspace: { id: WorkspaceId }; number: ShopNumber }>(
    'workspace.create',
    { name, number: phone },
  );
  const workspaceId = workspace.id;
  await core.call('workspace.updateSettings', {
    workspaceId,
    settings: { pacing: { enabled: false }, greeting: { enabled: false } },
  });
  await core.call('faq.create', {
    workspaceId,
    question: 'What time do you open?',
    answer: 'We open 8am to 6pm.',
  });
  await core.app.pipeline.start();
  return { workspaceId, number, link: (n = number) => linkNumber(core, workspaceId, n) };
}

let seq = 0;

async function linkNumber(core: CoreHarness, workspaceId: WorkspaceId, n: ShopNumber): Promise<LinkedNumber> {
  await core.call('connection.pair', { workspaceId, phoneNumberId: n.id });
  const provider = core.providers.get(n.e164)!;
  provider.emit('status', { state: 'open', isNewLogin: false });
  const say = (text: string, from: Customer) =>
    provider.emit('message', {
      businessNumber: n.e164,
      providerMessageId: `m${++seq}`,
      chatId: from.chat,
      chatKind: 'direct',
      sender: { phone: from.phone, waId: from.chat, name: from.name },
      kind: 'text',
      text,
      timestamp: Date.now(),
      offline: false,
      quotedId: null,
    } as never);
  return { provider, say };
}
