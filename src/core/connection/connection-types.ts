import type { PhoneNumber } from '../../shared/dto';
import type { E164, NumberStatus, WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { TimerHandle, Timers } from '../timers';
import type { DeliveryAck, InboundMessage, OwnerReply, WhatsAppProvider } from '../whatsapp/provider';
import type { ReconnectSupervisor } from './reconnect-supervisor';
import type { SupervisorAlert, SupervisorPolicy, SupervisorState } from './supervisor-types';

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

/** One number's provider, the supervisor that keeps it connected, and what it is subscribed to. */
export interface Connection {
  number: PhoneNumber;
  provider: WhatsAppProvider;
  supervisor: ReconnectSupervisor;
  unsubscribe: (() => void)[];
  liveness: TimerHandle | null;
}
