import type { E164, NumberStatus } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { TimerHandle, Timers } from '../timers';
import type { ReconnectSupervisorOptions, SupervisorPolicy, SupervisorState } from './supervisor-types';

/**
 * One supervisor's state and timers, shared by its parts (the attempts, the status handling): each
 * transition goes through `setState`, which logs it and reports it upward.
 */
export interface SupervisorCore {
  readonly options: ReconnectSupervisorOptions;
  readonly policy: SupervisorPolicy;
  readonly number: E164;
  readonly timers: Timers;
  readonly random: () => number;
  readonly log: Logger;
  state: SupervisorState;
  running: boolean;
  badSessions: number;
  retryTimer: TimerHandle | null;
  watchdogTimer: TimerHandle | null;
  stableTimer: TimerHandle | null;
  clear(timer: TimerHandle | null): null;
  clearAll(): void;
  setState(patch: Partial<SupervisorState>, reason: string, meta?: Record<string, unknown>): void;
  alert(status: NumberStatus, message: string): void;
}

export function createSupervisorCore(
  options: ReconnectSupervisorOptions,
  policy: SupervisorPolicy,
): SupervisorCore {
  const { timers, number } = options;
  const log = options.logger.child({ meta: { number } });
  const core: SupervisorCore = {
    options,
    policy,
    number,
    timers,
    random: options.random ?? Math.random,
    log,
    state: { status: 'disabled', attempt: 0, nextAttemptAt: null, lastClose: null, message: null },
    running: false,
    badSessions: 0,
    retryTimer: null,
    watchdogTimer: null,
    stableTimer: null,

    clear(timer) {
      if (timer !== null) timers.clearTimeout(timer);
      return null;
    },
    clearAll() {
      core.retryTimer = core.clear(core.retryTimer);
      core.watchdogTimer = core.clear(core.watchdogTimer);
      core.stableTimer = core.clear(core.stableTimer);
    },

    setState(patch, reason, meta = {}) {
      const from = core.state.status;
      core.state = { ...core.state, ...patch };
      const state = core.state;
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
    },

    alert(status, message) {
      log.warn('connection.alert', `${number}: ${message}`, { status });
      options.onAlert?.({ number, status, message });
    },
  };
  return core;
}

/** The socket opened: timers stand down, and once it has stayed open a while the attempts count from zero. */
export function markOpen(core: SupervisorCore, isNewLogin: boolean): void {
  core.watchdogTimer = core.clear(core.watchdogTimer);
  core.retryTimer = core.clear(core.retryTimer);
  core.badSessions = 0;
  core.setState(
    { status: 'connected', nextAttemptAt: null, message: null },
    isNewLogin ? 'paired and open' : 'open',
  );
  core.stableTimer = core.clear(core.stableTimer);
  core.stableTimer = core.timers.setTimeout(() => {
    core.stableTimer = null;
    if (core.state.attempt !== 0)
      core.log.debug('connection.stable', `${core.number}: stable, attempts reset`, {
        attempt: core.state.attempt,
      });
    core.state.attempt = 0;
  }, core.policy.stableAfterMs);
}
