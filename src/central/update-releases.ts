import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createId } from '../core/ids';
import {
  checkFileName,
  compareVersions,
  parseVersion,
  UPDATE_PLATFORMS,
  type FeedAsker,
  type FeedRelease,
  type ReleaseState,
  type UpdatePlatform,
} from '../core/updates/index';
import type { CentralDb, CentralDatabase } from './db/open';
import { CentralError } from './errors';

/**
 * Releases of the desktop app the admin uploaded, and their rollouts. The installer is written under
 * `<data-dir>/updates/<release id>/<file name>`; its path is built from the stored row only, never from
 * a request. The SHA-512 is computed while the bytes arrive, so the feed's checksum is of the bytes
 * the server holds.
 */

export interface UpdateRelease extends FeedRelease {
  id: string;
  platform: UpdatePlatform;
  createdAt: number;
  updatedAt: number;
}

export interface NewRelease {
  platform: string;
  version: string;
  fileName: string;
  /** The file's SHA-512 (base64) as electron-builder wrote it in latest*.yml: the upload must match. */
  sha512?: string;
  storeSchema?: string;
  notes?: string;
}

/** Installers are 80-200 MB; this leaves room and still bounds a runaway upload. */
export const MAX_INSTALLER_BYTES = 1024 * 1024 * 1024;
const SCHEMA = /^\d{4}-[a-z0-9-]{1,80}$/;
const SHA512_BASE64 = /^[A-Za-z0-9+/]{86}==$/;

export type ReleaseAction = 'pause' | 'resume' | 'rollback';
const NEXT_STATE: Record<ReleaseAction, ReleaseState> = {
  pause: 'paused',
  resume: 'live',
  rollback: 'rolled-back',
};

const bad = (message: string): CentralError => new CentralError('BAD_REQUEST', message);

export function checkNewRelease(
  input: NewRelease,
): asserts input is NewRelease & { platform: UpdatePlatform } {
  if (!(UPDATE_PLATFORMS as string[]).includes(input.platform))
    throw bad(`The platform must be one of ${UPDATE_PLATFORMS.join(', ')}, not "${input.platform}".`);
  if (parseVersion(input.version) === undefined)
    throw bad(`"${input.version}" is not a version: write it as the app's package.json does, e.g. 1.4.0.`);
  const nameProblem = checkFileName(input.fileName);
  if (nameProblem !== undefined) throw bad(`${nameProblem}.`);
  if (input.sha512 !== undefined && !SHA512_BASE64.test(input.sha512))
    throw bad('The sha512 must be the base64 SHA-512 from latest*.yml (88 characters ending in ==).');
  if (input.storeSchema !== undefined && !SCHEMA.test(input.storeSchema))
    throw bad(
      `The store schema must be a migration name such as 0013-chat-read, not "${input.storeSchema}".`,
    );
  if ((input.notes ?? '').length > 4000) throw bad('Release notes are limited to 4000 characters.');
}

