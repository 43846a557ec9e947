import {
  cloudNumberRegistration,
  RELAY_LIMITS,
  relayAckRequest,
  relayPollQuery,
  type RelayAckResponse,
  type RelayPollResponse,
} from '../shared/relay-protocol';
import { adminOnly, authenticateWorkspace } from './auth';
import { isKnownVerifyToken, listCloudNumbers, type CloudNumberRegistry } from './cloud-numbers';
import { CentralError } from './errors';
import { parseWith, readBody, readJson, SMALL_BODY } from './http/body';
import { clientAddress } from './http/request';
import { SECURITY_HEADERS, sendJson } from './http/respond';
import type { RequestContext, Route } from './http/router';
import type { RateLimiter } from './rate-limit';
import { refuseUnless, takeOrRefuse } from './rate-limited';
import { intakeWebhook } from './webhook-intake';
import { ackRelay, readRelay, type RelayWaiters } from './webhook-relay';
import type { RouteDeps } from './route-deps';

export interface RelayDeps extends RouteDeps {
  /** The registered Cloud numbers; without a secret key the relay is off (503 with what to do). */
  cloudNumbers: CloudNumberRegistry;
  /** Per workspace token. */
  pollLimiter: RateLimiter;
  /** Per client address, refused webhook POSTs only. */
  refusalLimiter: RateLimiter;
  waiters: RelayWaiters;
  log: (line: string) => void;
}

const WEBHOOK_BODY = {
  maxWireBytes: RELAY_LIMITS.maxWebhookBytes,
  maxInflatedBytes: RELAY_LIMITS.maxWebhookBytes,
};
/** While a long poll waits, the database is also looked at this often (another server may have taken the POST). */
const RECHECK_MS = 1_000;

/** The webhook relay: Meta's callback, the desktop's long poll and ack, the admin's numbers. */
export function relayRoutes(deps: RelayDeps): Route[] {
  const { database, clock, auth, cloudNumbers } = deps;

  async function ack({ req, res }: RequestContext): Promise<void> {
    const principal = await authenticateWorkspace(database.db, req);
    takeOrRefuse(deps.pollLimiter, principal.tokenHash, 'requests with this workspace token');
    const body = parseWith(relayAckRequest, await readJson(req, res, SMALL_BODY), 'The acknowledgement');
    const answer: RelayAckResponse = {
      ackedSeq: await ackRelay(database, principal.workspaceId, body.seq, clock.now()),
    };
    sendJson(res, 200, answer);
  }

  async function register({ req, res }: RequestContext): Promise<void> {
    cloudNumbers.requireEnabled();
    const body = parseWith(cloudNumberRegistration, await readJson(req, res, SMALL_BODY), 'The request');
    const { number } = await cloudNumbers.register(body, clock.now());
    sendJson(res, 201, number);
  }

  async function remove({ req, res, params }: RequestContext): Promise<void> {
    req.resume();
    if (!(await cloudNumbers.remove(params.phoneNumberId!)))
      throw new CentralError('NOT_FOUND', `No Cloud number ${params.phoneNumberId} is registered.`);
    res.writeHead(204, SECURITY_HEADERS);
    res.end();
  }

  async function list({ res }: RequestContext): Promise<void> {
    sendJson(res, 200, { cloudNumbers: await listCloudNumbers(database.db) });
  }

  return [
    { method: 'GET', path: '/webhooks/whatsapp', handler: (context) => verify(deps, context) },
    { method: 'POST', path: '/webhooks/whatsapp', handler: (context) => webhook(deps, context) },
    { method: 'GET', path: '/api/v1/relay', handler: (context) => poll(deps, context) },
    { method: 'POST', path: '/api/v1/relay/ack', handler: ack },
    ...adminOnly(auth, [
      { method: 'POST', path: '/api/admin/cloud-numbers', handler: register },
      { method: 'GET', path: '/api/admin/cloud-numbers', handler: list },
      { method: 'DELETE', path: '/api/admin/cloud-numbers/:phoneNumberId', handler: remove },
    ]),
  ];
}

/** Meta's handshake: the challenge back when the verify token is a registered number's. */
async function verify({ database }: RelayDeps, { res, url }: RequestContext): Promise<void> {
  const mode = url.searchParams.get('hub.mode');
  const token = url.searchParams.get('hub.verify_token') ?? '';
  const challenge = url.searchParams.get('hub.challenge') ?? '';
  const ok = mode === 'subscribe' && (await isKnownVerifyToken(database.db, token));
  const body = ok ? challenge : 'Forbidden';
  res.writeHead(ok ? 200 : 403, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** Meta's POST: verified, stored per workspace, and the waiting polls woken. */
async function webhook(deps: RelayDeps, { req, res }: RequestContext): Promise<void> {
  const { database, clock, waiters, cloudNumbers } = deps;
  const secrets = cloudNumbers.secrets();
  // An address that keeps sending refused POSTs is refused before its body is read or verified.
  const address = clientAddress(req);
  refuseUnless(deps.refusalLimiter.peek(address), 'refused webhook POSTs from this address');
  const raw = await readBody(req, res, WEBHOOK_BODY);
  const signature = req.headers['x-hub-signature-256'];
  let result;
  try {
    result = await intakeWebhook(
      database,
      secrets,
      raw,
      typeof signature === 'string' ? signature : undefined,
      clock.now(),
    );
  } catch (error) {
    if (error instanceof CentralError && error.status === 401) deps.refusalLimiter.take(address);
    throw error;
  }
  if (result.unroutable > 0)
    deps.log(
      `webhook: ${result.unroutable} change(s) for an unregistered phone_number_id kept as unroutable`,
    );
  // Committed: only now may Meta forget it.
  sendJson(res, 200, { stored: result.stored, duplicates: result.duplicates });
  waiters.notify(result.workspaces);
}

/** The desktop's long poll: what came after its cursor, at once or when it comes (up to `wait`). */
async function poll(deps: RelayDeps, { req, res, url }: RequestContext): Promise<void> {
  const { database, clock, waiters } = deps;
  const principal = await authenticateWorkspace(database.db, req);
  takeOrRefuse(deps.pollLimiter, principal.tokenHash, 'requests with this workspace token');
  const query = parseWith(relayPollQuery, Object.fromEntries(url.searchParams), 'The query');
  const { workspaceId } = principal;
  if (query.after !== undefined && query.after > 0)
    await ackRelay(database, workspaceId, query.after, clock.now());
  const after = query.after ?? 0;
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const deadline = Date.now() + query.wait * 1000;
  for (;;) {
    const batch = await readRelay(database.db, workspaceId, after, query.limit);
    const left = deadline - Date.now();
    if (batch.notifications.length > 0 || left <= 0 || waiters.closed || gone.signal.aborted) {
      if (gone.signal.aborted) return;
      const body: RelayPollResponse = batch;
      sendJson(res, 200, body);
      return;
    }
    await waiters.wait(workspaceId, Math.min(left, RECHECK_MS), gone.signal);
  }
}
