import type { Logger } from '../log/logger';
import type { Timers } from '../timers';
import type { Connection } from './connection-types';

/** Pings each open connection on a timer; one that does not answer is ended and reconnected. */
export interface Liveness {
  schedule(conn: Connection): void;
  clear(conn: Connection): void;
}

export function createLiveness(options: {
  timers: Timers;
  log: Logger;
  /** 0 turns the check off. */
  intervalMs: number;
  timeoutMs: number;
}): Liveness {
  const { timers, log, intervalMs, timeoutMs } = options;

  function schedule(conn: Connection): void {
    if (intervalMs <= 0) return;
    if (conn.liveness !== null) timers.clearTimeout(conn.liveness);
    conn.liveness = timers.setTimeout(() => {
      conn.liveness = null;
      if (conn.supervisor.getState().status !== 'connected') return;
      conn.provider.ping(timeoutMs).then(
        () => schedule(conn),
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
    }, intervalMs);
  }

  return {
    schedule,
    clear(conn) {
      if (conn.liveness !== null) timers.clearTimeout(conn.liveness);
      conn.liveness = null;
    },
  };
}