/** Writes the upload, checks it, then records the release (live, offered to nobody until its rollout is set). */
export async function addRelease(
  database: CentralDatabase,
  updatesDir: string,
  input: NewRelease,
  body: Readable,
  now: number,
): Promise<UpdateRelease> {
  checkNewRelease(input);
  const taken = await database.db
    .selectFrom('update_releases')
    .select('id')
    .where('platform', '=', input.platform)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (taken !== undefined) throw versionTaken(input);

  const id = createId();
  const folder = join(updatesDir, id);
  await mkdir(folder, { recursive: true });
  const partial = join(folder, '.upload');
  try {
    const hash = createHash('sha512');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > MAX_INSTALLER_BYTES) {
          done(new CentralError('TOO_LARGE', `An installer is limited to ${MAX_INSTALLER_BYTES} bytes.`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(body, measure, createWriteStream(partial, { flags: 'wx' }));
    if (size === 0) throw bad('The upload is empty: send the installer file as the request body.');
    const sha512 = hash.digest('base64');
    if (input.sha512 !== undefined && input.sha512 !== sha512)
      throw bad(
        'The uploaded file does not match its sha512 from latest*.yml: it was damaged or changed on the way. ' +
          'Upload it again, from the same build.',
      );
    await rename(partial, join(folder, input.fileName));
    const row = {
      id,
      platform: input.platform,
      version: input.version,
      file_name: input.fileName,
      sha512,
      size,
      store_schema: input.storeSchema ?? null,
      notes: input.notes ?? '',
      state: 'live',
      percent: 0,
      created_at: now,
      updated_at: now,
    };
    try {
      await database.db.insertInto('update_releases').values(row).execute();
    } catch (error) {
      // Two uploads of one version at once: the unique key lets one in.
      if (
        (await database.db
          .selectFrom('update_releases')
          .select('id')
          .where('id', '=', id)
          .executeTakeFirst()) === undefined
      )
        throw versionTaken(input);
      throw error;
    }
    return toRelease(row, []);
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    if (error instanceof CentralError) throw error;
    if (body.destroyed || (error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE')
      throw bad('The upload stopped before the whole file arrived; nothing was kept. Upload it again.');
    throw error;
  }
}

const versionTaken = (input: NewRelease): CentralError =>
  new CentralError(
    'CONFLICT',
    `Version ${input.version} for ${input.platform} is already uploaded. A release is never replaced ` +
      '(installations may already have it): build and upload a new version.',
  );

type Row = Awaited<ReturnType<typeof selectReleases>>[number];

function selectReleases(db: CentralDb, where: { platform?: string; id?: string; fileName?: string } = {}) {
  let query = db.selectFrom('update_releases').selectAll();
  if (where.platform !== undefined) query = query.where('platform', '=', where.platform);
  if (where.id !== undefined) query = query.where('id', '=', where.id);
  if (where.fileName !== undefined) query = query.where('file_name', '=', where.fileName);
  return query.orderBy('platform').orderBy('created_at', 'desc').orderBy('id').execute();
}

function toRelease(row: Row, workspaceIds: string[]): UpdateRelease {
  return {
    id: row.id,
    platform: row.platform as UpdatePlatform,
    version: row.version,
    fileName: row.file_name,
    sha512: row.sha512,
    size: row.size,
    storeSchema: row.store_schema,
    notes: row.notes,
    state: row.state as ReleaseState,
    percent: row.percent,
    workspaceIds,
    releasedAt: row.created_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Releases by platform, newest version first, each with its allow list: two queries whatever their number. */
export async function listReleases(
  db: CentralDb,
  where: { platform?: string; id?: string; fileName?: string } = {},
): Promise<UpdateRelease[]> {
  const rows = await selectReleases(db, where);
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom('update_release_workspaces')
    .select(['release_id', 'workspace_id'])
    .where(
      'release_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('workspace_id')
    .execute();
  rows.sort((a, b) => a.platform.localeCompare(b.platform) || compareVersions(b.version, a.version));
  return rows.map((row) =>
    toRelease(
      row,
      links.filter((l) => l.release_id === row.id).map((l) => l.workspace_id),
    ),
  );
}

export async function getRelease(db: CentralDb, id: string): Promise<UpdateRelease> {
  const [release] = await listReleases(db, { id });
  if (release === undefined) throw new CentralError('NOT_FOUND', `No release with id ${id}.`);
  return release;
}

/** Sets who is offered a release: a share of installations and the allow-listed workspaces. */
export async function setRollout(
  database: CentralDatabase,
  id: string,
  rollout: { percent: number; workspaceIds: readonly string[] },
  now: number,
): Promise<UpdateRelease> {
  const { percent } = rollout;
  const workspaceIds = [...new Set(rollout.workspaceIds)];
  if (!Number.isInteger(percent) || percent < 0 || percent > 100)
    throw bad(`The rollout percentage must be a whole number from 0 to 100, not ${percent}.`);
  await database.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('update_releases')
      .set({ percent, updated_at: now })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
      throw new CentralError('NOT_FOUND', `No release with id ${id}.`);
    if (workspaceIds.length > 0) {
      const known = await tx.selectFrom('workspaces').select('id').where('id', 'in', workspaceIds).execute();
      const unknown = workspaceIds.filter((w) => !known.some((k) => k.id === w));
      if (unknown.length > 0) throw bad(`No workspace with id ${unknown.join(', ')}.`);
    }
    await tx.deleteFrom('update_release_workspaces').where('release_id', '=', id).execute();
    if (workspaceIds.length > 0)
      await tx
        .insertInto('update_release_workspaces')
        .values(workspaceIds.map((workspace_id) => ({ release_id: id, workspace_id })))
        .execute();
  });
  return getRelease(database.db, id);
}

/** Pause (nobody new gets it), resume, or roll back (its installations go back to the one before). */
export async function changeReleaseState(
  database: CentralDatabase,
  id: string,
  action: ReleaseAction,
  now: number,
): Promise<UpdateRelease> {
  const updated = await database.db
    .updateTable('update_releases')
    .set({ state: NEXT_STATE[action], updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new CentralError('NOT_FOUND', `No release with id ${id}.`);
  return getRelease(database.db, id);
}

export function isReleaseAction(text: string): text is ReleaseAction {
  return Object.hasOwn(NEXT_STATE, text);
}

/** The installation behind a workspace token, with every workspace it pushes into (for allow lists). */
export async function feedAsker(db: CentralDb, installationId: string): Promise<FeedAsker> {
  const links = await db
    .selectFrom('workspace_links')
    .select('workspace_id')
    .where('installation_id', '=', installationId)
    .execute();
  return { installationId, workspaceIds: links.map((l) => l.workspace_id) };
}

export const releaseFilePath = (
  updatesDir: string,
  release: Pick<UpdateRelease, 'id' | 'fileName'>,
): string => join(updatesDir, release.id, release.fileName);
