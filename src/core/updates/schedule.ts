import type { WorkspaceSettings } from '../../shared/settings';
import { businessHoursNow } from '../pipeline/business-hours';
import { compareVersions, parseVersion } from './version';

/**
 * When the app checks for an update, whether it takes what the feed offers, and when it installs:
 * the desktop shell's updater only carries these decisions out.
 */

export const CHECK_INTERVAL_MS = 24 * 3_600_000;
/** A chat with a message this recent is a conversation in progress: no restart now. */
export const QUIET_MS = 15 * 60_000;

/** Checks once at start, then daily. */
export function nextCheckAt(lastCheckAt: number | null, now: number): number {
  return lastCheckAt === null ? now : Math.max(now, lastCheckAt + CHECK_INTERVAL_MS);
}

/** What the feed's channel file says, as electron-updater hands it over (extra fields kept). */
export interface OfferedUpdate {
  version: string;
  rollbackFrom?: readonly string[];
  storeSchema?: string;
}

export type DownloadDecision =
  { download: true; kind: 'update' | 'rollback'; reason: string } | { download: false; reason: string };

/**
 * Newer: download. Older: only as a rollback of the version this app runs, and only when that older
 * version knows exactly this app's database schema. A newer schema (a migration ran since) would make
 * the older app refuse the database, so such a rollback is refused: the fix is a newer release.
 */
export function downloadDecision(input: {
  currentVersion: string;
  offered: OfferedUpdate;
  /** The newest store migration this app applies (LATEST_MIGRATION). */
  storeSchema: string;
}): DownloadDecision {
  const { currentVersion, offered } = input;
  if (parseVersion(offered.version) === undefined)
    return { download: false, reason: `the feed offers "${offered.version}", which is not a version` };
  const order = compareVersions(offered.version, currentVersion);
  if (order > 0) return { download: true, kind: 'update', reason: `${offered.version} is newer` };
  if (order === 0) return { download: false, reason: `${currentVersion} is up to date` };
  if (!(offered.rollbackFrom ?? []).includes(currentVersion))
    return {
      download: false,
      reason: `${offered.version} is older and ${currentVersion} was not rolled back`,
    };
  if (offered.storeSchema !== input.storeSchema)
    return {
      download: false,
      reason:
        `${currentVersion} was rolled back, but ${offered.version} knows database schema ` +
        `${offered.storeSchema ?? '(not given)'} and this one is at ${input.storeSchema}: going back ` +
        'would leave it unable to open the data; the reseller needs to publish a fixed newer version',
    };
  return {
    download: true,
    kind: 'rollback',
    reason: `${currentVersion} was rolled back to ${offered.version}`,
  };
}

/**
 * Closing time: every workspace with business hours is closed now. Without business hours the app
 * never knows when the shop is closed, and installs only when it quits.
 */
export function shopClosed(
  workspaces: readonly Pick<WorkspaceSettings, 'timezone' | 'businessHours'>[],
  now: number,
): boolean {
  const withHours = workspaces.filter((w) => w.businessHours.enabled);
  return withHours.length > 0 && withHours.every((w) => !businessHoursNow(w, now).open);
}

export interface InstallState {
  now: number;
  /** An update is downloaded and verified. */
  downloaded: boolean;
  closed: boolean;
  /** The newest chat activity (a message in or out), or null when none since the app started. */
  lastChatActivityAt: number | null;
  /** Replies queued or being sent. */
  outboxPending: number;
}

export type InstallDecision = { install: true } | { install: false; reason: string };

/** Installing restarts the app: only at closing time, with no conversation going and nothing to send. */
export function installDecision(state: InstallState, quietMs: number = QUIET_MS): InstallDecision {
  if (!state.downloaded) return { install: false, reason: 'nothing downloaded' };
  if (!state.closed) return { install: false, reason: 'the shop is open (installs at closing time or quit)' };
  if (state.outboxPending > 0)
    return { install: false, reason: `${state.outboxPending} replies are still waiting to be sent` };
  if (state.lastChatActivityAt !== null && state.now - state.lastChatActivityAt < quietMs)
    return { install: false, reason: 'a conversation is going on' };
  return { install: true };
}
