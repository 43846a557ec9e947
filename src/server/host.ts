import { join } from 'node:path';
import type { DemoCloudNumber, ShellHandlers } from '../shared/contract';
import type { E164 } from '../shared/types';
import {
  acquireInstanceLock,
  createJsonLinesFileSink,
  createSwitchboard,
  SwitchboardError,
  type LogSink,
  type Switchboard,
  type SwitchboardOptions,
} from '../core/index';
import {
  createCoreRuntime,
  createDispatcher,
  createLiveLogSink,
  type CoreRuntime,
  type EventHub,
} from '../core/handlers/index';
import { createHttpBinding, type HttpBinding } from './http-binding';
import { createWebhookRoute, WEBHOOK_PATH } from './webhook-route';

/** Demo mode's hooks into the local WhatsApp server (see demo.ts); the host knows only this shape. */
export interface DemoController {
  /** Where Baileys connects instead of WhatsApp. */
  readonly waWebSocketUrl: string;
  /** The local server's media host and its test certificate, instead of WhatsApp's media hosts. */
  readonly media?: { host: string; ca: string };
  /** The simulated phone of `e164` scans the QR the owner sees. */
  scanQr(e164: E164, qr: string): Promise<void>;
  /** The simulated phone of `e164` types the pairing code. */
  enterPairingCode(e164: E164, code: string): Promise<void>;
  /** The simulated official number (Cloud API), offered in "Connect an official number". */
  readonly cloudNumber?: DemoCloudNumber;
  /**
   * Called once the host listens: the simulated customers follow connections (they write to connected
   * numbers), and the simulated Graph API sends its webhooks to `webhookUrl`, the host's own
   * `/webhooks/whatsapp` (before that it keeps them and retries, as Meta does).
   */
  attach(host: { events: EventHub; handlers: CoreRuntime['handlers']; webhookUrl: string }): void;
  stop(): Promise<void>;
}

export interface HeadlessHostOptions {
  dataDir: string;
  token: string;
  /** Default 127.0.0.1: the UI is reachable from this computer only. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** The renderer build (out/renderer). */
  staticDir?: string;
  demo?: DemoController;
  whatsapp?: SwitchboardOptions['whatsapp'];
  version?: string;
  /** Also write the log as JSON lines under <dataDir>/logs. Default true. */
  fileLog?: boolean;
  durability?: SwitchboardOptions['durability'];
  /** Central sync timings (tests shorten the backoff and the idle poll). */
  sync?: SwitchboardOptions['sync'];
  /** The webhook relay's timings (tests shorten its backoff and waits). */
  cloudRelay?: SwitchboardOptions['cloudRelay'];
  log?: (line: string) => void;
  /** Where secrets are sealed; default the key file in the data folder (tests pass one per "computer"). */
  secrets?: SwitchboardOptions['secrets'];
}

