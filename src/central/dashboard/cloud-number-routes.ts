import { listCloudNumberActivity, type CloudNumberRegistry } from '../cloud-numbers';
import { CentralError } from '../errors';
import { readForm } from '../http/body';
import { viaHttps } from '../http/request';
import { redirect } from '../http/respond';
import type { RequestContext, Route } from '../http/router';
import { parseCloudNumberForm } from './cloud-number-form';
import { cloudNumbersPage, removeCloudNumberPage, type CloudNumbersPageData } from './cloud-numbers-page';
import type { RouteDeps } from '../route-deps';

export interface CloudNumberPageDeps extends RouteDeps {
  cloudNumbers: CloudNumberRegistry;
  /** Sends a page with the dashboard's headers. */
  show(ctx: RequestContext, status: number, html: string): void;
  /** False (after redirecting to the sign-in) without a session. */
  signedIn(ctx: RequestContext): boolean;
}

/** What a change redirects with, so a reload shows the page without sending the form again. */
const DONE = {
  registered: (id: string) => `Registered ${id}: its webhooks now reach its workspace.`,
  replaced: (id: string) => `Updated ${id}: its workspace and secrets were replaced.`,
  removed: (id: string) => `Removed ${id}: its webhooks no longer reach a workspace.`,
} as const;
type Done = keyof typeof DONE;
const PHONE_NUMBER_ID = /^\d{1,32}$/;

/** The dashboard's Cloud numbers: list, register and remove the numbers the webhook relay serves. */
export function cloudNumberRoutes(deps: CloudNumberPageDeps): Route[] {
  const { database, clock, auth, cloudNumbers } = deps;

  async function list(ctx: RequestContext): Promise<void> {
    if (!deps.signedIn(ctx)) return;
    const done = ctx.url.searchParams.get('done') ?? '';
    const id = ctx.url.searchParams.get('number') ?? '';
    const notice =
      Object.hasOwn(DONE, done) && PHONE_NUMBER_ID.test(id)
        ? { tone: 'ok' as const, text: DONE[done as Done](id) }
        : undefined;
    await render(deps, ctx, 200, { notice });
  }

  async function register(ctx: RequestContext): Promise<void> {
    if (!deps.signedIn(ctx)) return;
    auth.requireAdmin(ctx.req);
    cloudNumbers.requireEnabled();
    const parsed = parseCloudNumberForm(await readForm(ctx.req, ctx.res));
    if (!parsed.ok) {
      await render(deps, ctx, 400, {
        notice: { tone: 'bad', text: 'The number was not registered: see the fields marked below.' },
        form: { values: parsed.values, errors: parsed.errors },
      });
      return;
    }
    let replaced: boolean;
    try {
      ({ replaced } = await cloudNumbers.register(parsed.input, clock.now()));
    } catch (error) {
      // The workspace went away between showing the form and sending it.
      if (!(error instanceof CentralError) || error.code !== 'NOT_FOUND') throw error;
      await render(deps, ctx, 400, {
        notice: { tone: 'bad', text: 'The number was not registered: that workspace no longer exists.' },
        form: {
          values: { phoneNumberId: parsed.input.phoneNumberId, workspaceId: '' },
          errors: { workspaceId: 'Choose a workspace that exists.' },
        },
      });
      return;
    }
    const done: Done = replaced ? 'replaced' : 'registered';
    redirect(ctx.res, `/cloud-numbers?done=${done}&number=${parsed.input.phoneNumberId}`);
  }

  async function found(ctx: RequestContext) {
    const id = ctx.params.phoneNumberId!;
    const [number] = await listCloudNumberActivity(database.db, id);
    if (number === undefined) throw new CentralError('NOT_FOUND', `No Cloud number ${id} is registered.`);
    return number;
  }

  async function confirmRemove(ctx: RequestContext): Promise<void> {
    if (!deps.signedIn(ctx)) return;
    deps.show(ctx, 200, removeCloudNumberPage(await found(ctx)));
  }

  async function remove(ctx: RequestContext): Promise<void> {
    if (!deps.signedIn(ctx)) return;
    auth.requireAdmin(ctx.req);
    ctx.req.resume();
    const id = ctx.params.phoneNumberId!;
    if (!(await cloudNumbers.remove(id)))
      throw new CentralError('NOT_FOUND', `No Cloud number ${id} is registered.`);
    redirect(ctx.res, `/cloud-numbers?done=removed&number=${encodeURIComponent(id)}`);
  }

  return [
    { method: 'GET', path: '/cloud-numbers', handler: list },
    { method: 'POST', path: '/cloud-numbers', handler: register },
    { method: 'GET', path: '/cloud-numbers/:phoneNumberId/remove', handler: confirmRemove },
    { method: 'POST', path: '/cloud-numbers/:phoneNumberId/remove', handler: remove },
  ];
}

/** The Cloud numbers page: every number with its activity, the form, and a notice. */
async function render(
  deps: CloudNumberPageDeps,
  ctx: RequestContext,
  status: number,
  extra: Pick<CloudNumbersPageData, 'notice' | 'form'> = {},
): Promise<void> {
  const { database, clock, cloudNumbers } = deps;
  const [numbers, workspaces] = await Promise.all([
    listCloudNumberActivity(database.db),
    database.db.selectFrom('workspaces').select(['id', 'name']).orderBy('name').orderBy('id').execute(),
  ]);
  const host = ctx.req.headers.host ?? 'this-server';
  deps.show(
    ctx,
    status,
    cloudNumbersPage({
      numbers,
      workspaces,
      relayEnabled: cloudNumbers.enabled,
      callbackUrl: `${viaHttps(ctx.req) ? 'https' : 'http'}://${host}/webhooks/whatsapp`,
      now: clock.now(),
      ...extra,
    }),
  );
}
