import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../core/ids';
import type { CentralDb } from './db/open';
import { CentralError } from './errors';
import { bearerOf, cookieOf, isSameOrigin } from './http/request';
import type { Route } from './http/router';
import type { WorkspacePrincipal } from './ingest';
import { hashWorkspaceToken, looksLikeWorkspaceToken, secretMatches } from './secrets';

export const SESSION_COOKIE = 'central_session';
const SESSION_TTL_MS = 12 * 3_600_000;

export interface AdminAuth {
  /** The admin token as a bearer, or a live dashboard session cookie. */
  isAdmin(req: IncomingMessage): boolean;
  /**
   * Throws 401 unless isAdmin, and 403 for a change (any method but GET) made with the session cookie
   * from a page that is not ours.
   */
  requireAdmin(req: IncomingMessage): void;
  /** A session cookie value when `candidate` is the admin token (compared in constant time). */
  login(candidate: string): string | undefined;
  hasSession(req: IncomingMessage): boolean;
  setCookie(value: string, secure: boolean): string;
  clearCookie(secure: boolean): string;
}

/**
 * Admin access. Dashboard sessions are stateless: `<expiry>.<nonce>.<HMAC>` under a key derived from
 * the admin token, so they survive a restart, work across several servers sharing one database, and
 * all end when the admin token is replaced.
 */
export function createAdminAuth(adminToken: string, clock: Clock): AdminAuth {
  const key = createHmac('sha256', adminToken).update('switchboard-central-session-v1').digest();
  const sign = (payload: string): Buffer => createHmac('sha256', key).update(payload).digest();

  function sessionValid(value: string | undefined): boolean {
    if (value === undefined) return false;
    const match = /^(\d{1,16})\.([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (match === null) return false;
    const [, expiry, nonce, signature] = match as unknown as [string, string, string, string];
    const expected = sign(`${expiry}.${nonce}`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    return Number(expiry) > clock.now();
  }

  const hasSession = (req: IncomingMessage): boolean => sessionValid(cookieOf(req, SESSION_COOKIE));
  const isAdmin = (req: IncomingMessage): boolean => {
    const bearer = bearerOf(req);
    return bearer !== undefined ? secretMatches(bearer, adminToken) : hasSession(req);
  };

  return {
    isAdmin,
    hasSession,
    requireAdmin(req) {
      if (!isAdmin(req)) {
        throw new CentralError(
          'UNAUTHORIZED',
          'Missing or wrong admin token. Use the token the central server printed when it first started ' +
            '(or CENTRAL_ADMIN_TOKEN).',
        );
      }
      const viaCookie = bearerOf(req) === undefined;
      const changes = req.method !== 'GET' && req.method !== 'HEAD';
      if (viaCookie && changes && !isSameOrigin(req))
        throw new CentralError('FORBIDDEN', 'This request came from another site; it was refused.');
    },
    login(candidate) {
      if (!secretMatches(candidate.trim(), adminToken)) return undefined;
      const expiry = String(clock.now() + SESSION_TTL_MS);
      const nonce = randomBytes(16).toString('base64url');
      return `${expiry}.${nonce}.${sign(`${expiry}.${nonce}`).toString('base64url')}`;
    },
    setCookie: (value, secure) =>
      `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}` +
      (secure ? '; Secure' : ''),
    clearCookie: (secure) =>
      `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0` + (secure ? '; Secure' : ''),
  };
}

/**
 * The workspace and installation a workspace token was issued for. Only the token's hash is looked up,
 * so the comparison that matters (the token against a stored secret) never happens in plain text.
 */
export async function authenticateWorkspace(
  db: CentralDb,
  req: IncomingMessage,
): Promise<WorkspacePrincipal & { tokenHash: string }> {
  const token = bearerOf(req);
  if (token === undefined) {
    throw new CentralError(
      'UNAUTHORIZED',
      'Missing workspace token: send Authorization: Bearer <workspace token>.',
    );
  }
  const invalid = new CentralError(
    'UNAUTHORIZED',
    'This workspace token is not valid here. Enroll the workspace again with a new code from the central team.',
  );
  if (!looksLikeWorkspaceToken(token)) throw invalid;
  const tokenHash = hashWorkspaceToken(token);
  const link = await db
    .selectFrom('workspace_links')
    .select(['workspace_id', 'installation_id'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (link === undefined) throw invalid;
  return { workspaceId: link.workspace_id, installationId: link.installation_id, tokenHash };
}

/** These routes answer the admin only: the admin token (or session) is checked before each handler runs. */
export function adminOnly(auth: AdminAuth, routes: readonly Route[]): Route[] {
  return routes.map((route) => ({
    ...route,
    handler: async (ctx) => {
      auth.requireAdmin(ctx.req);
      await route.handler(ctx);
    },
  }));
}
