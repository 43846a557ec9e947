import type { PhoneNumber } from '../../shared/dto';
import type { E164, WorkspaceId } from '../../shared/types';
import { realTimers, type Timers } from '../timers';
import type { SendOptions, WhatsAppProvider } from '../whatsapp/provider';
import { createLiveness } from './connection-liveness';
import {
  connectionOf,
  createConnection,
  firstConnected,
  guardedEmit,
  type ConnectionParts,
} from './number-connection';
import type { SupervisorState } from './reconnect-supervisor';
import type { Connection, ConnectionManagerOptions } from './connection-types';

export type { ConnectionEvent, ConnectionManagerOptions } from './connection-types';

export type ConnectionManager = ReturnType<typeof createConnectionManager>;

/** What every connection of this manager shares: options, timers, the guarded emit, the liveness check. */
function connectionParts(options: ConnectionManagerOptions, timers: Timers): ConnectionParts {
  const log = options.logger;
  return {
    options,
    timers,
    log,
    emit: guardedEmit(options.onEvent, log),
    liveness: createLiveness({
      timers,
      log,
      intervalMs: options.livenessIntervalMs ?? 60_000,
      timeoutMs: options.livenessTimeoutMs ?? 15_000,
    }),
  };
}

/**
 * Holds every number's connection, keyed by E.164, one entry per number for the life of the process:
 * starting a number that already has an entry restarts that entry's supervisor instead of creating a
 * second provider, which is how "exactly one socket per number" holds even when restarts race.
 */
export function createConnectionManager(options: ConnectionManagerOptions) {
  const timers = options.timers ?? realTimers;
  const connections = new Map<E164, Connection>();
  const parts = connectionParts(options, timers);
  const mustGet = (workspaceId: WorkspaceId, e164: E164) => connectionOf(connections, workspaceId, e164);

  const manager = {
    /** Starts every number on the machine (the core's start). */
    async startAll(): Promise<void> {
      for (const number of await options.listNumbers()) {
        if (number.status === 'disabled') continue;
        manager.start(number, 'app start');
      }
    },

    /** Starts one number, or restarts it (owner pressed Reconnect, asked for a new QR). */
    start(number: PhoneNumber, reason = 'start'): void {
      let conn = connections.get(number.e164);
      if (conn === undefined) {
        conn = createConnection(number, parts);
        connections.set(number.e164, conn);
      }
      conn.supervisor.start(reason);
    },

    async stop(workspaceId: WorkspaceId, e164: E164, reason = 'stopped'): Promise<void> {
      const conn = mustGet(workspaceId, e164);
      parts.liveness.clear(conn);
      await conn.supervisor.stop(reason);
    },

    /** Stops a number for good (it was removed from its workspace). */
    async remove(workspaceId: WorkspaceId, e164: E164): Promise<void> {
      const conn = mustGet(workspaceId, e164);
      await manager.stop(workspaceId, e164, 'number removed');
      for (const off of conn.unsubscribe) off();
      connections.delete(e164);
    },

    async stopAll(reason = 'shutting down'): Promise<void> {
      await Promise.all(
        [...connections.values()].map(async (conn) => {
          parts.liveness.clear(conn);
          await conn.supervisor.stop(reason);
          for (const off of conn.unsubscribe) off();
        }),
      );
      connections.clear();
    },

    async requestPairingCode(workspaceId: WorkspaceId, e164: E164): Promise<string> {
      return mustGet(workspaceId, e164).provider.requestPairingCode();
    },

    /**
     * Sends from one of the workspace's numbers: `from` when given, else the first connected one. A
     * workspace can never send through another workspace's number.
     */
    async sendMessage(
      workspaceId: WorkspaceId,
      to: string,
      text: string,
      send: SendOptions & { from?: E164 },
    ): Promise<{ providerMessageId: string; from: E164 }> {
      const conn =
        send.from !== undefined ? mustGet(workspaceId, send.from) : firstConnected(connections, workspaceId);
      const result = await conn.provider.sendText(to, text, send);
      return { ...result, from: conn.number.e164 };
    },

    provider(workspaceId: WorkspaceId, e164: E164): WhatsAppProvider {
      return mustGet(workspaceId, e164).provider;
    },

    state(e164: E164): SupervisorState | undefined {
      return connections.get(e164)?.supervisor.getState();
    },

    list(workspaceId: WorkspaceId): { number: E164; state: SupervisorState }[] {
      return [...connections.values()]
        .filter((c) => c.number.workspaceId === workspaceId)
        .map((c) => ({ number: c.number.e164, state: c.supervisor.getState() }));
    },

    get size() {
      return connections.size;
    },
  };
  return manager;
}
