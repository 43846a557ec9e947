import type { E164, NumberStatus } from '../../shared/types';
import type { CloseInfo } from '../whatsapp/provider';
import { wrongPhoneMessage } from './wrong-phone';

/**
 * What to do when a connection closes, decided on WhatsApp's close code alone. The table follows
 * whatsapp-notes.md: the library's own example reconnects on everything at once, which against a dead
 * server is ~100 reconnects in 250 ms and, with two sockets on one session, an endless 440 fight.
 */
export type ReconnectAction =
  /** Expected restarts (515 after pairing): same credentials, no delay. */
  | { kind: 'reconnect-now' }
  /** Transient: exponential backoff with full jitter. */
  | { kind: 'backoff' }
  /** The stored session is dead or not ours (logged out, linked to another number): it must go; the owner pairs again. */
  | { kind: 'wipe-and-pair'; status: NumberStatus; message: string }
  /** Reconnecting cannot help and may hurt (a ban, a takeover): stop and tell the owner. */
  | { kind: 'stop'; status: NumberStatus; message: string }
  /** The QR expired unscanned: wait until the owner asks for a new one. */
  | { kind: 'wait-for-user'; status: NumberStatus; message: string };

export const CLOSE_CODES = {
  badSession: 500,
  connectionClosed: 428,
  connectionLost: 408,
  connectionReplaced: 440,
  forbidden: 403,
  loggedOut: 401,
  multideviceMismatch: 411,
  restartRequired: 515,
  unavailableService: 503,
  updateRequired: 405,
  // Switchboard's own codes (1000+) for providers whose failures are not WhatsApp socket closes: the
  // Cloud API is plain HTTP, where an expired token is an error code on a request, not a closed socket.
  /** The number's credentials were refused (expired or revoked token, missing permission). */
  credentialsRefused: 1401,
  /** WhatsApp restricted the business account (policy block, locked account, payment problem). */
  accountRestricted: 1403,
  /** The QR was scanned with the WhatsApp of another number; the provider logged that link out. */
  linkedToAnotherNumber: 1409,
} as const;

const POLICY: Record<number, ReconnectAction> = {
  [CLOSE_CODES.restartRequired]: { kind: 'reconnect-now' },
  [CLOSE_CODES.connectionLost]: { kind: 'backoff' },
  [CLOSE_CODES.connectionClosed]: { kind: 'backoff' },
  [CLOSE_CODES.badSession]: { kind: 'backoff' },
  [CLOSE_CODES.unavailableService]: { kind: 'backoff' },
  [CLOSE_CODES.loggedOut]: {
    kind: 'wipe-and-pair',
    status: 'logged-out',
    message: 'This number was logged out from the phone. Link it again by scanning a new QR code.',
  },
  [CLOSE_CODES.connectionReplaced]: {
    kind: 'stop',
    status: 'replaced',
    message:
      'Another WhatsApp Web session took over this number. Close WhatsApp Web elsewhere, then press Reconnect.',
  },
  [CLOSE_CODES.forbidden]: {
    kind: 'stop',
    status: 'banned',
    message: 'WhatsApp has blocked this number. Check the phone for a message from WhatsApp.',
  },
  [CLOSE_CODES.updateRequired]: {
    kind: 'stop',
    status: 'update-required',
    message: 'WhatsApp needs a newer version of Switchboard. Install the update, then reconnect.',
  },
  [CLOSE_CODES.credentialsRefused]: {
    kind: 'stop',
    status: 'needs-attention',
    message:
      "WhatsApp refused this number's access token (expired, revoked or missing a permission). Enter a new token, then reconnect.",
  },
  [CLOSE_CODES.accountRestricted]: {
    kind: 'stop',
    status: 'needs-attention',
    message:
      'WhatsApp restricted this business account (a policy block, a locked account or a payment problem). Check WhatsApp Manager, then reconnect.',
  },
  [CLOSE_CODES.multideviceMismatch]: {
    kind: 'stop',
    status: 'needs-attention',
    message: 'WhatsApp refused this linked device. Remove it on the phone and link it again.',
  },
};

/** `registered` is the number the workspace added: the wrong-phone message names it. */
export function decideReconnect(close: CloseInfo, registered?: E164): ReconnectAction {
  // Never reconnect a session that answers for someone else's number: it is wiped, the owner scans again.
  if (close.code === CLOSE_CODES.linkedToAnotherNumber) {
    return {
      kind: 'wipe-and-pair',
      status: 'wrong-phone',
      message:
        registered === undefined
          ? 'This QR was scanned with the WhatsApp of another number. Scan again with the phone that has this number.'
          : wrongPhoneMessage(registered, close.linkedNumber),
    };
  }
  // 408 also means "QR refs attempts ended": retrying would show QR codes to nobody, forever.
  if (close.qrExhausted && !close.paired) {
    return {
      kind: 'wait-for-user',
      status: 'unpaired',
      message: 'The QR code expired before it was scanned. Ask for a new one when the phone is at hand.',
    };
  }
  // No code at all is a network error (DNS, refused, reset): transient.
  if (close.code === null) return { kind: 'backoff' };
  return POLICY[close.code] ?? { kind: 'backoff' };
}

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Full jitter (AWS's "exponential backoff and jitter"): a random delay between 0 and the exponential
 * ceiling. Many shop PCs coming back after one ISP outage then spread out instead of reconnecting in step.
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(options.baseDelayMs, Math.floor(random() * ceiling));
}
