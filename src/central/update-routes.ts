import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import {
  CHANNEL_FILES,
  checkFileName,
  chooseRelease,
  feedYaml,
  platformOfChannelFile,
} from '../core/updates/index';
import { adminOnly, authenticateWorkspace } from './auth';
import { CentralError } from './errors';
import { parseWith, readJson, SMALL_BODY } from './http/body';
import { SECURITY_HEADERS, sendJson } from './http/respond';
import type { RequestContext, Route } from './http/router';
import type { RateLimiter } from './rate-limit';
import { takeOrRefuse } from './rate-limited';
import {
  addRelease,
  changeReleaseState,
  feedAsker,
  isReleaseAction,
  listReleases,
  MAX_INSTALLER_BYTES,
  releaseFilePath,
  setRollout,
} from './update-releases';
import type { RouteDeps } from './route-deps';

export interface UpdateDeps extends RouteDeps {
  /** Where installers are kept; without it uploads are refused (503) and the feed offers nothing. */
  updatesDir: string | undefined;
  /** Per workspace token (shared with ingest and the relay's polls). */
  feedLimiter: RateLimiter;
}

/** The path electron-updater's generic provider is pointed at: it appends `latest*.yml` and file names. */
export const FEED_PATH = '/updates/v1';

const rolloutBody = z.object({
  percent: z.number().int().min(0).max(100),
  workspaceIds: z.array(z.string().min(1).max(100)).max(1000).default([]),
});

/**
 * The update feed (per installation, with its workspace token as the bearer, so the rollout knows who
 * asks) and the admin API for releases.
 */
export function updateRoutes(deps: UpdateDeps): Route[] {
  const { database, clock, auth } = deps;

  async function upload({ req, res, url }: RequestContext): Promise<void> {
    const dir = folder(deps);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_INSTALLER_BYTES)
      throw new CentralError('TOO_LARGE', `An installer is limited to ${MAX_INSTALLER_BYTES} bytes.`, {
        headers: { Connection: 'close' },
      });
    const q = (key: string): string | undefined => url.searchParams.get(key) ?? undefined;
    const release = await addRelease(
      database,
      dir,
      {
        platform: q('platform') ?? '',
        version: q('version') ?? '',
        fileName: q('file') ?? '',
        sha512: q('sha512'),
        storeSchema: q('storeSchema'),
        notes: q('notes'),
      },
      req,
      clock.now(),
    );
    sendJson(res, 201, release);
  }

  async function list({ res }: RequestContext): Promise<void> {
    sendJson(res, 200, { releases: await listReleases(database.db), channelFiles: CHANNEL_FILES });
  }

  async function act({ req, res, params }: RequestContext): Promise<void> {
    const id = params.id!;
    const action = params.action!;
    if (action === 'rollout') {
      const body = parseWith(rolloutBody, await readJson(req, res, SMALL_BODY), 'The rollout');
      sendJson(res, 200, await setRollout(database, id, body, clock.now()));
      return;
    }
    req.resume();
    if (!isReleaseAction(action))
      throw new CentralError(
        'NOT_FOUND',
        `Releases take rollout, pause, resume or rollback, not "${action}".`,
      );
    sendJson(res, 200, await changeReleaseState(database, id, action, clock.now()));
  }

  return [
    { method: 'GET', path: `${FEED_PATH}/:file`, handler: (context) => feedFile(deps, context) },
    ...adminOnly(auth, [
      { method: 'POST', path: '/api/admin/releases', handler: upload },
      { method: 'GET', path: '/api/admin/releases', handler: list },
      { method: 'POST', path: '/api/admin/releases/:id/:action', handler: act },
    ]),
  ];
}

function folder(deps: UpdateDeps): string {
  if (deps.updatesDir === undefined)
    throw new CentralError(
      'UNAVAILABLE',
      'This server has no folder for installers; start it with a data folder.',
    );
  return deps.updatesDir;
}

/** A channel file (the release this PC is offered) or the installer it names; HEAD for its size. */
async function feedFile(deps: UpdateDeps, { req, res, params }: RequestContext): Promise<void> {
  const { database } = deps;
  const principal = await authenticateWorkspace(database.db, req);
  takeOrRefuse(deps.feedLimiter, principal.tokenHash, 'requests with this workspace token');
  const name = params.file!;
  const asker = await feedAsker(database.db, principal.installationId);
  const platform = platformOfChannelFile(name);
  if (platform !== undefined) {
    const choice = chooseRelease(await listReleases(database.db, { platform }), asker);
    if (choice === undefined)
      throw new CentralError('NOT_FOUND', `No ${platform} release is offered to this PC yet.`);
    const text = feedYaml(choice);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/yaml; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
    });
    res.end(req.method === 'HEAD' ? undefined : text);
    return;
  }
  const problem = checkFileName(name);
  if (problem !== undefined) throw new CentralError('BAD_REQUEST', `${problem}.`);
  // Only the file of the release this PC is offered right now: a paused or rolled-back release's
  // installer is not handed out even to a PC that read the channel file before the pause.
  for (const release of await listReleases(database.db, { fileName: name })) {
    const choice = chooseRelease(await listReleases(database.db, { platform: release.platform }), asker);
    if (choice?.release.id !== release.id) continue;
    const path = releaseFilePath(folder(deps), release);
    const { size } = await stat(path);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(size),
    });
    if (req.method === 'HEAD') res.end();
    else await pipeline(createReadStream(path), res);
    return;
  }
  throw new CentralError(
    'NOT_FOUND',
    `${name} is not offered to this PC (its release may be paused, rolled back or not rolled out to it).`,
  );
}
