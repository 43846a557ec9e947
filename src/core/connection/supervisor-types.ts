import type { E164, NumberStatus } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { Timers } from '../timers';
import type { CloseInfo } from '../whatsapp/provider';

export interface SupervisorPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failed attempts in a row before the number is flagged "needs attention" and the owner alerted. */
  maxAttempts: number;
  /** A connection open this long counts as healthy: the attempt counter starts again from zero. */
  stableAfterMs: number;
  /** A socket neither open nor showing a QR after this long is ended (a hung upgrade never closes). */
  connectTimeoutMs: number;
  /** Consecutive 500 (bad session) closes before asking the owner to pair again. */
  badSessionLimit: number;
}

export interface SupervisorAlert {
  number: E164;
  status: NumberStatus;
  message: string;
}

export interface SupervisorState {
  status: NumberStatus;
  attempt: number;
  nextAttemptAt: number | null;
  lastClose: CloseInfo | null;
  message: string | null;
}

export interface ReconnectSupervisorOptions {
  number: E164;
  /** Starts one connection attempt (the provider ends any previous socket first). */
  connect: () => Promise<void>;
  /** Ends the current socket; its close arrives through `handleStatus`. */
  disconnect: (reason: string) => Promise<void>;
  /** Forgets the number's credentials after WhatsApp logged it out. */
  wipeAuth: () => Promise<void>;
  timers: Timers;
  random?: () => number;
  logger: Logger;
  policy?: Partial<SupervisorPolicy>;
  onState?: (state: SupervisorState) => void;
  onAlert?: (alert: SupervisorAlert) => void;
}
