import type { NumberStatus } from '../../shared/types';
import { assertNever } from '../errors';
import type { CloseInfo } from '../whatsapp/provider';
import { backoffDelay, CLOSE_CODES, decideReconnect, type ReconnectAction } from './reconnect-policy';
import type { SupervisorCore } from './supervisor-core';

/**
 * The connection attempts of one supervisor: connect now (with a watchdog for sockets that hang),
 * retry after a backoff, and after every close decide which of the two, or whether to stop.
 */
export function createAttempts(core: SupervisorCore) {
  const { policy, number, timers, log, options } = core;

  function startWatchdog(): void {
    core.watchdogTimer = timers.setTimeout(() => {
      core.watchdogTimer = null;
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
        paired: core.state.lastClose?.paired ?? true,
        qrExhausted: false,
      });
    }, policy.connectTimeoutMs);
  }

  function attemptNow(reason: string): void {
    if (!core.running) return;
    core.retryTimer = core.clear(core.retryTimer);
    core.watchdogTimer = core.clear(core.watchdogTimer);
    const { attempt, status } = core.state;
    core.setState(
      {
        status: attempt === 0 ? 'connecting' : status === 'needs-attention' ? status : 'reconnecting',
        nextAttemptAt: null,
      },
      reason,
    );
    startWatchdog();
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
    core.state.attempt += 1;
    const delayMs = backoffDelay(core.state.attempt, core.random, policy);
    const exhausted = core.state.attempt > policy.maxAttempts;
    const status: NumberStatus = exhausted ? 'needs-attention' : 'reconnecting';
    if (exhausted && core.state.status !== 'needs-attention') {
      core.alert(
        'needs-attention',
        `Could not reconnect after ${policy.maxAttempts} tries. Check the internet connection; Switchboard keeps trying every minute.`,
      );
    }
    core.setState({ status, nextAttemptAt: timers.now() + delayMs }, reason, { delayMs });
    // After the alert it keeps trying at the capped interval: a shop's internet usually comes back by itself.
    core.retryTimer = timers.setTimeout(() => {
      core.retryTimer = null;
      attemptNow(`retry ${core.state.attempt}`);
    }, delayMs);
  }

  function handleClose(close: CloseInfo): void {
    if (!core.running) return;
    core.clearAll();
    core.state.lastClose = close;
    const action = decideReconnect(close, number);
    const reason = `closed ${close.code ?? 'network'}: ${close.message}`;
    if (action.kind === 'reconnect-now') attemptNow(reason);
    else if (action.kind === 'backoff') {
      if (!badSessionGiveUp(core, close, reason)) scheduleRetry(reason);
    } else endSupervision(core, action, reason);
  }

  return { attemptNow, handleClose };
}

/** Too many bad-session closes in a row: the session is damaged, and only pairing again helps. */
function badSessionGiveUp(core: SupervisorCore, close: CloseInfo, reason: string): boolean {
  if (close.code !== CLOSE_CODES.badSession || ++core.badSessions < core.policy.badSessionLimit) return false;
  core.running = false;
  const message = 'The WhatsApp session on this computer is damaged. Link the number again.';
  core.setState({ status: 'needs-attention', nextAttemptAt: null, message }, reason);
  core.alert('needs-attention', message);
  return true;
}

/** A close after which reconnecting cannot help: supervision ends until the owner acts. */
function endSupervision(
  core: SupervisorCore,
  action: Exclude<ReconnectAction, { kind: 'reconnect-now' | 'backoff' }>,
  reason: string,
): void {
  core.running = false;
  core.setState({ status: action.status, nextAttemptAt: null, message: action.message }, reason);
  switch (action.kind) {
    case 'wipe-and-pair':
      core.alert(action.status, action.message);
      void core.options
        .wipeAuth()
        .catch((error: unknown) => core.log.error('error', `${core.number}: wiping auth failed`, { error }));
      return;
    case 'stop':
      core.alert(action.status, action.message);
      return;
    case 'wait-for-user':
      return;
    default:
      assertNever(action, 'reconnect action');
  }
}
