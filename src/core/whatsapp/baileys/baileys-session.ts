import { type AuthenticationCreds, jidNormalizedUser, type WASocket } from '@whiskeysockets/baileys';
import type { E164 } from '../../../shared/types';
import { CLOSE_CODES } from '../../connection/reconnect-policy';
import { SwitchboardError } from '../../errors';
import type { Logger } from '../../log/logger';
import type { BoundedCache } from '../bounded-cache';
import type { CloseInfo } from '../provider';
import type { ProviderListeners } from '../provider-listeners';
import type { BaileysProviderOptions } from './baileys-options';
import type { LidDirectory } from './lid-directory';
import type { createBaileysMedia } from './media-transfer';
import { phoneFromJid } from './message-mapper';
import type { SqliteAuthState } from './sqlite-auth-state';

/** The one socket a Baileys provider holds and what is known about it. */
export interface BaileysSession {
  sock: WASocket | null;
  auth: SqliteAuthState | null;
  open: boolean;
  qrCount: number;
  /** Bumped whenever the socket ends: a connect that finds it changed lost the race. */
  generation: number;
  /**
   * The account the stored session is linked to when it is not this number (the owner scanned the QR
   * with another phone). Such a session never delivers a message, is logged out as soon as it is
   * logged in (which takes the device off that phone's list), and closes as linkedToAnotherNumber.
   */
  linkedElsewhere: E164 | null;
}

export function newBaileysSession(): BaileysSession {
  return { sock: null, auth: null, open: false, qrCount: 0, generation: 0, linkedElsewhere: null };
}

/** What the parts of a Baileys provider share: its options, its session and its caches. */
export interface BaileysContext {
  options: BaileysProviderOptions;
  businessNumber: E164;
  log: Logger;
  now: () => number;
  lids: LidDirectory | undefined;
  emit: ProviderListeners['emit'];
  session: BaileysSession;
  /** Kept outside the socket so retry counts survive reconnects (the library's advice). */
  msgRetryCounterCache: BoundedCache<unknown>;
  /** Ids this provider sent: their echoes are ours, not the owner typing on the phone. */
  sentIds: BoundedCache<true>;
  /** Ids already handed over before their receipt (see before-receipt): their upsert is a repeat. */
  deliveredEarly: BoundedCache<true>;
  media: ReturnType<typeof createBaileysMedia>;
}

/** The paired account's number if it differs from this number; only `account` means paired. */
export function otherAccount(creds: Partial<AuthenticationCreds>, businessNumber: E164): E164 | null {
  if (creds.account === undefined || creds.account === null || creds.me?.id === undefined) return null;
  const own = phoneFromJid(jidNormalizedUser(creds.me.id));
  return own !== null && own !== businessNumber ? own : null;
}

/** Ends the socket, if any, and silences it: a newer one may already share its credentials. */
export function endSocket(session: BaileysSession, reason: string): void {
  const current = session.sock;
  session.sock = null;
  session.open = false;
  session.generation++;
  if (current === null) return;
  current.ev.removeAllListeners('connection.update');
  current.ev.removeAllListeners('messages.upsert');
  current.ev.removeAllListeners('messages.update');
  current.ev.removeAllListeners('creds.update');
  current.ev.removeAllListeners('lid-mapping.update');
  // end() on a socket that already closed may throw or reject: either way it is gone, as wanted.
  try {
    void Promise.resolve(current.end(new Error(reason))).catch(() => undefined);
  } catch {
    // Already closed.
  }
}

type BoomLike = Error & { output?: { statusCode?: number } };

export function closeInfo(
  ctx: BaileysContext,
  update: { lastDisconnect?: { error?: BoomLike | undefined } | undefined },
): CloseInfo {
  const { linkedElsewhere } = ctx.session;
  const error = update.lastDisconnect?.error;
  const code = error?.output?.statusCode ?? null;
  const message = error?.message ?? 'connection closed';
  // The 515 right after the scan must go on: the next login is what lets the link be logged out.
  if (linkedElsewhere !== null && code !== CLOSE_CODES.restartRequired) {
    return {
      code: CLOSE_CODES.linkedToAnotherNumber,
      message: `linked to ${linkedElsewhere}, not ${ctx.businessNumber} (${message})`,
      paired: false,
      qrExhausted: false,
      linkedNumber: linkedElsewhere,
    };
  }
  return {
    code,
    message,
    paired: ctx.session.auth?.isPaired() ?? false,
    qrExhausted: /QR refs attempts ended/i.test(message),
  };
}

export function requireOpen(ctx: BaileysContext, action: string): WASocket {
  const { sock, open } = ctx.session;
  if (sock === null || !open) {
    throw new SwitchboardError(
      'INTERNAL',
      `Cannot ${action}: ${ctx.businessNumber} is not connected to WhatsApp.`,
      {
        reason: 'NOT_CONNECTED',
        number: ctx.businessNumber,
      },
    );
  }
  return sock;
}
