import { assertNever } from '../errors';
import type { ProviderStatus } from '../whatsapp/provider';
import { createAttempts } from './supervisor-attempts';
import { createSupervisorCore, markOpen } from './supervisor-core';
import type { ReconnectSupervisorOptions, SupervisorPolicy, SupervisorState } from './supervisor-types';

export type {
  ReconnectSupervisorOptions,
  SupervisorAlert,
  SupervisorPolicy,
  SupervisorState,
} from './supervisor-types';

export const DEFAULT_SUPERVISOR_POLICY: SupervisorPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxAttempts: 10,
  stableAfterMs: 60_000,
  connectTimeoutMs: 45_000,
  badSessionLimit: 3,
};

export type ReconnectSupervisor = ReturnType<typeof createReconnectSupervisor>;

/**
 * Keeps one number connected: decides after every close whether, when and how to connect again, ends
 * sockets that hang, and raises an alert when the owner must act. Every transition is logged with the
 * number, the close code, the attempt and the delay, so "why is my number offline" has an answer.
 */
export function createReconnectSupervisor(options: ReconnectSupervisorOptions) {
  const core = createSupervisorCore(options, { ...DEFAULT_SUPERVISOR_POLICY, ...options.policy });
  const { attemptNow, handleClose } = createAttempts(core);

  return {
    /** Starts (or restarts after a stop, or after the owner fixed what the alert said). */
    start(reason = 'start'): void {
      core.clearAll();
      core.running = true;
      core.badSessions = 0;
      core.state = { ...core.state, attempt: 0, message: null };
      attemptNow(reason);
    },

    /** Feed every provider status change here. */
    handleStatus(status: ProviderStatus): void {
      if (!core.running) return;
      switch (status.state) {
        case 'connecting':
          return;
        case 'open':
          markOpen(core, status.isNewLogin);
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
      if (!core.running) return;
      core.watchdogTimer = core.clear(core.watchdogTimer);
      if (core.state.status !== 'pairing')
        core.setState({ status: 'pairing', nextAttemptAt: null }, 'showing QR');
    },

    async stop(reason = 'stopped'): Promise<void> {
      core.running = false;
      core.clearAll();
      core.setState({ status: 'disabled', nextAttemptAt: null }, reason);
      await options.disconnect(reason);
    },

    getState: (): SupervisorState => ({ ...core.state }),
    isRunning: () => core.running,
  };
}
