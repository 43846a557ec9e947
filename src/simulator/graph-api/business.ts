// The simulator's view of the business side: numbers (with their tokens and quality), WABAs'
// templates, and media customers sent.
import { displayFormat, digitsOf, newNumericId } from './ids';
import type { NumberRef } from './notifications';

export interface SimNumberInit {
  /** E.164 of the business number. */
  phone: string;
  phoneNumberId?: string;
  wabaId?: string;
  verifiedName?: string;
  qualityRating?: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
  accessToken?: string;
}

export interface SimTemplate {
  id: string;
  name: string;
  language: string;
  status: 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED';
  category: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION';
  components: unknown[];
}

export class SimNumber implements NumberRef {
  readonly phoneNumberId: string;
  readonly wabaId: string;
  readonly digits: string;
  verifiedName: string;
  qualityRating: string;
  accessToken: string;
  /** Meta answers 190 subcode 463 to an expired token. */
  tokenExpired = false;
  /** Ids of messages customers sent to this number: what mark-read may name. */
  readonly inbound = new Set<string>();

  constructor(init: SimNumberInit) {
    this.digits = digitsOf(init.phone);
    this.phoneNumberId = init.phoneNumberId ?? newNumericId(15);
    this.wabaId = init.wabaId ?? newNumericId(15);
    this.verifiedName = init.verifiedName ?? `Shop ${this.digits.slice(-4)}`;
    this.qualityRating = init.qualityRating ?? 'GREEN';
    this.accessToken = init.accessToken ?? `EAAG${newNumericId(12)}sim${newNumericId(20)}`;
  }

  get phone(): string {
    return `+${this.digits}`;
  }

  /** GET /{phone_number_id}, limited to `fields` when asked (the id always comes back). */
  profile(fields: string | null): Record<string, unknown> {
    const all: Record<string, unknown> = {
      display_phone_number: displayFormat(this.digits),
      verified_name: this.verifiedName,
      quality_rating: this.qualityRating,
      code_verification_status: 'VERIFIED',
      platform_type: 'CLOUD_API',
      throughput: { level: 'STANDARD' },
    };
    const wanted = fields === null ? Object.keys(all) : fields.split(',').map((f) => f.trim());
    return {
      ...Object.fromEntries(wanted.filter((f) => f in all).map((f) => [f, all[f]])),
      id: this.phoneNumberId,
    };
  }
}

export const DEFAULT_TEMPLATES: Omit<SimTemplate, 'id'>[] = [
  {
    name: 'hello_world',
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [{ type: 'BODY', text: 'Hello World' }],
  },
  {
    name: 'order_ready',
    language: 'en',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [{ type: 'BODY', text: 'Your order {{1}} is ready for pick-up.' }],
  },
  {
    name: 'weekend_promo',
    language: 'en',
    status: 'PENDING',
    category: 'MARKETING',
    components: [{ type: 'BODY', text: 'This weekend only: {{1}} off everything.' }],
  },
];

export interface StoredMedia {
  id: string;
  bytes: Buffer;
  mimeType: string;
  sha256: string;
  /** The number that received it: its token may read it. */
  phoneNumberId: string | null;
}

/** One page of GET /{waba_id}/message_templates (`limit`, cursor `after`), shaped like Meta's. */
export function templatePage(
  all: SimTemplate[],
  query: URLSearchParams,
  pathUrl: string,
): Record<string, unknown> {
  const limit = Math.max(1, Math.min(100, Number(query.get('limit') ?? 25) || 25));
  const start = Number(Buffer.from(query.get('after') ?? '', 'base64url').toString() || 0);
  const page = all.slice(start, start + limit);
  const after = Buffer.from(String(start + page.length)).toString('base64url');
  return {
    data: page,
    paging: {
      cursors: { before: Buffer.from(String(start)).toString('base64url'), after },
      // Like Meta's, the next URL carries the token in its query: clients should use the cursor.
      ...(start + page.length < all.length && {
        next: `${pathUrl}/message_templates?limit=${limit}&after=${after}&access_token=SIMULATED`,
      }),
    },
  };
}
