import type { PhoneNumber } from '../../shared/dto';
import type { E164, NumberStatus, WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import type { Logger } from '../log/logger';
import type { Timers } from '../timers';
import type { ProviderStatus } from '../whatsapp/provider';
import type { Connection, ConnectionEvent, ConnectionManagerOptions } from './connection-types';
import type { Liveness } from './connection-liveness';
import { createReconnectSupervisor } from './reconnect-supervisor';

/** What the manager shares with each connection it creates. */
export interface ConnectionParts {
  options: ConnectionManagerOptions;
  timers: Timers;
  log: Logger;
  emit: (event: ConnectionEvent) => void;
  liveness: Liveness;
}

export function createConnection(number: PhoneNumber, parts: ConnectionParts): Connection {
  const { options, timers, log, emit } = parts;
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
      if (status.state === 'open') parts.liveness.schedule(conn);
    }),
    provider.on('qr', ({ qr, expiresAt }) => {
      supervisor.handleQr();
      emit({ type: 'qr', workspaceId, number: e164, qr, expiresAt });
    }),
    provider.on('pairingCode', ({ code }) => emit({ type: 'pairing-code', workspaceId, number: e164, code })),
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

/** The workspace's first connected number: what a send without `from` goes through. */
export function firstConnected(connections: Map<E164, Connection>, workspaceId: WorkspaceId): Connection {
  const conn = [...connections.values()].find(
    (c) => c.number.workspaceId === workspaceId && c.supervisor.getState().status === 'connected',
  );
  if (conn === undefined) {
    throw new SwitchboardError(
      'INTERNAL',
      'No number of this workspace is connected to WhatsApp right now.',
      {
        reason: 'NOT_CONNECTED',
      },
    );
  }
  return conn;
}

/** The number's connection, only when it belongs to this workspace. */
export function connectionOf(
  connections: Map<E164, Connection>,
  workspaceId: WorkspaceId,
  e164: E164,
): Connection {
  const conn = connections.get(e164);
  if (conn === undefined || conn.number.workspaceId !== workspaceId) {
    throw new SwitchboardError('NOT_FOUND', `${e164} is not a number of this workspace.`, { e164 });
  }
  return conn;
}

/** Passes events upward; a handler that throws is logged, never breaks the connection reporting it. */
export function guardedEmit(onEvent: (event: ConnectionEvent) => void, log: Logger) {
  return (event: ConnectionEvent): void => {
    try {
      onEvent(event);
    } catch (error) {
      log.error('error', 'a connection event handler failed', { error, type: event.type });
    }
  };
}
