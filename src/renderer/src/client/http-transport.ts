import { isEventName, type EventName } from '../../../shared/contract-names';
import type { Result } from '../../../shared/errors';
import type { StreamStatus, Transport } from './client';

const EVENTS_PROTOCOL = 'switchboard.v1';

type Listeners = Map<EventName, Set<(payload: unknown) => void>>;

/** An event frame to its listeners; a frame that is not one of the contract's events is dropped. */
function dispatch(listeners: Listeners, message: MessageEvent): void {
  let data: { event?: unknown; payload?: unknown };
  try {
    data = JSON.parse(String(message.data)) as typeof data;
  } catch {
    return;
  }
  if (!isEventName(data.event)) return;
  for (const fn of [...(listeners.get(data.event) ?? [])]) fn(data.payload);
}

/** One command over HTTP; a host that cannot be reached or answers garbage becomes an error in words. */
async function postCommand(
  baseUrl: string,
  token: string,
  name: string,
  input: unknown,
): Promise<Result<unknown>> {
  let response: Response;
  try {
    response = await fetch(new URL(`/api/commands/${name}`, baseUrl), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input ?? {}),
    });
  } catch {
    return {
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'Cannot reach Switchboard. Is the server still running?' },
    };
  }
  try {
    return (await response.json()) as Result<unknown>;
  } catch {
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `Switchboard answered with an unexpected response (${response.status}).`,
      },
    };
  }
}

/**
 * The headless host's binding: commands as `POST /api/commands/<name>`, events over one WebSocket that
 * reconnects by itself (the server restarted, the laptop slept). The token travels in the
 * Authorization header, and for the WebSocket as a `bearer.<token>` subprotocol (browsers cannot set
 * headers there); never in a URL, where it would end up in logs and history.
 */
export function createHttpTransport(baseUrl: string, token: string): Transport {
  const listeners: Listeners = new Map();
  const statusListeners = new Set<(status: StreamStatus) => void>();
  let socket: WebSocket | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let closed = false;
  let status: StreamStatus = 'reconnecting';

  const setStatus = (next: StreamStatus): void => {
    if (next === status) return;
    status = next;
    for (const fn of statusListeners) fn(next);
  };

  const connect = (): void => {
    if (closed) return;
    const url = new URL('/api/events', baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url, [EVENTS_PROTOCOL, `bearer.${token}`]);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setStatus('open');
    };
    ws.onmessage = (message) => dispatch(listeners, message);
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      if (closed) return;
      setStatus('reconnecting');
      // 0.5 s, 1 s, 2 s ... capped at 10 s.
      const delay = Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
      attempt += 1;
      retryTimer = setTimeout(connect, delay);
    };
  };
  connect();

  return {
    call: (name, input) => postCommand(baseUrl, token, name, input),
    subscribe(event, fn) {
      let set = listeners.get(event);
      if (set === undefined) listeners.set(event, (set = new Set()));
      set.add(fn);
      return () => set.delete(fn);
    },
    onStreamStatus(fn) {
      statusListeners.add(fn);
      fn(status);
      return () => statusListeners.delete(fn);
    },
    close() {
      closed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      socket?.close();
      socket = undefined;
      listeners.clear();
      statusListeners.clear();
    },
  };
}
