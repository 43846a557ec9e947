import type { E164, NumberStatus } from '../../shared/types';
import { assertNever } from '../errors';
import type { Logger } from '../log/logger';
import type { TimerHandle, Timers } from '../timers';
import type { CloseInfo, ProviderStatus } from '../whatsapp/provider';
import { backoffDelay, CLOSE_CODES, decideReconnect } from './reconnect-policy';

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

export const DEFAULT_SUPERVISOR_POLICY: SupervisorPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxAttempts: 10,
  stableAfterMs: 60_000,
  connectTimeoutMs: 45_000,
  badSessionLimit: 3,
};

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

export type ReconnectSupervisor = ReturnType<typeof createReconnectSupervisor>;

/**
 * Keeps one number connected: decides after every close whether, when and how to connect again, ends
 * sockets that hang, and raises an alert when the owner must act. Every transition is logged with the
 * number, the close code, the attempt and the delay, so "why is my number offline" has an answer.
 */
export function createReconnectSupervisor(options: ReconnectSupervisorOptions) {
  const policy = { ...DEFAULT_SUPERVISOR_POLICY, ...options.policy };
  const { timers, number } = options;
  const random = options.random ?? Math.random;
  const log = options.logger.child({ meta: { number } });

  let state: SupervisorState = {
    status: 'disabled',
    attempt: 0,
    nextAttemptAt: null,
    lastClose: null,
    message: null,
  };
  let running = false;
  let badSessions = 0;
  let retryTimer: TimerHandle | null = null;
  let watchdogTimer: TimerHandle | null = null;
  let stableTimer: TimerHandle | null = null;

  function clear(timer: TimerHandle | null): null {
    if (timer !== null) timers.clearTimeout(timer);
    return null;
  }
  function clearAll(): void {
    retryTimer = clear(retryTimer);
    watchdogTimer = clear(watchdogTimer);
    stableTimer = clear(stableTimer);
  }

  function setState(
    patch: Partial<SupervisorState>,
    reason: string,
    meta: Record<string, unknown> = {},
  ): void {
    const from = state.status;
    state = { ...state, ...patch };
    log.info('connection.changed', `${number}: ${from} -> ${state.status} (${reason})`, {
      from,
      to: state.status,
      reason,
      attempt: state.attempt,
      code: state.lastClose?.code ?? null,
      nextAttemptAt: state.nextAttemptAt,
      ...meta,
    });
    options.onState?.({ ...state });
  }

  function alert(status: NumberStatus, message: string): void {
    log.warn('connection.alert', `${number}: ${message}`, { status });
    options.onAlert?.({ number, status, message });
  }

  function attemptNow(reason: string): void {
    if (!running) return;
    retryTimer = clear(retryTimer);
    watchdogTimer = clear(watchdogTimer);
    setState(
      {
        status:
          state.attempt === 0
            ? 'connecting'
            : state.status === 'needs-attention'
              ? state.status
              : 'reconnecting',
        nextAttemptAt: null,
      },
      reason,
    );
    watchdogTimer = timers.setTimeout(() => {
      watchdogTimer = null;
      log.warn(
        'connection.watchdog',
        `${number}: no answer after ${policy.connectTimeoutMs} ms, ending the socket`,
        {
          timeoutMs: policy.connectTimeoutMs,
        },
      );
      // A socket stuck in 'connecting' never emits close: end it ourselves and treat it as lost.
      void options.disconnect('connect watchdog').catch(() => undefined);
      handleClose({
        code: CLOSE_CODES.connectionLost,
        message: 'connect timed out (watchdog)',
        paired: state.lastClose?.paired ?? true,
        qrExhausted: false,
      });
    }, policy.connectTimeoutMs);
    options.connect().catch((error: unknown) => {
      log.error('error', `${number}: starting a connection failed`, { error });
      handleClose({
        code: null,
        message: (error as Error).message ?? 'connect failed',
        paired: true,
        qrExhausted: false,
      });
    });
  }

  function scheduleRetry(reason: string): void {
    state.attempt += 1;
    const delayMs = backoffDelay(state.attempt, random, policy);
    const exhausted = state.attempt > policy.maxAttempts;
    const status: NumberStatus = exhausted ? 'needs-attention' : 'reconnecting';
    if (exhausted && state.status !== 'needs-attention') {
      alert(
        'needs-attention',
        `Could not reconnect after ${policy.maxAttempts} tries. Check the internet connection; Switchboard keeps trying every minute.`,
      );
    }
    setState({ status, nextAttemptAt: timers.now() + delayMs }, reason, { delayMs });
    // After the alert it keeps trying at the capped interval: a shop's internet usually comes back by itself.
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      attemptNow(`retry ${state.attempt}`);
    }, delayMs);
  }

  function handleClose(close: CloseInfo): void {
    if (!running) return;
    clearAll();
    state.lastClose = close;
    const action = decideReconnect(close, number);
    const reason = `closed ${close.code ?? 'network'}: ${close.message}`;
    switch (action.kind) {
      case 'reconnect-now':
        attemptNow(reason);
        return;
      case 'backoff':
        if (close.code === CLOSE_CODES.badSession && ++badSessions >= policy.badSessionLimit) {
          running = false;
          const message = 'The WhatsApp session on this computer is damaged. Link the number again.';
          setState({ status: 'needs-attention', nextAttemptAt: null, message }, reason);
          alert('needs-attention', message);
          return;
        }
        scheduleRetry(reason);
        return;
      case 'wipe-and-pair':
        running = false;
        setState({ status: action.status, nextAttemptAt: null, message: action.message }, reason);
        alert(action.status, action.message);
        void options
          .wipeAuth()
          .catch((error: unknown) => log.error('error', `${number}: wiping auth failed`, { error }));
        return;
      case 'stop':
        running = false;
        setState({ status: action.status, nextAttemptAt: null, message: action.message }, reason);
        alert(action.status, action.message);
        return;
      case 'wait-for-user':
        running = false;
        setState({ status: action.status, nextAttemptAt: null, message: action.message }, reason);
        return;
      default:
        assertNever(action, 'reconnect action');
    }
  }

  return {
    /** Starts (or restarts after a stop, or after the owner fixed what the alert said). */
    start(reason = 'start'): void {
      clearAll();
      running = true;
      badSessions = 0;
      state = { ...state, attempt: 0, message: null };
      attemptNow(reason);
    },

    /** Feed every provider status change here. */
    handleStatus(status: ProviderStatus): void {
      if (!running) return;
      switch (status.state) {
        case 'connecting':
          return;
        case 'open':
          watchdogTimer = clear(watchdogTimer);
          retryTimer = clear(retryTimer);
          badSessions = 0;
          setState(
            { status: 'connected', nextAttemptAt: null, message: null },
            status.isNewLogin ? 'paired and open' : 'open',
          );
          stableTimer = clear(stableTimer);
          stableTimer = timers.setTimeout(() => {
            stableTimer = null;
            if (state.attempt !== 0)
              log.debug('connection.stable', `${number}: stable, attempts reset`, { attempt: state.attempt });
            state.attempt = 0;
          }, policy.stableAfterMs);
          return;
        case 'closed':
          handleClose(status.close);
          return;
        default:
          assertNever(status, 'provider status');
      }
    },

    /** A QR is on screen: the socket is alive and waiting for the owner, so the watchdog stands down. */
    handleQr(): void {
      if (!running) return;
      watchdogTimer = clear(watchdogTimer);
      if (state.status !== 'pairing') setState({ status: 'pairing', nextAttemptAt: null }, 'showing QR');
    },

    async stop(reason = 'stopped'): Promise<void> {
      running = false;
      clearAll();
      setState({ status: 'disabled', nextAttemptAt: null }, reason);
      await options.disconnect(reason);
    },

    getState: (): SupervisorState => ({ ...state }),
    isRunning: () => running,
  };
}
