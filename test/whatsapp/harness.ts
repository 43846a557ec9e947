// Shared set-up for the WhatsApp layer's end-to-end tests: the real core (createSwitchboard, real SQLite
// file, real Baileys client) against the local WhatsApp server on 127.0.0.1.
import { join } from 'node:path';
import { createSwitchboard, type Switchboard, type SwitchboardOptions } from '../../src/core/app';
import type { CoreRuntime } from '../../src/core/handlers/index';
import { commands, type CoreHandlers } from '../../src/shared/contract';
import type { ConnectionEvent } from '../../src/core/connection/connection-manager';
import { makeTempDir } from '../../src/core/testing/temp-files';
import type { ThreadMessage } from '../../src/shared/contract';
import type { E164, NumberStatus, WorkspaceId } from '../../src/shared/types';
import { startWhatsAppServer, trustSimulator, type WhatsAppServer } from '../../src/simulator/index';

export interface Harness {
  server: WhatsAppServer;
  dataDir: string;
  /** Starts a core on the shared data folder; every core started is closed by `cleanup`. */
  startCore(
    overrides?: Partial<SwitchboardOptions['whatsapp']>,
    options?: Pick<SwitchboardOptions, 'sinks' | 'pipeline'>,
  ): Promise<Core>;
  cleanup(): Promise<void>;
}

export interface Core {
  app: Switchboard;
  events: ConnectionEvent[];
  waitFor<T extends ConnectionEvent>(
    match: (e: ConnectionEvent) => e is T,
    timeoutMs?: number,
    from?: number,
  ): Promise<T>;
  waitForStatus(number: string, status: NumberStatus, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function createHarness(): Promise<Harness> {
  const server = await startWhatsAppServer();
  trustSimulator(server);
  const { dir, cleanup } = makeTempDir('switchboard-wa-e2e-');
  const cores: Core[] = [];
  return {
    server,
    dataDir: join(dir, 'data'),
    async startCore(overrides = {}, options = {}) {
      const app = await createSwitchboard({
        ...options,
        dataDir: join(dir, 'data'),
        durability: 'normal',
        whatsapp: {
          waWebSocketUrl: server.url,
          livenessIntervalMs: 0,
          media: { host: server.media.hostname, ca: server.mediaCa },
          ...overrides,
        },
      });
      const core = wrapCore(app);
      cores.push(core);
      return core;
    },
    async cleanup() {
      for (const core of cores) await core.close();
      await server.stop();
      cleanup();
    },
  };
}

export function wrapCore(app: Switchboard): Core {
  const events: ConnectionEvent[] = [];
  const waiters = new Set<() => void>();
  app.onConnectionEvent((event) => {
    events.push(event);
    for (const wake of [...waiters]) wake();
  });
  let closed = false;
  const core: Core = {
    app,
    events,
    waitFor(match, timeoutMs = 15_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.slice(from).find(match);
          if (found === undefined) return false;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`timed out waiting for a connection event; saw ${events.map(describe).join(', ')}`),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    async waitForStatus(number, status, timeoutMs = 15_000) {
      const from = 0;
      const isState = (e: ConnectionEvent): e is Extract<ConnectionEvent, { type: 'state' }> =>
        e.type === 'state' && e.number === number && e.state.status === status;
      // The latest state for the number must be the one asked for (not an old one).
      await core.waitFor(isState, timeoutMs, from);
      const start = Date.now();
      while (app.connections.state(number as E164)?.status !== status) {
        if (Date.now() - start > timeoutMs)
          throw new Error(`${number} is ${app.connections.state(number as E164)?.status}, not ${status}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
  return core;
}

function describe(e: ConnectionEvent): string {
  return e.type === 'state' ? `state(${e.number}:${e.state.status})` : e.type;
}

export const isQr = (e: ConnectionEvent): e is Extract<ConnectionEvent, { type: 'qr' }> => e.type === 'qr';
export const isMessage = (e: ConnectionEvent): e is Extract<ConnectionEvent, { type: 'message' }> =>
  e.type === 'message';
export const isAlert = (e: ConnectionEvent): e is Extract<ConnectionEvent, { type: 'alert' }> =>
  e.type === 'alert';

/** Creates a workspace with one number and links it by QR; returns ids. */
export async function linkNumber(
  harness: Harness,
  core: Core,
  phone: string,
  workspace?: { id: WorkspaceId },
): Promise<{ workspaceId: WorkspaceId; phoneNumberId: string; e164: E164 }> {
  const ws = workspace ?? (await core.app.workspaces.create({ name: `Shop ${phone}` }));
  const number = await core.app.workspaces.addNumber(ws.id, { number: phone });
  const from = core.events.length;
  await core.app.connect(ws.id, number.id);
  const qr = await core.waitFor(
    (e): e is Extract<ConnectionEvent, { type: 'qr' }> => isQr(e) && e.number === number.e164,
    15_000,
    from,
  );
  await harness.server.scanQr(qr.qr, number.e164);
  await core.waitForStatus(number.e164, 'connected');
  return { workspaceId: ws.id, phoneNumberId: number.id, e164: number.e164 };
}

/** Calls commands as a shell does (the contract's schema first, then the handler) on `runtime()`. */
export function commandCaller(runtime: () => CoreRuntime) {
  return async <K extends keyof CoreHandlers>(
    name: K,
    input: Parameters<CoreHandlers[K]>[0] | Record<string, unknown>,
  ): Promise<Awaited<ReturnType<CoreHandlers[K]>>> => {
    const parsed = commands[name].input.parse(input) as Parameters<CoreHandlers[K]>[0];
    const handler = runtime().handlers[name] as (
      input: unknown,
    ) => Promise<Awaited<ReturnType<CoreHandlers[K]>>>;
    return handler(parsed);
  };
}

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

type Call = ReturnType<typeof commandCaller>;

/** A new FAQ-bot workspace that answers at once (no greeting, no typing time). */
export async function createQuietShop(
  call: Call,
  name: string,
  settings: Record<string, unknown> = {},
): Promise<WorkspaceId> {
  const { workspace } = await call('workspace.create', { name, botMode: 'faq' });
  await call('workspace.updateSettings', {
    workspaceId: workspace.id,
    settings: { greeting: { enabled: false }, pacing: { enabled: false }, ...settings },
  });
  return workspace.id;
}

/** The customer's messages of a chat once at least `count` are in and none of their files is pending. */
export async function settledThread(
  call: Call,
  workspaceId: WorkspaceId,
  chatId: string,
  count: number,
): Promise<ThreadMessage[]> {
  let messages: ThreadMessage[] = [];
  await waitUntil(async () => {
    messages = (await call('conversation.thread', { workspaceId, chatId })).messages.filter(
      (m) => m.author === 'contact',
    );
    return messages.length >= count && messages.every((m) => m.media?.state !== 'pending');
  }, `${count} customer messages with their media settled`);
  return messages;
}

/** How the core decided each message a customer sent in one chat, by message id. */
export async function dispositions(
  core: Core,
  chatId: string,
): Promise<(messageId: string) => string | null | undefined> {
  const decided = await core.app.store.db
    .selectFrom('messages')
    .select(['id', 'disposition'])
    .where('direction', '=', 'in')
    .where('chat_id', '=', chatId)
    .execute();
  return (id) => decided.find((d) => d.id === id)?.disposition;
}
