// `npm run central:release -- <command>`: the admin's releases on a central server, over its admin API.
import { openAsBlob, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseOptions } from '../core/cli/index';
import { parseChannelFile, UPDATE_PLATFORMS } from '../core/updates/index';
import { LATEST_MIGRATION } from '../core/store/migrations/index';
import { ADMIN_TOKEN_ENV, ADMIN_TOKEN_FILE } from './admin-token';
import { defaultDataDir, DEFAULT_PORT } from './cli';
import type { UpdateRelease } from './update-releases';

export const RELEASE_USAGE = `Usage: npm run central:release -- <command> [options]

  upload <dist/latest.yml>     upload the installer a latest*.yml names (version, file and sha512 from it;
                               the platform from its name: latest.yml win, latest-mac.yml, latest-linux.yml)
  upload <installer> --platform <${UPDATE_PLATFORMS.join('|')}> --version <x.y.z>
  list                         every release: id, version, state, rollout
  rollout <id> <percent> [--workspace <id>]...   offer it to this share of PCs, and always to these workspaces
  pause <id>                   no new downloads; PCs that have it keep it
  resume <id>                  offer it again
  rollback <id>                PCs on it go back to the version before (when their database allows it)

  --server <url>               the central server (default $CENTRAL_URL or http://127.0.0.1:${DEFAULT_PORT})
  --store-schema <name>        the newest store migration of this build (default: ${LATEST_MIGRATION}, this checkout's)
  --notes <text>               release notes shown by the app

The admin token is $${ADMIN_TOKEN_ENV}, or the file ${ADMIN_TOKEN_FILE} in $CENTRAL_DATA_DIR (default ~/.switchboard/central).`;

export interface ReleaseCommand {
  command: 'upload' | 'list' | 'rollout' | 'pause' | 'resume' | 'rollback';
  args: string[];
  server: string;
  options: Record<string, string>;
  workspaces: string[];
}

/** Throws with what was wrong; the caller prints the usage. */
export function parseReleaseArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ReleaseCommand {
  const { values, positionals } = parseOptions(
    argv,
    {
      server: { type: 'string' },
      workspace: { type: 'string', multiple: true },
      platform: { type: 'string' },
      version: { type: 'string' },
      'store-schema': { type: 'string' },
      notes: { type: 'string' },
    },
    true,
  );
  const [command, ...args] = positionals;
  const known = ['upload', 'list', 'rollout', 'pause', 'resume', 'rollback'] as const;
  if (!known.includes(command as (typeof known)[number]))
    throw new Error(command === undefined ? 'Name a command.' : `Unknown command "${command}".`);
  const { server, workspace, ...options } = values;
  const parsed: ReleaseCommand = {
    command: command as ReleaseCommand['command'],
    args,
    server: server ?? (env.CENTRAL_URL?.trim() || `http://127.0.0.1:${DEFAULT_PORT}`),
    options: Object.fromEntries(
      Object.entries(options).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    workspaces: workspace ?? [],
  };
  const wanted = { upload: 1, list: 0, rollout: 2, pause: 1, resume: 1, rollback: 1 }[parsed.command];
  if (parsed.args.length !== wanted)
    throw new Error(
      `${parsed.command} takes ${wanted === 0 ? 'no' : wanted} argument${wanted === 1 ? '' : 's'}.`,
    );
  return parsed;
}

/** The upload's fields, from a latest*.yml electron-builder wrote or from the options. */
export function uploadFields(command: ReleaseCommand): Record<string, string> & { path: string } {
  const given = command.args[0]!;
  const fields: Record<string, string> = {
    ...(command.options.version !== undefined && { version: command.options.version }),
    ...(command.options.platform !== undefined && { platform: command.options.platform }),
    storeSchema: command.options['store-schema'] ?? LATEST_MIGRATION,
    ...(command.options.notes !== undefined && { notes: command.options.notes }),
  };
  if (!given.endsWith('.yml'))
    return {
      ...fields,
      file: basename(given),
      path: given,
      platform: fields.platform ?? '',
      version: fields.version ?? '',
    };
  const channel = parseChannelFile(basename(given), readFileSync(given, 'utf8'));
  if (channel === undefined)
    throw new Error(
      `${given} is not a latest*.yml from electron-builder (it needs version, path and sha512).`,
    );
  const { version, platform, sha512, file: path } = channel;
  return { ...fields, version, platform, file: path, sha512, path: join(dirname(given), path) };
}

function adminToken(env: NodeJS.ProcessEnv): string {
  const fromEnv = env[ADMIN_TOKEN_ENV]?.trim();
  if (fromEnv) return fromEnv;
  const file = join(env.CENTRAL_DATA_DIR?.trim() || defaultDataDir(), ADMIN_TOKEN_FILE);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(`No admin token: set ${ADMIN_TOKEN_ENV}, or run this where the server's ${file} is.`);
  }
}

const describe = (r: UpdateRelease): string =>
  `${r.id}  ${r.platform.padEnd(11)} ${r.version.padEnd(10)} ${r.state.padEnd(11)} ${String(r.percent).padStart(3)}%` +
  (r.workspaceIds.length > 0 ? ` + workspaces ${r.workspaceIds.join(', ')}` : '') +
  `  ${r.fileName}`;

/** Runs one command; resolves with the lines to print, throws with the server's own message. */
export async function runRelease(
  command: ReleaseCommand,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
  const base = command.server.replace(/\/+$/, '');
  const headers = { Authorization: `Bearer ${adminToken(env)}` };
  async function call(method: string, path: string, init: { body?: Blob | string; type?: string } = {}) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(init.type !== undefined && { 'Content-Type': init.type }) },
      body: init.body,
    });
    const body = (await response.json()) as { error?: { message: string } };
    if (!response.ok)
      throw new Error(`${response.status}: ${body.error?.message ?? 'the server refused it'}`);
    return body;
  }
  switch (command.command) {
    case 'upload': {
      const { path, ...fields } = uploadFields(command);
      const blob = await openAsBlob(path);
      const release = (await call('POST', `/api/admin/releases?${new URLSearchParams(fields).toString()}`, {
        body: blob,
        type: 'application/octet-stream',
      })) as unknown as UpdateRelease;
      return [
        `Uploaded ${release.platform} ${release.version} (${release.size} bytes, sha512 checked).`,
        describe(release),
        `Offered to nobody yet: npm run central:release -- rollout ${release.id} 10`,
      ];
    }
    case 'list': {
      const { releases } = (await call('GET', '/api/admin/releases')) as unknown as {
        releases: UpdateRelease[];
      };
      return releases.length === 0 ? ['No releases yet.'] : releases.map(describe);
    }
    case 'rollout': {
      const [id, percent] = command.args as [string, string];
      const release = (await call('POST', `/api/admin/releases/${encodeURIComponent(id)}/rollout`, {
        body: JSON.stringify({ percent: Number(percent), workspaceIds: command.workspaces }),
        type: 'application/json',
      })) as unknown as UpdateRelease;
      return [describe(release)];
    }
    default: {
      const id = command.args[0]!;
      const release = (await call(
        'POST',
        `/api/admin/releases/${encodeURIComponent(id)}/${command.command}`,
      )) as unknown as UpdateRelease;
      return [describe(release)];
    }
  }
}
