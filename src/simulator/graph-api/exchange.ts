import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimNumber } from './business';
import type { GraphFault, RequestKind } from './faults';
import { graphError, type GraphErrorAnswer } from './graph-errors';
import { bearerOf, sendError, sendJson } from './http';

export interface RequestRecord {
  method: string;
  path: string;
  kind: RequestKind | 'other';
  phoneNumberId: string | null;
  to: string | null;
  status: number;
  code: number | null;
}

/** One request and its answer: whatever way it is answered, it is recorded once, with its status and code. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly record: RequestRecord;
  answer: (status: number, json: unknown) => void;
  fail: (error: GraphErrorAnswer) => void;
  /** Records the answer without sending it (a fault answers by other means). */
  settle: (status: number, code: number | null) => void;
}

export function openExchange(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  requests: RequestRecord[],
): Exchange {
  const record: RequestRecord = {
    method: req.method ?? 'GET',
    path,
    kind: 'other',
    phoneNumberId: null,
    to: null,
    status: 200,
    code: null,
  };
  const settle = (status: number, code: number | null): void => {
    record.status = status;
    record.code = code;
    requests.push(record);
  };
  const answer = (status: number, json: unknown): void => {
    const code = (json as { error?: { code?: unknown } }).error?.code;
    settle(status, typeof code === 'number' ? code : null);
    sendJson(res, status, json);
  };
  return { req, res, record, settle, answer, fail: (error) => answer(error.status, error.body) };
}

/** null when the Bearer token is one of `owners`' valid tokens; else Meta's 190 answer. */
export function authorize(req: IncomingMessage, owners: SimNumber[]): GraphErrorAnswer | null {
  const token = bearerOf(req);
  const owner = owners.find((n) => n.accessToken === token);
  if (owner === undefined) return graphError(190);
  if (owner.tokenExpired) return graphError(190, { subcode: 463 });
  return null;
}

/** Answers with the fault; false for faults that let the request go on (a later async failure). */
export function applyFault(fault: GraphFault, ex: Exchange, log: (line: string) => void): boolean {
  const { req, res } = ex;
  if ('asyncFailure' in fault) return false;
  if ('network' in fault) {
    log(`resetting ${req.method} ${req.url}`);
    ex.settle(0, ex.record.code);
    req.socket.destroy();
    return true;
  }
  if ('httpStatus' in fault) {
    // What a load balancer in front of the API sends: no Graph error, not even JSON.
    ex.settle(fault.httpStatus, ex.record.code);
    res.writeHead(fault.httpStatus, { 'content-type': 'text/html' });
    res.end(`<html><body>${fault.httpStatus} Service Unavailable</body></html>`);
    return true;
  }
  const answer = graphError(fault.code, {
    ...(fault.subcode !== undefined && { subcode: fault.subcode }),
    ...(fault.message !== undefined && { message: fault.message }),
  });
  ex.settle(answer.status, fault.code);
  sendError(res, answer);
  return true;
}

export function unknownObject(id: string): GraphErrorAnswer {
  return graphError(100, {
    message: `Unsupported request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    subcode: 33,
  });
}
