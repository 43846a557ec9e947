import { createHash } from 'node:crypto';
import { compareVersions } from './version';

/**
 * What the update feed says to one installation: which release it is offered, in electron-updater's
 * generic provider format (`latest*.yml`). The central server decides per request; this module is the
 * whole decision, so the server only reads rows and writes the answer.
 */

/** electron-updater asks for one channel file per platform (GenericProvider.getChannelFilePrefix). */
export const CHANNEL_FILES = {
  win: 'latest.yml',
  mac: 'latest-mac.yml',
  linux: 'latest-linux.yml',
  'linux-arm64': 'latest-linux-arm64.yml',
} as const;
export type UpdatePlatform = keyof typeof CHANNEL_FILES;
export const UPDATE_PLATFORMS = Object.keys(CHANNEL_FILES) as UpdatePlatform[];

export function platformOfChannelFile(name: string): UpdatePlatform | undefined {
  return UPDATE_PLATFORMS.find((p) => CHANNEL_FILES[p] === name);
}

/**
 * What a latest*.yml electron-builder wrote says of its installer: the platform from the file's name,
 * version, the installer's file name (`path`) and its sha512. Undefined when it is not one.
 */
export function parseChannelFile(
  fileName: string,
  text: string,
): { platform: UpdatePlatform; version: string; file: string; sha512: string } | undefined {
  // electron-builder writes these as plain top-level scalars.
  const field = (name: string): string | undefined =>
    new RegExp(`^${name}:\\s*['"]?([^'"\\n]+?)['"]?\\s*$`, 'm').exec(text)?.[1];
  const platform = platformOfChannelFile(fileName);
  const version = field('version');
  const file = field('path');
  const sha512 = field('sha512');
  if (platform === undefined || version === undefined || file === undefined || sha512 === undefined)
    return undefined;
  return { platform, version, file, sha512 };
}

/**
 * `live`: offered to its rollout. `paused`: offered to nobody new (installations that already have it
 * keep it: the feed shows them an older version they do not downgrade to). `rolled-back`: offered to
 * nobody, and installations running it are told to go back (see `rollbackFrom`).
 */
export type ReleaseState = 'live' | 'paused' | 'rolled-back';

export interface RolloutRelease {
  version: string;
  state: ReleaseState;
  /** 0-100: the share of installations offered it, besides the allow-listed workspaces. */
  percent: number;
  /** Workspaces whose installations are offered it whatever the percentage (pilot shops). */
  workspaceIds: readonly string[];
}

export interface FeedAsker {
  installationId: string;
  /** Every central workspace this installation pushes into. */
  workspaceIds: readonly string[];
}

/**
 * Where an installation falls in a release's rollout, in [0, 100): the same answer on every request.
 * The version is part of the hash so the same shops are not always the first to get a new release.
 */
export function rolloutBucket(installationId: string, version: string): number {
  const digest = createHash('sha256').update(`${version}\n${installationId}`).digest();
  return (digest.readUInt32BE(0) / 0x1_0000_0000) * 100;
}

export function isOffered(release: RolloutRelease, asker: FeedAsker): boolean {
  if (release.state !== 'live') return false;
  if (release.workspaceIds.some((id) => asker.workspaceIds.includes(id))) return true;
  return rolloutBucket(asker.installationId, release.version) < release.percent;
}

export interface FeedChoice<R extends RolloutRelease> {
  release: R;
  /**
   * Rolled-back versions newer than the offered one: an installation running one of them may go back
   * to the offered version (electron-updater would otherwise never install an older one).
   */
  rollbackFrom: string[];
}

/** The newest live release offered to this installation, or undefined when none is. */
export function chooseRelease<R extends RolloutRelease>(
  releases: readonly R[],
  asker: FeedAsker,
): FeedChoice<R> | undefined {
  const newestFirst = [...releases].sort((a, b) => compareVersions(b.version, a.version));
  const release = newestFirst.find((r) => isOffered(r, asker));
  if (release === undefined) return undefined;
  const rollbackFrom = newestFirst
    .filter((r) => r.state === 'rolled-back' && compareVersions(r.version, release.version) > 0)
    .map((r) => r.version);
  return { release, rollbackFrom };
}

export interface FeedRelease extends RolloutRelease {
  fileName: string;
  /** Base64 SHA-512 of the file, as electron-updater checks it (DigestTransform, sha512/base64). */
  sha512: string;
  size: number;
  /** When it was uploaded (UTC ms). */
  releasedAt: number;
  notes: string;
  /** The newest core store migration this version knows: a rollback is safe only to the same one. */
  storeSchema: string | null;
}

/**
 * The channel file's text. Every string is written as a JSON string, which is a valid YAML
 * double-quoted scalar, so a version, note or file name can never break out of its field.
 * `path`/`sha512` at the top repeat the file for electron-updater's older readers.
 */
export function feedYaml(choice: FeedChoice<FeedRelease>): string {
  const { release, rollbackFrom } = choice;
  const q = (text: string): string => JSON.stringify(text);
  const lines = [
    `version: ${q(release.version)}`,
    'files:',
    `  - url: ${q(release.fileName)}`,
    `    sha512: ${q(release.sha512)}`,
    `    size: ${release.size}`,
    `path: ${q(release.fileName)}`,
    `sha512: ${q(release.sha512)}`,
    `releaseDate: ${q(new Date(release.releasedAt).toISOString())}`,
  ];
  if (release.notes !== '') lines.push(`releaseNotes: ${q(release.notes)}`);
  if (release.storeSchema !== null) lines.push(`storeSchema: ${q(release.storeSchema)}`);
  if (rollbackFrom.length > 0) lines.push('rollbackFrom:', ...rollbackFrom.map((v) => `  - ${q(v)}`));
  return `${lines.join('\n')}\n`;
}

/**
 * Installer file names as electron-builder writes them (`Switchboard-Setup-1.4.0.exe`): one path
 * segment, no dot-files, nothing a file system or a URL would read as a folder.
 */
export function checkFileName(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._ +-]{0,199}$/.test(name) || name.includes('..'))
    return `"${name}" is not an installer file name: use letters, digits, dots, dashes and spaces only, e.g. Switchboard-Setup-1.4.0.exe`;
  return undefined;
}
