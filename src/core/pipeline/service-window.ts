/**
 * WhatsApp's 24-hour customer service window (cloud-api-notes.md): it opens, or refreshes, each time
 * the customer writes; inside it any message may be sent, outside it only an approved template. On the
 * Cloud API Meta enforces it (error 131047); the bot only ever answers inbound messages, so it is always
 * inside, but an owner's reply typed a day later is not, and the app must say so before sending.
 * Baileys numbers have no such window.
 */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export const WINDOW_CLOSED_MESSAGE =
  'This customer last wrote more than 24 hours ago: WhatsApp only allows a template now. ' +
  'Send one of your approved templates instead.';

export interface ServiceWindow {
  /** When the customer last wrote to this number (their message's own time), or null if never. */
  lastInboundAt: number | null;
  /** lastInboundAt + 24 h; null when the customer never wrote (closed). */
  closesAt: number | null;
  open: boolean;
}

/** The window at `now`, from the time the customer last wrote. Pure. */
export function serviceWindowAt(lastInboundAt: number | null, now: number): ServiceWindow {
  if (lastInboundAt === null) return { lastInboundAt: null, closesAt: null, open: false };
  const closesAt = lastInboundAt + SERVICE_WINDOW_MS;
  return { lastInboundAt, closesAt, open: now < closesAt };
}
