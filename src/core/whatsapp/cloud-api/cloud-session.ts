import type { E164 } from '../../../shared/types';
import { CLOSE_CODES } from '../../connection/reconnect-policy';
import { SwitchboardError } from '../../errors';
import type { Logger } from '../../log/logger';
import type { TimerHandle, Timers } from '../../timers';
import type { CloseInfo } from '../provider';
import { createProviderListeners } from '../provider-listeners';
import { GraphApiError, type GraphClient } from './graph-client';
import { classifyGraphError, type GraphErrorInfo, type GraphErrorVerdict } from './graph-errors';

/**
 * The Cloud API number's session: listeners, the generation that tells a stale answer from a current
 * one, whether the number is open, and its health timer. There is no socket; a session begins with a
 * connect and ends with a disconnect or a refused token.
 */
export type CloudSession = ReturnType<typeof createCloudSession>;

export function createCloudSession(deps: { businessNumber: E164; log: Logger; timers: Timers }) {
  const { businessNumber, log, timers } = deps;
  const { emit, on } = createProviderListeners(log);
  let generation = 0;
  /** The generation whose outcome is still open to report; null once closed or disconnected. */
  let session: number | null = null;
  let open = false;
  let healthTimer: TimerHandle | null = null;

  function end(): void {
    generation++;
    session = null;
    open = false;
    if (healthTimer !== null) timers.clearTimeout(healthTimer);
    healthTimer = null;
  }

  return {
    emit,
    end,
    /** Ends any session before and starts a new one; returns its generation. */
    begin(): number {
      end();
      session = generation;
      return generation;
    },
    /** The session still open to report, or null. */
    current: (): number | null => session,
    isCurrent: (mine: number): boolean => session === mine,
    isOpen: (): boolean => open,
    markOpen(): void {
      open = true;
    },
    setHealthTimer(handle: TimerHandle | null): void {
      healthTimer = handle;
    },
    /** Reports the end of session `mine` once; later failures of the same session are already said. */
    close(mine: number, close: CloseInfo): void {
      if (session !== mine) return;
      end();
      log.warn('connection.closed', `${businessNumber}: ${close.message}`, { code: close.code });
      emit('status', { state: 'closed', close });
    },
    on,
  };
}

export function infoOf(error: unknown): GraphErrorInfo {
  if (error instanceof GraphApiError) return error.info;
  return { code: null, subcode: null, httpStatus: null, details: null, fbtraceId: null, network: false };
}

export function messageOf(graph: GraphClient, error: unknown): string {
  return graph.scrub(error instanceof Error ? error.message : String(error));
}

export function closeFor(
  graph: GraphClient,
  verdict: GraphErrorVerdict,
  error: unknown,
  duringConnect: boolean,
): CloseInfo {
  const code =
    verdict === 'credentials'
      ? CLOSE_CODES.credentialsRefused
      : verdict === 'restricted'
        ? CLOSE_CODES.accountRestricted
        : // A refused first check (a wrong phone_number_id, say) will not pass on a retry either.
          verdict === 'permanent' && duringConnect
          ? CLOSE_CODES.credentialsRefused
          : null;
  return { code, message: messageOf(graph, error), paired: true, qrExhausted: false };
}

export type CloudRequests = ReturnType<typeof createCloudRequests>;

/** Requests to the Graph API as the sender sees them: a failure logged, classified and, when the token or account is the problem, closing the number. */
export function createCloudRequests(deps: {
  businessNumber: E164;
  graph: GraphClient;
  log: Logger;
  session: CloudSession;
}) {
  const { businessNumber, graph, log, session } = deps;

  /**
   * Logs a failed request with its Graph code and verdict, closes the number when the token or the
   * account is the problem, and returns the error the sender classifies (send-errors.ts).
   */
  function failure(action: string, error: unknown, meta: Record<string, unknown>): SwitchboardError {
    const info = infoOf(error);
    const verdict = classifyGraphError(info);
    const sendClass =
      verdict === 'transient' ? 'transient' : verdict === 'permanent' ? 'permanent' : 'not-connected';
    const message = messageOf(graph, error);
    log.log(
      verdict === 'transient' ? 'warn' : 'error',
      'cloud.request_failed',
      `${action} failed (${verdict}): ${message}`,
      {
        action,
        verdict,
        sendClass,
        code: info.code,
        subcode: info.subcode,
        httpStatus: info.httpStatus,
        fbtraceId: info.fbtraceId,
        ...meta,
      },
    );
    const mine = session.current();
    if ((verdict === 'credentials' || verdict === 'restricted') && mine !== null) {
      session.close(mine, closeFor(graph, verdict, error, false));
    }
    return new SwitchboardError('INTERNAL', message, {
      sendClass,
      ...(sendClass === 'not-connected' && { reason: 'NOT_CONNECTED' }),
      verdict,
      graphCode: info.code,
      graphSubcode: info.subcode,
      httpStatus: info.httpStatus,
    });
  }

  return {
    failure,
    requireOpen(action: string): void {
      if (!session.isOpen()) {
        throw new SwitchboardError(
          'INTERNAL',
          `Cannot ${action}: ${businessNumber} is not connected to the WhatsApp Cloud API.`,
          { reason: 'NOT_CONNECTED', sendClass: 'not-connected', number: businessNumber },
        );
      }
    },
    async request<T>(action: string, meta: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
      try {
        return await run();
      } catch (error) {
        throw failure(action, error, meta);
      }
    },
  };
}
