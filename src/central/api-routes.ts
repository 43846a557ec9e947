import { sql } from 'kysely';
import {
  createEnrollmentRequest,
  enrollRequest,
  ingestRequest,
  SYNC_LIMITS,
  SYNC_PROTOCOL_VERSION,
  type HealthResponse,
} from '../shared/sync-protocol';
import { listEvents, listInstallations, listWorkspaces, requireWorkspace } from './admin-queries';
import { eventsQuery } from './admin-types';
import { adminOnly, authenticateWorkspace } from './auth';
import { createEnrollment, enroll } from './enroll';
import { CentralError } from './errors';
import { parseWith, readJson, SMALL_BODY } from './http/body';
import { bearerOf, clientAddress } from './http/request';
import { hashWorkspaceToken, looksLikeWorkspaceToken } from './secrets';
import { sendJson } from './http/respond';
import type { RequestContext, Route } from './http/router';
import { ingestBatch } from './ingest';
import type { RateLimiter } from './rate-limit';
import { takeOrRefuse } from './rate-limited';
import type { RouteDeps } from './route-deps';

export interface ApiDeps extends RouteDeps {
  /** Per workspace token. */
  ingestLimiter: RateLimiter;
  /** Per client address, on enroll (not shared with the dashboard's sign-in). */
  enrollLimiter: RateLimiter;
  log: (line: string) => void;
}

const BATCH_BODY = { maxWireBytes: SYNC_LIMITS.maxRequestBytes, maxInflatedBytes: SYNC_LIMITS.maxBatchBytes };

/** The endpoints of src/shared/sync-protocol.ts. */
export function apiRoutes(deps: ApiDeps): Route[] {
  const { database, clock, auth } = deps;

  async function health({ res }: RequestContext): Promise<void> {
    let ok = true;
    try {
      await sql`select 1`.execute(database.db);
    } catch (error) {
      ok = false;
      deps.log(`health: the database does not answer: ${(error as Error).message}`);
    }
    const damaged = database.damaged;
    if (damaged !== null) ok = false;
    const body: HealthResponse = {
      ok,
      protocol: SYNC_PROTOCOL_VERSION,
      database: database.kind,
      ...(damaged !== null && { problem: `The database is damaged (${damaged}); writes are refused.` }),
    };
    sendJson(res, ok ? 200 : 503, body);
  }

  async function enrollRoute({ req, res }: RequestContext): Promise<void> {
    takeOrRefuse(deps.enrollLimiter, clientAddress(req), 'enrollment attempts from this address');
    const body = parseWith(enrollRequest, await readJson(req, res, SMALL_BODY), 'The enrollment request');
    // A workspace token of the same installation, if any, proves the installation id is the sender's.
    const bearer = bearerOf(req);
    const proof =
      bearer !== undefined && looksLikeWorkspaceToken(bearer) ? hashWorkspaceToken(bearer) : undefined;
    sendJson(res, 200, await enroll(database, body, clock.now(), proof));
  }

  async function ingestRoute({ req, res }: RequestContext): Promise<void> {
    const principal = await authenticateWorkspace(database.db, req);
    takeOrRefuse(deps.ingestLimiter, principal.tokenHash, 'requests with this workspace token');
    const json = await readJson(req, res, BATCH_BODY);
    checkProtocol(json);
    const batch = parseWith(ingestRequest, json, 'The batch');
    sendJson(res, 200, await ingestBatch(database, principal, batch, clock.now()));
  }

  async function createEnrollmentRoute({ req, res }: RequestContext): Promise<void> {
    const body = parseWith(createEnrollmentRequest, await readJson(req, res, SMALL_BODY), 'The request');
    sendJson(res, 201, await createEnrollment(database, body, clock.now()));
  }

  async function installations({ res }: RequestContext): Promise<void> {
    sendJson(res, 200, { installations: await listInstallations(database.db) });
  }

  async function workspaces({ res }: RequestContext): Promise<void> {
    sendJson(res, 200, { workspaces: await listWorkspaces(database.db, clock.now()) });
  }

  async function workspace({ res, params }: RequestContext): Promise<void> {
    const [found] = await listWorkspaces(database.db, clock.now(), params.id);
    if (found === undefined) throw noWorkspace(params.id!);
    sendJson(res, 200, found);
  }

  async function events({ res, params, url }: RequestContext): Promise<void> {
    const query = parseWith(eventsQuery, Object.fromEntries(url.searchParams), 'The query');
    await requireWorkspace(database.db, params.id!);
    sendJson(res, 200, await listEvents(database.db, params.id!, query));
  }

  return [
    { method: 'GET', path: '/api/v1/health', handler: health },
    { method: 'POST', path: '/api/v1/enroll', handler: enrollRoute },
    { method: 'POST', path: '/api/v1/ingest', handler: ingestRoute },
    ...adminOnly(auth, [
      { method: 'POST', path: '/api/admin/enrollments', handler: createEnrollmentRoute },
      { method: 'GET', path: '/api/admin/installations', handler: installations },
      { method: 'GET', path: '/api/admin/workspaces', handler: workspaces },
      { method: 'GET', path: '/api/admin/workspaces/:id', handler: workspace },
      { method: 'GET', path: '/api/admin/workspaces/:id/events', handler: events },
    ]),
  ];
}

/** A client speaking another protocol version gets told so, not a list of schema complaints. */
function checkProtocol(json: unknown): void {
  if (typeof json !== 'object' || json === null || !('protocol' in json)) return;
  const { protocol } = json;
  if (typeof protocol === 'number' && protocol !== SYNC_PROTOCOL_VERSION) {
    throw new CentralError(
      'BAD_REQUEST',
      `This server speaks sync protocol ${SYNC_PROTOCOL_VERSION}; the batch says ${protocol}. ` +
        (protocol > SYNC_PROTOCOL_VERSION ? 'Update the central server.' : 'Update Switchboard on this PC.'),
    );
  }
}

const noWorkspace = (id: string): CentralError =>
  new CentralError('NOT_FOUND', `No workspace with id ${id}.`);
