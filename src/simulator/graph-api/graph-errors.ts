// Graph API error answers as the notes show them: `{"error":{"message":"(#131056) ...","type":
// "OAuthException","code":131056,"error_subcode"?:463,"error_data":{...},"fbtrace_id":"..."}}`.
import { randomBytes } from 'node:crypto';

interface CatalogueEntry {
  http: number;
  message: string;
}

/** The codes the simulator produces, with the HTTP status and text Meta uses for them. */
const CATALOGUE: Record<number, CatalogueEntry> = {
  1: { http: 500, message: 'An unknown error occurred' },
  2: { http: 503, message: 'Service temporarily unavailable' },
  4: { http: 400, message: 'Application request limit reached' },
  10: { http: 403, message: 'Application does not have permission for this action' },
  100: { http: 400, message: 'Invalid parameter' },
  190: { http: 401, message: 'Invalid OAuth access token - Cannot parse access token' },
  200: { http: 403, message: 'Permissions error' },
  368: { http: 403, message: 'Temporarily blocked for policies violations' },
  80007: { http: 400, message: 'Rate limit issues' },
  130429: { http: 400, message: 'Rate limit hit' },
  131000: { http: 500, message: 'Something went wrong' },
  131005: { http: 403, message: 'Access denied' },
  131008: { http: 400, message: 'Required parameter is missing' },
  131009: { http: 400, message: 'Parameter value is not valid' },
  131016: { http: 503, message: 'Service unavailable' },
  131026: { http: 400, message: 'Message undeliverable' },
  131031: { http: 403, message: 'Business Account locked' },
  131042: { http: 400, message: 'Business eligibility payment issue' },
  131047: { http: 400, message: 'Re-engagement message' },
  131051: { http: 400, message: 'Unsupported message type' },
  131052: { http: 400, message: 'Media download error' },
  131053: { http: 400, message: 'Media upload error' },
  131056: { http: 400, message: '(Business Account, Consumer Account) pair rate limit hit' },
  131057: { http: 503, message: 'Account in maintenance mode' },
  132000: { http: 400, message: 'Number of parameters does not match the expected number of params' },
  132001: { http: 404, message: 'Template name does not exist in the translation' },
  132012: { http: 400, message: 'Parameter format does not match format in the created template' },
  132018: { http: 400, message: 'There was an issue with the parameters in your template.' },
};

/** The codes whose `error_data.details` says more than their message (the others repeat it). */
const DETAILS: Record<number, string> = {
  130429: 'Cloud API message throughput has been reached.',
  131026: 'Unable to deliver message. The recipient may not be on WhatsApp or may use an old version.',
  131047:
    'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  131056: 'Too many messages sent from the sender phone number to the same recipient phone number.',
};

/** A code's HTTP status, message and details; an unknown code is a 400 "Unknown error". */
function entryOf(code: number): CatalogueEntry & { details: string } {
  const entry = CATALOGUE[code] ?? { http: 400, message: 'Unknown error' };
  return { ...entry, details: DETAILS[code] ?? entry.message };
}

export interface GraphErrorAnswer {
  status: number;
  body: { error: Record<string, unknown> };
}

export function graphError(
  code: number,
  options: { subcode?: number; message?: string; details?: string } = {},
): GraphErrorAnswer {
  const entry = entryOf(code);
  const message =
    options.message ??
    (code === 190 && options.subcode === 463
      ? 'Error validating access token: Session has expired.'
      : `(#${code}) ${entry.message}`);
  const details = options.details ?? entry.details;
  return {
    status: entry.http,
    body: {
      error: {
        message,
        type: 'OAuthException',
        code,
        ...(options.subcode !== undefined && { error_subcode: options.subcode }),
        error_data: { messaging_product: 'whatsapp', details },
        fbtrace_id: randomBytes(9).toString('base64url'),
      },
    },
  };
}

/** The `errors` entry of a failed status webhook. */
export function statusError(code: number): {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
} {
  const entry = entryOf(code);
  return {
    code,
    title: entry.message,
    message: entry.message,
    error_data: { details: entry.details },
  };
}
