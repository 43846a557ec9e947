/**
 * What a Graph API error means, decided on Meta's `error.code` (cloud-api-notes.md, the error table),
 * never on the HTTP status or the title. The HTTP status only decides for answers that carry no Graph
 * error at all (a proxy's 502 page, a dropped connection).
 */

export interface GraphErrorInfo {
  /** Meta's error.code; null when no Graph error came back (network, timeout, a body that is not JSON). */
  code: number | null;
  subcode: number | null;
  httpStatus: number | null;
  /** Meta's `error_data.details`, or what went wrong on the way. */
  details: string | null;
  fbtraceId: string | null;
  /** The request never got an HTTP answer (refused, reset, timed out). */
  network: boolean;
}

export type GraphErrorVerdict =
  /** Back off and retry, bounded. */
  | 'transient'
  /** Retrying cannot help: fail the message and say why. */
  | 'permanent'
  /** The token or its permissions: stop sending; the number needs attention. */
  | 'credentials'
  /** The business account is blocked, locked or unpaid: stop; the owner must act in WhatsApp Manager. */
  | 'restricted';

const CREDENTIALS = new Set([0, 3, 10, 190, 131005]);
const RESTRICTED = new Set([368, 131031, 131042]);
/** 1 and 2 are Meta's generic "unknown" / "service temporarily unavailable" codes. */
const TRANSIENT = new Set([1, 2, 4, 80007, 130429, 131056, 131000, 131016, 131057]);
const PERMANENT = new Set([100, 131008, 131009, 131026, 131047, 131051]);

export function classifyGraphError(info: GraphErrorInfo): GraphErrorVerdict {
  const { code } = info;
  if (code === null) {
    if (info.network) return 'transient';
    return info.httpStatus !== null && info.httpStatus >= 500 ? 'transient' : 'permanent';
  }
  if (CREDENTIALS.has(code) || (code >= 200 && code <= 299)) return 'credentials';
  if (RESTRICTED.has(code)) return 'restricted';
  if (TRANSIENT.has(code)) return 'transient';
  // 1320xx: template errors (missing, paused, wrong parameters).
  if (PERMANENT.has(code) || (code >= 132000 && code <= 132099)) return 'permanent';
  // A code the table does not know: a server-side failure may pass, a refused request will not.
  return info.httpStatus !== null && info.httpStatus >= 500 ? 'transient' : 'permanent';
}

/** A sentence for the owner (the outbox's last error, the UI), by code; Meta's own text follows it. */
export function explainGraphError(info: GraphErrorInfo): string {
  switch (info.code) {
    case null:
      return info.network
        ? 'Could not reach the WhatsApp Cloud API'
        : 'The WhatsApp Cloud API answered oddly';
    case 190:
      return info.subcode === 463
        ? 'The access token has expired'
        : info.subcode === 458
          ? 'The Meta app was removed from the business account'
          : 'The access token is not valid';
    case 130429:
      return "The number's sending rate limit was reached";
    case 131056:
      return 'Too many messages to this customer in a short time';
    case 131047:
      return 'More than 24 hours since the customer last wrote: only an approved template can be sent';
    case 131026:
      return 'The message could not be delivered (not on WhatsApp, an old app, or terms not accepted)';
    case 368:
    case 131031:
    case 131042:
      return 'The business account is restricted';
    default:
      return classifyGraphError(info) === 'credentials'
        ? 'The access token lacks a permission'
        : 'The WhatsApp Cloud API refused the request';
  }
}