export interface HeadlessHost {
  readonly url: string;
  readonly port: number;
  readonly app: Switchboard;
  readonly runtime: CoreRuntime;
  readonly binding: HttpBinding;
  /** The backup at quit (skipped when a good one is less than an hour old). */
  backupOnQuit(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The headless host: the same core as the desktop app, bound to HTTP + WebSocket instead of IPC.
 * Listening comes before connecting the numbers, so the UI is up while WhatsApp sockets start.
 */
export async function startHeadlessHost(options: HeadlessHostOptions): Promise<HeadlessHost> {
  const liveLog = createLiveLogSink();
  const demo = options.demo;
  // One process per data folder; the lock names this one's address once it listens.
  const lock = acquireInstanceLock(options.dataDir, 'the headless host (starting)');
  const app = await createSwitchboard(switchboardOptions(options, liveLog)).catch((error: unknown) => {
    lock.release();
    throw error;
  });
  const runtime = createCoreRuntime(app, { liveLog });
  const dispatch = createDispatcher(
    { ...runtime.handlers, ...browserShell(app, runtime, options) },
    app.logger,
  );
  const binding = createHttpBinding({
    dispatch,
    events: runtime.events,
    token: options.token,
    // Off (404) until a Cloud number has an app secret stored: the intake decides per request.
    webhooks: createWebhookRoute(app.cloudWebhooks),
    ...(options.staticDir !== undefined && { staticDir: options.staticDir }),
    ...(options.log !== undefined && { log: options.log }),
  });
  let listening: { port: number; url: string };
  try {
    listening = await binding.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  } catch (error) {
    runtime.close();
    await app.close();
    lock.release();
    throw error;
  }
  lock.update(`the headless host at ${listening.url}/`);
  demo?.attach({
    events: runtime.events,
    handlers: runtime.handlers,
    webhookUrl: `${listening.url}${WEBHOOK_PATH}`,
  });
  await app.start();
  app.logger.info('host.started', `Headless host listening on ${listening.url}`, {
    url: listening.url,
    demo: demo !== undefined,
  });

  let closing: Promise<void> | undefined;
  return {
    url: listening.url,
    port: listening.port,
    app,
    runtime,
    binding,
    backupOnQuit: () => app.backupSchedule.backupOnQuit(),
    close() {
      closing ??= (async () => {
        await binding.close();
        runtime.close();
        await app.close();
        lock.release();
      })();
      return closing;
    },
  };
}

/** The core's options on this host: its log sinks, and demo mode's local WhatsApp and Graph API. */
function switchboardOptions(options: HeadlessHostOptions, liveLog: LogSink): SwitchboardOptions {
  const sinks: LogSink[] = [liveLog];
  if (options.fileLog !== false) sinks.push(createJsonLinesFileSink({ dir: join(options.dataDir, 'logs') }));
  const demo = options.demo;
  return {
    dataDir: options.dataDir,
    sinks,
    ...(options.secrets !== undefined && { secrets: options.secrets }),
    ...(options.durability !== undefined && { durability: options.durability }),
    sync: { ...options.sync, ...(options.version !== undefined && { appVersion: options.version }) },
    ...(options.cloudRelay !== undefined && { cloudRelay: options.cloudRelay }),
    whatsapp: {
      ...options.whatsapp,
      ...(demo !== undefined && { waWebSocketUrl: demo.waWebSocketUrl }),
      ...(demo?.media !== undefined && { media: demo.media }),
      // Demo mode's Graph API is the local one, as its WhatsApp is (a number may still name its own).
      ...(demo?.cloudNumber !== undefined && {
        cloudApi: { baseUrl: demo.cloudNumber.graphBaseUrl, ...options.whatsapp?.cloudApi },
      }),
    },
  };
}

/** The browser shell's half of the contract: app info, and the demo phone's hands in demo mode. */
function browserShell(app: Switchboard, runtime: CoreRuntime, options: HeadlessHostOptions): ShellHandlers {
  const demo = options.demo;
  const pairingOf = async (
    workspaceId: Parameters<Switchboard['workspaces']['listNumbers']>[0],
    id: string,
  ) => {
    const number = (await app.workspaces.listNumbers(workspaceId)).find((n) => n.id === id);
    if (number === undefined)
      throw new SwitchboardError('NOT_FOUND', 'That number is not linked to this workspace.');
    return { e164: number.e164, pairing: runtime.connectionEvents.pairing(number.e164) };
  };
  const demoOnly = (): never => {
    throw new SwitchboardError(
      'UNAVAILABLE',
      'The demo phone exists only in demo mode (npm run serve -- --demo).',
    );
  };

  return {
    'app.info': () =>
      Promise.resolve({
        shell: 'browser',
        version: options.version ?? '0.0.0',
        demo: demo !== undefined,
        ...(demo?.cloudNumber !== undefined && { demoCloudNumber: demo.cloudNumber }),
        startAtLogin: null,
      }),
    'app.setStartAtLogin': () =>
      Promise.reject(
        new SwitchboardError(
          'UNAVAILABLE',
          'Start at login is a setting of the desktop app, not of the browser.',
        ),
      ),
    async 'demo.scanQr'({ workspaceId, phoneNumberId }) {
      if (demo === undefined) return demoOnly();
      const { e164, pairing } = await pairingOf(workspaceId, phoneNumberId);
      if (pairing.qr === null) {
        throw new SwitchboardError('CONFLICT', 'There is no QR code on screen for this number right now.');
      }
      await demo.scanQr(e164, pairing.qr.qr);
      return null;
    },
    async 'demo.enterPairingCode'({ workspaceId, phoneNumberId }) {
      if (demo === undefined) return demoOnly();
      const { e164, pairing } = await pairingOf(workspaceId, phoneNumberId);
      if (pairing.code === null) {
        throw new SwitchboardError('CONFLICT', 'Ask for a pairing code first.');
      }
      await demo.enterPairingCode(e164, pairing.code);
      return null;
    },
  };
}
