import { isSwitchboardError } from '../errors';

/**
 * What a failed send means for its outbox row:
 * - 'not-connected': the socket is down; the row stays queued, no attempt counted, and the sender
 *   waits for the number to reconnect (a closed socket must never lose a reply).
 * - 'permanent': retrying cannot help (WhatsApp's 463 cap on messaging new contacts: surface it, do
 *   not retry it, whatsapp-notes.md); the row fails at once.
 * - 'transient': anything else; retried with backoff up to the workspace's maxAttempts.
 */
export const SEND_FAILURE_CLASSES = ['not-connected', 'permanent', 'transient'] as const;
export type SendFailureClass = (typeof SEND_FAILURE_CLASSES)[number];

const NOT_CONNECTED = /not connected|connection closed|connection lost|socket closed/i;

export function classifySendError(error: unknown): SendFailureClass {
  if (isSwitchboardError(error)) {
    // A provider that knows what its error means says so (the Cloud API decides on Meta's error code):
    // that wins over the guesses below, which a message like "(#190) ... subcode 463" would fool.
    const declared = error.details?.sendClass;
    if ((SEND_FAILURE_CLASSES as readonly unknown[]).includes(declared)) return declared as SendFailureClass;
    if (error.details?.reason === 'NOT_CONNECTED') return 'not-connected';
    if (error.code === 'VALIDATION') return 'permanent';
  }
  const e = error as { message?: unknown; output?: { statusCode?: unknown } } | null;
  const status = e?.output?.statusCode;
  const message = typeof e?.message === 'string' ? e.message : '';
  if (status === 463 || /\b463\b/.test(message)) return 'permanent';
  // Baileys reports a socket that died mid-send as a Boom 'Connection Closed' (428).
  if (status === 428 || NOT_CONNECTED.test(message)) return 'not-connected';
  return 'transient';
}

export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}
