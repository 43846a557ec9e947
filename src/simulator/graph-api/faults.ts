// Errors a test asks for: the next request(s) of a kind fail the way Meta fails them.

export type GraphFault =
  /** A Graph error answer with this code (the HTTP status and text Meta uses for it, unless `message`). */
  | { code: number; subcode?: number; message?: string }
  /** A bare HTTP error with no Graph body (a proxy or load balancer answering). */
  | { httpStatus: number }
  /** The connection is reset before any answer. */
  | { network: 'reset' }
  /** The send is accepted (200 and a wamid), then fails later as a `failed` status with this code. */
  | { asyncFailure: number };

export type RequestKind = 'send' | 'read' | 'profile' | 'templates' | 'media' | 'upload';

export interface FaultMatch {
  /** Which requests; default 'send' (text and template sends). */
  kind?: RequestKind | 'any';
  phoneNumberId?: string;
  /** Only sends to this address (wa_id digits, "+E.164" or user_id). */
  to?: string;
  /** How many matching requests fail; default 1. */
  count?: number;
}

interface PendingFault {
  fault: GraphFault;
  match: FaultMatch;
  left: number;
}

export class FaultQueue {
  private readonly pending: PendingFault[] = [];

  add(fault: GraphFault, match: FaultMatch = {}): void {
    this.pending.push({ fault, match, left: match.count ?? 1 });
  }

  /** The fault for this request, if one is waiting for it (used up as it is taken). */
  take(kind: RequestKind, phoneNumberId: string | null, to: string | null): GraphFault | null {
    const index = this.pending.findIndex(({ match }) => {
      const wantKind = match.kind ?? 'send';
      if (wantKind !== 'any' && wantKind !== kind) return false;
      if (match.phoneNumberId !== undefined && match.phoneNumberId !== phoneNumberId) return false;
      if (match.to !== undefined && (to === null || normalize(match.to) !== normalize(to))) return false;
      return true;
    });
    const found = this.pending[index];
    if (found === undefined) return null;
    if (--found.left <= 0) this.pending.splice(index, 1);
    return found.fault;
  }

  clear(): void {
    this.pending.length = 0;
  }
}

function normalize(address: string): string {
  return /^\+?[\d\s-]+$/.test(address) ? address.replace(/\D/g, '') : address;
}
