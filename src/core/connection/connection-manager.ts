import type { PhoneNumber } from '../../shared/dto';
import type { E164, NumberStatus, WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import type { Logger } from '../log/logger';
import { realTimers, type TimerHandle, type Timers } from '../timers';
import type {
  DeliveryAck,
  InboundMessage,
  OwnerReply,
  ProviderStatus,
  SendOptions,
  WhatsAppProvider,
} from '../whatsapp/provider';
import {
  createReconnectSupervisor,
  type ReconnectSupervisor,
  type SupervisorAlert,
  type SupervisorPolicy,
  type SupervisorState,
} from './reconnect-supervisor';

/** Everything a connection reports upward: the pipeline takes messages, the UI takes the rest. */
export type ConnectionEvent =
  | { type: 'qr'; workspaceId: WorkspaceId; number: E164; qr: string; expiresAt: number }
  | { type: 'pairing-code'; workspaceId: WorkspaceId; number: E164; code: string }
  | { type: 'state'; workspaceId: WorkspaceId; number: E164; state: SupervisorState }
  | { type: 'alert'; workspaceId: WorkspaceId; alert: SupervisorAlert }
  | { type: 'message'; workspaceId: WorkspaceId; message: InboundMessage }
  | { type: 'owner-reply'; workspaceId: WorkspaceId; reply: OwnerReply }
  | { type: 'ack'; workspaceId: WorkspaceId; ack: DeliveryAck };

export interface ConnectionManagerOptions {
  /** Every number on this machine, read at start. */
  listNumbers: () => Promise<PhoneNumber[]>;
  createProvider: (number: PhoneNumber) => WhatsAppProvider;
  /** Forget a number's credentials (after a 401, or when a phone that is not this number scanned the QR). */
  wipeAuth: (number: PhoneNumber) => Promise<void>;
  /** Persist the status the UI shows for a number. */
  saveStatus: (number: PhoneNumber, status: NumberStatus, reason: string) => Promise<void>;
  onEvent: (event: ConnectionEvent) => void;
  logger: Logger;
  timers?: Timers;
  random?: () => number;
  policy?: Partial<SupervisorPolicy>;
  /** How often an open connection must answer a ping; 0 turns the check off. */
  livenessIntervalMs?: number;
  livenessTimeoutMs?: number;
}

interface Connection {
  number: PhoneNumber;
  provider: WhatsAppProvider;
  supervisor: ReconnectSupervisor;
  unsubscribe: (() => void)[];
  liveness: TimerHandle | null;
}

export type ConnectionManager = ReturnType<typeof createConnectionManager>;

/**
 * Holds every number's connection, keyed by E.164, one entry per number for the life of the process:
 * starting a number that already has an entry restarts that entry's supervisor instead of creating a
 * second provider, which is how "exactly one socket per number" holds even when restarts race.
 */
export function createConnectionManager(options: ConnectionManagerOptions) {
  const timers = options.timers ?? realTimers;
  const connections = new Map<E164, Connection>();
  const log = options.logger;
  const livenessIntervalMs = options.livenessIntervalMs ?? 60_000;
  const livenessTimeoutMs = options.livenessTimeoutMs ?? 15_000;

  function emit(event: ConnectionEvent): void {
    try {
      options.onEvent(event);
    } catch (error) {
      log.error('error', 'a connection event handler failed', { error, type: event.type });
    }
  }

  function scheduleLiveness(conn: Connection): void {
    if (livenessIntervalMs <= 0) return;
    if (conn.liveness !== null) timers.clearTimeout(conn.liveness);
    conn.liveness = timers.setTimeout(() => {
      conn.liveness = null;
      if (conn.supervisor.getState().status !== 'connected') return;
      conn.provider.ping(livenessTimeoutMs).then(
        () => scheduleLiveness(conn),
        (error: unknown) => {
          // "Connected" but dead: the most common complaint about WhatsApp gateways. End it and reconnect.
          log.warn('connection.liveness', `${conn.number.e164}: no answer to a ping, reconnecting`, {
            number: conn.number.e164,
            error,
          });
          void conn.provider.disconnect('liveness check failed');
          conn.supervisor.handleStatus({
            state: 'closed',
            close: { code: 408, message: 'no answer to a liveness ping', paired: true, qrExhausted: false },
          });
        },
      );
    }, livenessIntervalMs);
  }

  function create(number: PhoneNumber): Connection {
    const provider = options.createProvider(number);
    const workspaceId = number.workspaceId;
    const e164 = number.e164;
    let lastSaved: NumberStatus = number.status;
    const numberLog = log.child({ workspaceId });
    const supervisor = createReconnectSupervisor({
      number: e164,
      connect: () => provider.connect(),
      disconnect: (reason) => provider.disconnect(reason),
      wipeAuth: () => options.wipeAuth(number),
      timers,
      ...(options.random !== undefined && { random: options.random }),
      logger: numberLog,
      ...(options.policy !== undefined && { policy: options.policy }),
      onState: (state) => {
        emit({ type: 'state', workspaceId, number: e164, state });
        // 'disabled' here only means this process stopped supervising (shutdown): the number itself is
        // not disabled, and saving it would keep the number offline at the next start.
        if (state.status !== lastSaved && state.status !== 'disabled') {
          lastSaved = state.status;
          options
            .saveStatus(number, state.status, state.message ?? state.status)
            .catch((error: unknown) => log.error('error', `saving the status of ${e164} failed`, { error }));
        }
      },
      onAlert: (alert) => emit({ type: 'alert', workspaceId, alert }),
    });
    const conn: Connection = { number, provider, supervisor, unsubscribe: [], liveness: null };
    conn.unsubscribe.push(
      provider.on('status', (status: ProviderStatus) => {
        supervisor.handleStatus(status);
        if (status.state === 'open') scheduleLiveness(conn);
      }),
      provider.on('qr', ({ qr, expiresAt }) => {
        supervisor.handleQr();
        emit({ type: 'qr', workspaceId, number: e164, qr, expiresAt });
      }),
      provider.on('pairingCode', ({ code }) =>
        emit({ type: 'pairing-code', workspaceId, number: e164, code }),
      ),
      provider.on('paired', ({ ownNumber }) => {
        if (ownNumber === e164) return;
        // The owner scanned with another phone. The provider delivers nothing for that account, logs the
        // link out once it is logged in, and closes with linkedToAnotherNumber: the supervisor then
        // wipes the session, shows 'wrong-phone' with both numbers and alerts the owner.
        numberLog.error('connection.wrong_phone', `${e164} was linked with the WhatsApp of ${ownNumber}`, {
          number: e164,
          linkedNumber: ownNumber,
        });
      }),
      provider.on('message', (message) => emit({ type: 'message', workspaceId, message })),
      provider.on('ownerReply', (reply) => emit({ type: 'owner-reply', workspaceId, reply })),
      provider.on('ack', (ack) => emit({ type: 'ack', workspaceId, ack })),
    );
    return conn;
  }

  function mustGet(workspaceId: WorkspaceId, e164: E164): Connection {
    const conn = connections.get(e164);
    if (conn === undefined || conn.number.workspaceId !== workspaceId) {
      throw new SwitchboardError('NOT_FOUND', `${e164} is not a number of this workspace.`, { e164 });
    }
    return conn;
  }

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
        conn = create(number);
        connections.set(number.e164, conn);
      }
      conn.supervisor.start(reason);
    },

    async stop(workspaceId: WorkspaceId, e164: E164, reason = 'stopped'): Promise<void> {
      const conn = mustGet(workspaceId, e164);
      if (conn.liveness !== null) timers.clearTimeout(conn.liveness);
      conn.liveness = null;
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
          if (conn.liveness !== null) timers.clearTimeout(conn.liveness);
          conn.liveness = null;
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
      let conn: Connection | undefined;
      if (send.from !== undefined) conn = mustGet(workspaceId, send.from);
      else {
        conn = [...connections.values()].find(
          (c) => c.number.workspaceId === workspaceId && c.supervisor.getState().status === 'connected',
        );
      }
      if (conn === undefined) {
        throw new SwitchboardError(
          'INTERNAL',
          'No number of this workspace is connected to WhatsApp right now.',
          {
            reason: 'NOT_CONNECTED',
          },
        );
      }
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
