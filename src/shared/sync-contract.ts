import { z } from 'zod';
import { workspaceIdInput } from './contract-ids';
import type { WorkspaceId } from './types';
import { command } from './command-spec';

/**
 * The central sync part of the contract: the commands the Settings screen's "Central sync"
 * section calls, the status they return and the event that tells the screen to reload. contract.ts
 * spreads `syncCommands` into its command map and merges `SyncEvents` into its `Events`, so every
 * binding and the renderer's client see them like any other command. This file must not import
 * contract.ts (that would be an import cycle); its helpers are the same shape as contract.ts's.
 */

/** What the pusher is doing for a workspace. */
export type SyncPhase =
  /** Not enrolled with a central server. */
  | 'off'
  /** Everything pushed; waiting for new events. */
  | 'idle'
  | 'pushing'
  /** A large backlog (after days offline, or a first enrollment) is going out batch by batch. */
  | 'catching-up'
  /** The last attempt failed; the next one is at `nextAttemptAt`. Events wait on disk. */
  | 'retrying'
  /** The server refused this computer's key: nothing is pushed until the workspace is enrolled again. */
  | 'needs-attention';

export interface SyncStatus {
  workspaceId: WorkspaceId;
  enrolled: boolean;
  phase: SyncPhase;
  serverUrl: string | null;
  centralWorkspaceId: string | null;
  centralWorkspaceName: string | null;
  enrolledAt: number | null;
  /** Whether message texts go with the events (off by default: only the events' own summaries do). */
  shareMessageText: boolean;
  /** The highest event seq the central server has confirmed it stored. */
  lastAckedSeq: number;
  /** Events of this workspace waiting to be pushed. */
  backlog: number;
  lastSuccessAt: number | null;
  /** What went wrong last, in words that say what to do; cleared by the next success. */
  lastError: { message: string; at: number } | null;
  /** When the next attempt starts (UTC ms), while retrying. */
  nextAttemptAt: number | null;
  /** While catching up: events pushed since it started, of `total` (pushed + still waiting). */
  catchingUp: { done: number; total: number } | null;
}

/** A field the owner types or pastes, trimmed: missing or empty is "required", over `max` is too long. */
const requiredText = (label: string, max: number) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is too long (at most ${max} characters)`);

/** The central server's address: http(s) only, no credentials, query or fragment; no trailing slash. */
export const serverUrlInput = requiredText('Server address', 500)
  .pipe(
    z.url({
      protocol: /^https?$/,
      error: 'Server address must be a web address starting with http:// or https://',
    }),
  )
  .refine((value) => {
    const url = parseUrl(value);
    // A value z.url() refused already has its issue; zod 4 still runs this check on it.
    return (
      url === undefined ||
      (url.username === '' && url.password === '' && url.search === '' && url.hash === '')
    );
  }, 'Server address must not contain a user name, password, ? or #')
  .transform((value) => {
    const url = parseUrl(value);
    return url === undefined ? value : `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  });

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * True for a plain http address of another computer: the code and then the workspace token would cross
 * the network in clear. Loopback (localhost, 127.x, ::1) stays allowed; `sync.enroll` refuses the rest
 * unless `allowInsecure` (the owner's explicit, logged choice).
 */
export function sendsInClear(serverUrl: string): boolean {
  const url = parseUrl(serverUrl);
  if (url?.protocol !== 'http:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return !(host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1');
}

/** The one-time enrollment code from the central team, e.g. 7KQ2-M9XD-4TNB-H3WE (any case, spaces allowed). */
export const enrollmentCodeInput = requiredText('Enrollment code', 64)
  .refine(
    (value) => /^[A-Za-z0-9][A-Za-z0-9 -]*$/.test(value),
    'An enrollment code has only letters, digits and dashes, like 7KQ2-M9XD-4TNB-H3WE',
  )
  .refine(
    (value) => value.replace(/[\s-]/g, '').length >= 6,
    'That enrollment code is too short: it looks like 7KQ2-M9XD-4TNB-H3WE',
  );

const workspaceRef = z.strictObject({ workspaceId: workspaceIdInput });

export const syncCommands = {
  'sync.status': command<SyncStatus>()(workspaceRef),
  /** Spends a one-time code from the central team: the workspace starts pushing its log there. */
  'sync.enroll': command<SyncStatus>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      serverUrl: serverUrlInput,
      code: enrollmentCodeInput,
      /** The owner accepts plain http to another computer (see sendsInClear); logged. */
      allowInsecure: z.boolean().optional(),
    }),
  ),
  /** Stops pushing and forgets the server and its key (events already pushed stay on the server). */
  'sync.leave': command<SyncStatus>()(workspaceRef),
  'sync.update': command<SyncStatus>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      shareMessageText: z.boolean({ error: 'shareMessageText must be true or false' }),
    }),
  ),
};

export interface SyncEvents {
  /** A workspace's sync status changed (enrolled, pushed, failed, left): `sync.status` reads it. */
  'sync.changed': { workspaceId: WorkspaceId };
}
