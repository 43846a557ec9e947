import { createEnrollmentRequest } from '../../shared/sync-protocol';
import { listEvents, listInstallations, listWorkspaces } from '../admin-queries';
import { eventsQuery } from '../admin-types';
import type { CloudNumberRegistry } from '../cloud-numbers';
import { createEnrollment } from '../enroll';
import { CentralError } from '../errors';
import { parseWith, readForm } from '../http/body';
import { clientAddress, viaHttps } from '../http/request';
import { redirect, sendHtml } from '../http/respond';
import type { RequestContext, Route } from '../http/router';
import type { RateLimiter } from '../rate-limit';
import { takeOrRefuse } from '../rate-limited';
import { cloudNumberRoutes } from './cloud-number-routes';
import { enrollmentCreatedPage } from './enrollment-page';
import { loginPage } from './login-page';
import { overviewPage } from './overview-page';
import { releaseRoutes } from './release-routes';
import { DASHBOARD_CSP } from './style';
import { workspacePage } from './workspace-page';
import type { RouteDeps } from '../route-deps';

export interface DashboardDeps extends RouteDeps {
  /** Per client address, on sign-in (not shared with enrollment). */
  signInLimiter: RateLimiter;
  cloudNumbers: CloudNumberRegistry;
  /** Where uploaded installers go (the Releases page's upload form); none: uploads are refused. */
  updatesDir?: string | undefined;
}

/**
 * `same-origin`, not `no-referrer`: under `no-referrer` a browser sends `Origin: null` with every form
 * POST, and the Origin check on forms that change something (auth.requireAdmin) refuses that. Under
 * `same-origin` our own forms carry our origin while other sites still get no referrer.
 */
export const PAGE_HEADERS = { 'Content-Security-Policy': DASHBOARD_CSP, 'Referrer-Policy': 'same-origin' };

/** The dashboard: server-rendered pages, no script; a session cookie after signing in with the admin token. */
export function dashboardRoutes(deps: DashboardDeps): Route[] {
  const { database, clock, auth } = deps;
  const show = (ctx: RequestContext, status: number, html: string, headers: Record<string, string> = {}) =>
    sendHtml(ctx.res, status, html, { ...PAGE_HEADERS, ...headers });

  /** Pages behind the sign-in send a signed-out visitor to the sign-in form. */
  const signedIn = (ctx: RequestContext): boolean => {
    if (auth.hasSession(ctx.req)) return true;
    ctx.req.resume();
    redirect(ctx.res, '/');
    return false;
  };

  async function home(ctx: RequestContext): Promise<void> {
    if (!auth.hasSession(ctx.req)) {
      show(ctx, 200, loginPage({ refused: false }));
      return;
    }
    const now = clock.now();
    const [workspaces, installations] = await Promise.all([
      listWorkspaces(database.db, now),
      listInstallations(database.db),
    ]);
    show(ctx, 200, overviewPage({ workspaces, installations, now, damaged: database.damaged }));
  }

  async function login(ctx: RequestContext): Promise<void> {
    takeOrRefuse(deps.signInLimiter, clientAddress(ctx.req), 'sign-in attempts from this address');
    const form = await readForm(ctx.req, ctx.res);
    const session = auth.login(form.get('token') ?? '');
    if (session === undefined) {
      show(ctx, 401, loginPage({ refused: true }));
      return;
    }
    redirect(ctx.res, '/', { 'Set-Cookie': auth.setCookie(session, viaHttps(ctx.req)) });
  }

  function logout(ctx: RequestContext): Promise<void> {
    ctx.req.resume();
    redirect(ctx.res, '/', { 'Set-Cookie': auth.clearCookie(viaHttps(ctx.req)) });
    return Promise.resolve();
  }

  async function newEnrollment(ctx: RequestContext): Promise<void> {
    if (!signedIn(ctx)) return;
    auth.requireAdmin(ctx.req);
    const form = await readForm(ctx.req, ctx.res);
    const input = parseWith(
      createEnrollmentRequest,
      {
        workspaceName: form.get('workspaceName') ?? '',
        validForHours: Number(form.get('validForHours') ?? 72),
      },
      'The form',
    );
    const created = await createEnrollment(database, input, clock.now());
    show(ctx, 201, enrollmentCreatedPage(input.workspaceName, created));
  }

  async function workspace(ctx: RequestContext): Promise<void> {
    if (!signedIn(ctx)) return;
    const id = ctx.params.id!;
    const query = parseWith(eventsQuery, Object.fromEntries(ctx.url.searchParams), 'The filter');
    const now = clock.now();
    const [found] = await listWorkspaces(database.db, now, id);
    if (found === undefined) throw new CentralError('NOT_FOUND', 'There is no such workspace.');
    const events = await listEvents(database.db, id, query);
    show(ctx, 200, workspacePage({ workspace: found, events, query, now }));
  }

  return [
    { method: 'GET', path: '/', handler: home },
    { method: 'POST', path: '/login', handler: login },
    { method: 'POST', path: '/logout', handler: logout },
    { method: 'POST', path: '/enrollments', handler: newEnrollment },
    { method: 'GET', path: '/workspaces/:id', handler: workspace },
    ...cloudNumberRoutes({ ...deps, show, signedIn }),
    ...releaseRoutes({ ...deps, show, signedIn }),
  ];
}
