import { sendsInClear, type SyncStatus } from '../../shared/sync-contract';
import type { Workspace } from '../../shared/dto';
import type { WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import type { Logger } from '../log/logger';
import type { SyncStateRow } from '../store/repositories/sync-state';
import type { Timers } from '../timers';
import type { ChangeNotifier } from './change-notifier';
import { requestEnrollment, type EnrollmentRequestOptions } from './enrollment-request';
import type { PusherPool } from './pusher-pool';
import { offStatus } from './sync-status';

/** What enrolling, leaving and the share setting work with. */
export interface EnrollmentContext extends EnrollmentRequestOptions {
  logger: Logger;
  timers: Timers;
  pool: PusherPool;
  notifier: ChangeNotifier;
  getWorkspace: (workspaceId: WorkspaceId) => Promise<Workspace>;
  status: (workspaceId: WorkspaceId) => Promise<SyncStatus>;
  /** The service is started and not stopped: a new enrollment starts pushing at once. */
  pushing: () => boolean;
}

export async function enroll(
  ctx: EnrollmentContext,
  workspaceId: WorkspaceId,
  serverUrl: string,
  code: string,
  allowInsecure: boolean,
): Promise<SyncStatus> {
  const workspace = await ctx.getWorkspace(workspaceId);
  const log = ctx.logger.child({ workspaceId });
  if (sendsInClear(serverUrl)) checkPlainHttp(log, serverUrl, allowInsecure);
  const response = await requestEnrollment(ctx, log, serverUrl, code, workspace);
  const previous = await ctx.repo.get(workspaceId);
  // The same central workspace again (enrolling again after "needs attention"): resume where the
  // server is; it would drop the repeats anyway, but they need not travel.
  const resumeFrom = sameTarget(previous, serverUrl, response.workspaceId) ? previous!.lastAckedSeq : 0;
  await ctx.pool.stop(workspaceId);
  const now = Math.max(ctx.timers.now(), (previous?.enrolledAt ?? 0) + 1);
  await ctx.repo.save(
    workspaceId,
    {
      serverUrl,
      centralWorkspaceId: response.workspaceId,
      centralWorkspaceName: response.workspaceName,
      tokenSealed: ctx.secrets.seal(response.workspaceToken),
      lastAckedSeq: resumeFrom,
    },
    now,
  );
  ctx.pool.forgetIdle(workspaceId);
  log.info(
    'sync.enrolled',
    `Enrolled with the central server at ${serverUrl} as "${response.workspaceName}"`,
    {
      serverUrl,
      centralWorkspaceId: response.workspaceId,
      centralWorkspaceName: response.workspaceName,
      resumeFromSeq: resumeFrom,
    },
  );
  if (ctx.pushing()) await ctx.pool.start(workspaceId);
  ctx.notifier.notify(workspaceId, true);
  return ctx.status(workspaceId);
}

/** Plain http to another computer is refused unless the owner chose it, which is logged. */
function checkPlainHttp(log: Logger, serverUrl: string, allowInsecure: boolean): void {
  if (!allowInsecure) {
    log.warn('sync.enroll_failed', 'Refused to enroll over plain http to another computer', {
      serverUrl,
      reason: 'insecure',
    });
    throw new SwitchboardError(
      'VALIDATION',
      `${serverUrl} is plain http on another computer: the enrollment code and this computer's key ` +
        'would cross the network unencrypted. Use the https:// address, or tick "Send over plain ' +
        'http" if this network is yours alone.',
      { serverUrl },
    );
  }
  log.warn(
    'sync.insecure_enroll',
    `The owner chose to enroll over plain http with ${serverUrl}: the code and key travel unencrypted`,
    { serverUrl },
  );
}

export async function leave(ctx: EnrollmentContext, workspaceId: WorkspaceId): Promise<SyncStatus> {
  await ctx.getWorkspace(workspaceId);
  await ctx.pool.stop(workspaceId);
  const row = await ctx.repo.get(workspaceId);
  if (await ctx.repo.remove(workspaceId)) {
    ctx.logger
      .child({ workspaceId })
      .info('sync.left', `Stopped pushing to the central server at ${row?.serverUrl ?? '?'}`, {
        serverUrl: row?.serverUrl ?? null,
        lastAckedSeq: row?.lastAckedSeq ?? null,
      });
  }
  ctx.pool.forgetIdle(workspaceId);
  ctx.notifier.notify(workspaceId, true);
  return offStatus(workspaceId);
}

export async function setShareMessageText(
  ctx: EnrollmentContext,
  workspaceId: WorkspaceId,
  share: boolean,
): Promise<SyncStatus> {
  await ctx.getWorkspace(workspaceId);
  if (!(await ctx.repo.setShareMessageText(workspaceId, share, ctx.timers.now()))) {
    throw new SwitchboardError(
      'CONFLICT',
      'This business is not enrolled with a central server. Enroll it first, then choose what to share.',
    );
  }
  ctx.logger
    .child({ workspaceId })
    .info(
      'sync.settings',
      share
        ? 'Message texts will be shared with the central server from now on'
        : 'Message texts will no longer be shared with the central server',
      { shareMessageText: share },
    );
  ctx.notifier.notify(workspaceId, true);
  return ctx.status(workspaceId);
}

function sameTarget(
  previous: SyncStateRow | undefined,
  serverUrl: string,
  centralWorkspaceId: string,
): boolean {
  return (
    previous !== undefined &&
    previous.serverUrl === serverUrl &&
    previous.centralWorkspaceId === centralWorkspaceId
  );
}
