import type { Clock } from '../../core/ids';
import type { AdminAuth } from '../auth';
import type { CentralDatabase } from '../db/open';
import { CentralError } from '../errors';
import { readForm } from '../http/body';
import { redirect } from '../http/respond';
import type { RequestContext, Route } from '../http/router';
import {
  changeReleaseState,
  getRelease,
  isReleaseAction,
  listReleases,
  setRollout,
} from '../update-releases';
import { releasesPage } from './releases-page';

export interface ReleasePageDeps {
  database: CentralDatabase;
  clock: Clock;
  auth: AdminAuth;
  show(ctx: RequestContext, status: number, html: string): void;
  signedIn(ctx: RequestContext): boolean;
}

/** What a change redirects with, so a reload shows the page without sending the form again. */
const DONE = {
  rollout: (v: string) => `Saved who gets ${v}.`,
  pause: (v: string) => `Paused ${v}: no new downloads. PCs that have it keep it.`,
  resume: (v: string) => `${v} is live again.`,
  rollback: (v: string) => `Rolled back ${v}: PCs on it go back to the version before at their next check.`,
} as const;
type Done = keyof typeof DONE;

/** The dashboard's Releases page: who gets each release, pause, resume and roll back. */
export function releaseRoutes(deps: ReleasePageDeps): Route[] {
  const { database, clock, auth } = deps;

  async function render(ctx: RequestContext, status: number, notice?: { tone: 'ok' | 'bad'; text: string }) {
    const [releases, workspaces] = await Promise.all([
      listReleases(database.db),
      database.db.selectFrom('workspaces').select(['id', 'name']).orderBy('name').orderBy('id').execute(),
    ]);
    deps.show(ctx, status, releasesPage({ releases, workspaces, notice }));
  }

  async function list(ctx: RequestContext): Promise<void> {
    if (!deps.signedIn(ctx)) return;
    const done = ctx.url.searchParams.get('done') ?? '';
    const id = ctx.url.searchParams.get('release') ?? '';
    const release = Object.hasOwn(DONE, done) ? (await listReleases(database.db, { id }))[0] : undefined;
    await render(
      ctx,
      200,
      release === undefined ? undefined : { tone: 'ok', text: DONE[done as Done](release.version) },
    );
  }

  async function change(ctx: RequestContext): Promise<void> {
    if (!deps.signedIn(ctx)) return;
    auth.requireAdmin(ctx.req);
    const { id, action } = ctx.params as { id: string; action: string };
    const form = await readForm(ctx.req, ctx.res);
    await getRelease(database.db, id);
    try {
      if (action === 'rollout') {
        const percent = Number(form.get('percent') ?? '');
        await setRollout(database, id, { percent, workspaceIds: form.getAll('workspace') }, clock.now());
      } else if (isReleaseAction(action)) {
        await changeReleaseState(database, id, action, clock.now());
      } else {
        throw new CentralError('NOT_FOUND', 'There is nothing at this address.');
      }
    } catch (error) {
      if (!(error instanceof CentralError) || error.code !== 'BAD_REQUEST') throw error;
      await render(ctx, 400, { tone: 'bad', text: `Nothing was changed: ${error.message}` });
      return;
    }
    redirect(ctx.res, `/releases?done=${action}&release=${encodeURIComponent(id)}`);
  }

  return [
    { method: 'GET', path: '/releases', handler: list },
    { method: 'POST', path: '/releases/:id/:action', handler: change },
  ];
}
