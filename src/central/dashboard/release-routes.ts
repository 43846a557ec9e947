import { CentralError } from '../errors';
import { discardRequestRest, readForm } from '../http/body';
import { redirect } from '../http/respond';
import type { RequestContext, Route } from '../http/router';
import { parseChannelFile } from '../../core/updates/index';
import { readMultipart, readSmallPart } from '../http/multipart';
import {
  addRelease,
  changeReleaseState,
  getRelease,
  isReleaseAction,
  listReleases,
  setRollout,
  type UpdateRelease,
} from '../update-releases';
import { releasesPage } from './releases-page';
import type { RouteDeps } from '../route-deps';

export interface ReleasePageDeps extends RouteDeps {
  updatesDir?: string | undefined;
  show(ctx: RequestContext, status: number, html: string): void;
  signedIn(ctx: RequestContext): boolean;
}

/** What a change redirects with, so a reload shows the page without sending the form again. */
const DONE = {
  rollout: (v: string) => `Saved who gets ${v}.`,
  pause: (v: string) => `Paused ${v}: no new downloads. PCs that have it keep it.`,
  resume: (v: string) => `${v} is live again.`,
  rollback: (v: string) => `Rolled back ${v}: PCs on it go back to the version before at their next check.`,
  upload: (v: string) => `Uploaded ${v}. It reaches no PC until you set who gets it below.`,
} as const;
type Done = keyof typeof DONE;

type Notice = { tone: 'ok' | 'bad'; text: string };

/** The dashboard's Releases page: who gets each release, pause, resume and roll back. */
export function releaseRoutes(deps: ReleasePageDeps): Route[] {
  const { database, clock, auth } = deps;
  const render = (ctx: RequestContext, status: number, notice?: Notice) =>
    renderPage(deps, ctx, status, notice);

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

  async function upload(ctx: RequestContext): Promise<void> {
    if (!deps.signedIn(ctx)) return;
    auth.requireAdmin(ctx.req);
    let release: UpdateRelease;
    try {
      release = await readUpload(deps, ctx);
    } catch (error) {
      if (!(error instanceof CentralError) || !['BAD_REQUEST', 'CONFLICT', 'TOO_LARGE'].includes(error.code))
        throw error;
      // The answer goes now; the rest of a refused upload is read and dropped (or the connection closed).
      discardRequestRest(ctx.req, ctx.res);
      await render(ctx, 400, { tone: 'bad', text: `Nothing was uploaded: ${error.message}` });
      return;
    }
    redirect(ctx.res, `/releases?done=upload&release=${encodeURIComponent(release.id)}`);
  }

  return [
    { method: 'GET', path: '/releases', handler: list },
    { method: 'POST', path: '/releases/upload', handler: upload },
    { method: 'POST', path: '/releases/:id/:action', handler: change },
  ];
}

async function renderPage(deps: ReleasePageDeps, ctx: RequestContext, status: number, notice?: Notice) {
  const [releases, workspaces] = await Promise.all([
    listReleases(deps.database.db),
    deps.database.db.selectFrom('workspaces').select(['id', 'name']).orderBy('name').orderBy('id').execute(),
  ]);
  deps.show(ctx, status, releasesPage({ releases, workspaces, notice }));
}

/**
 * The upload form: latest*.yml first (platform, version, the installer's name and sha512), then the
 * installer, streamed to disk and checked against that sha512 as the admin API does.
 */
async function readUpload(deps: ReleasePageDeps, ctx: RequestContext): Promise<UpdateRelease> {
  if (deps.updatesDir === undefined)
    throw new CentralError(
      'BAD_REQUEST',
      'This server has no folder for installers; start it with a data folder.',
    );
  const updatesDir = deps.updatesDir;
  let release: UpdateRelease | undefined;
  let channel: ReturnType<typeof parseChannelFile>;
  const fields: Record<string, string> = {};
  await readMultipart(ctx.req, async (part) => {
    if (part.name === 'channel') {
      const text = await readSmallPart(part, 64 * 1024, 'The latest*.yml file');
      channel = parseChannelFile(part.fileName ?? '', text);
      if (channel === undefined)
        throw new CentralError(
          'BAD_REQUEST',
          `${part.fileName || 'The first file'} is not a latest.yml, latest-mac.yml or latest-linux.yml from electron-builder (dist/).`,
        );
    } else if (part.name === 'installer') {
      if (channel === undefined)
        throw new CentralError(
          'BAD_REQUEST',
          'Pick the latest*.yml file first, then the installer it names.',
        );
      if (part.fileName !== channel.file)
        throw new CentralError(
          'BAD_REQUEST',
          `The latest*.yml of ${channel.version} names the installer ${channel.file}, not ${part.fileName || 'an empty file'}: pick that file.`,
        );
      release = await addRelease(
        deps.database,
        updatesDir,
        {
          platform: channel.platform,
          version: channel.version,
          fileName: channel.file,
          sha512: channel.sha512,
          ...(fields.storeSchema ? { storeSchema: fields.storeSchema } : {}),
          ...(fields.notes ? { notes: fields.notes } : {}),
        },
        part.body,
        deps.clock.now(),
      );
    } else if (part.name === 'notes' || part.name === 'storeSchema') {
      fields[part.name] = (await readSmallPart(part, 4 * 1024, `The ${part.name}`)).trim();
    } else {
      part.body.resume();
    }
  });
  if (release === undefined) throw new CentralError('BAD_REQUEST', 'Pick the installer too.');
  return release;
}
