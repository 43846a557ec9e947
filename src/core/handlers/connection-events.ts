import type { E164 } from '../../shared/types';
import type { ConnectionEvent } from '../connection/connection-manager';
import { assertNever } from '../errors';
import type { Clock } from '../ids';
import type { EventHub } from './event-hub';

export interface PairingInfo {
  qr: { qr: string; expiresAt: number } | null;
  code: string | null;
}

export interface ConnectionEventBridge {
  /** The QR or pairing code on screen for a number right now (a window opened late still shows it). */
  pairing(e164: E164): PairingInfo;
  /** Resolves with the next QR for `e164`, or the current one if it has not expired. */
  waitForQr(e164: E164, timeoutMs: number): Promise<{ qr: string; expiresAt: number }>;
  stop(): void;
}

type QrWaiter = { wake: (qr: { qr: string; expiresAt: number }) => void; fail: (error: Error) => void };

/** What the bridge remembers per number: the pairing screen's QR and code, and who waits for a QR. */
interface BridgeState {
  pairing: Map<E164, PairingInfo>;
  qrWaiters: Map<E164, Set<QrWaiter>>;
}

/**
 * Turns the connection manager's events into the contract's events and remembers what the pairing
 * screen needs (the live QR, the pairing code) until the number leaves the pairing state.
 */
export function bridgeConnectionEvents(deps: {
  subscribe: (listener: (event: ConnectionEvent) => void) => () => void;
  events: EventHub;
  clock: Clock;
}): ConnectionEventBridge {
  const { clock } = deps;
  const bridge: BridgeState = { pairing: new Map(), qrWaiters: new Map() };
  const unsubscribe = deps.subscribe((event) => forward(bridge, deps, event));

  return {
    pairing(e164) {
      const info = bridge.pairing.get(e164);
      if (info === undefined) return { qr: null, code: null };
      const qr = info.qr !== null && info.qr.expiresAt > clock.now() ? info.qr : null;
      return { qr, code: info.code };
    },
    waitForQr: (e164, timeoutMs) => waitForQr(bridge, clock, e164, timeoutMs),
    stop() {
      unsubscribe();
      bridge.pairing.clear();
      for (const waiters of [...bridge.qrWaiters.values()]) {
        for (const waiter of [...waiters]) waiter.fail(new Error('stopped'));
      }
      bridge.qrWaiters.clear();
    },
  };
}

function pairingOf(bridge: BridgeState, e164: E164): PairingInfo {
  let info = bridge.pairing.get(e164);
  if (info === undefined) bridge.pairing.set(e164, (info = { qr: null, code: null }));
  return info;
}

/** One connection event into the contract's event (and the pairing state it changes). */
function forward(
  bridge: BridgeState,
  { events, clock }: { events: EventHub; clock: Clock },
  event: ConnectionEvent,
): void {
  switch (event.type) {
    case 'qr': {
      const qr = { qr: event.qr, expiresAt: event.expiresAt };
      pairingOf(bridge, event.number).qr = qr;
      for (const waiter of bridge.qrWaiters.get(event.number) ?? []) waiter.wake(qr);
      bridge.qrWaiters.delete(event.number);
      events.emit('connection.qrReceived', { workspaceId: event.workspaceId, e164: event.number, ...qr });
      return;
    }
    case 'pairing-code':
      pairingOf(bridge, event.number).code = event.code;
      events.emit('connection.pairingCodeReceived', {
        workspaceId: event.workspaceId,
        e164: event.number,
        code: event.code,
      });
      return;
    case 'state':
      // A QR or code belongs to one pairing attempt: once the number leaves 'pairing' it is stale.
      if (event.state.status !== 'pairing') bridge.pairing.delete(event.number);
      events.emit('connection.changed', {
        workspaceId: event.workspaceId,
        e164: event.number,
        status: event.state.status,
        attempt: event.state.attempt,
        nextAttemptAt: event.state.nextAttemptAt,
        message: event.state.message,
        lastCloseCode: event.state.lastClose?.code ?? null,
      });
      return;
    case 'alert':
      events.emit('alert.raised', {
        workspaceId: event.workspaceId,
        e164: event.alert.number,
        status: event.alert.status,
        message: event.alert.message,
        at: clock.now(),
      });
      return;
    case 'message':
      events.emit('message.received', {
        workspaceId: event.workspaceId,
        businessNumber: event.message.businessNumber,
        from: event.message.sender.phone ?? event.message.sender.waId,
        name: event.message.sender.name,
        text: event.message.text,
        at: event.message.timestamp,
      });
      return;
    case 'owner-reply':
    case 'ack':
      // The pipeline's business; the UI learns about them through the log.
      return;
    default:
      assertNever(event, 'connection event');
  }
}

function waitForQr(
  bridge: BridgeState,
  clock: Clock,
  e164: E164,
  timeoutMs: number,
): Promise<{ qr: string; expiresAt: number }> {
  const current = bridge.pairing.get(e164)?.qr;
  if (current != null && current.expiresAt > clock.now()) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    let set = bridge.qrWaiters.get(e164);
    if (set === undefined) bridge.qrWaiters.set(e164, (set = new Set()));
    const waiters = set;
    const waiter: QrWaiter = {
      wake: (qr) => {
        clearTimeout(timer);
        resolve(qr);
      },
      fail: (error) => {
        clearTimeout(timer);
        waiters.delete(waiter);
        reject(error);
      },
    };
    const timer = setTimeout(
      () => waiter.fail(new Error(`no QR for ${e164} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    waiters.add(waiter);
  });
}
