import { hostname } from 'node:os';
import {
  enrollResponse,
  syncErrorBody,
  type EnrollRequest,
  type EnrollResponse,
} from '../../shared/sync-protocol';
import type { Workspace } from '../../shared/dto';
import { SwitchboardError } from '../errors';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import type {
  createSyncDirectory,
  SyncStateRepository,
  SyncStateRow,
} from '../store/repositories/sync-state';
import { errorMessageOf } from './ingest-outcome';
import { SyncNetworkError, type SyncHttpResponse, type SyncTransport } from './transport';

export interface EnrollmentRequestOptions {
  repo: SyncStateRepository;
  directory: ReturnType<typeof createSyncDirectory>;
  secrets: SecretBox;
  transport: SyncTransport;
  installationId: () => Promise<string>;
  installationName?: string;
  appVersion?: string;
  timeoutMs: number;
}

/** Why the server did not enroll: the error's code, the owner's words, and what to log. */
interface Refusal {
  refused: true;
  code: SwitchboardError['code'];
  message: string;
  meta: Record<string, unknown>;
}

/**
 * Asks the central server to enroll a workspace with a code. Resolves with the server's answer, or
 * throws a SwitchboardError that tells the owner what to do (and logs it to the workspace's log).
 */
export async function requestEnrollment(
  options: EnrollmentRequestOptions,
  log: Logger,
  serverUrl: string,
  code: string,
  workspace: Workspace,
): Promise<EnrollResponse> {
  const answer = await postEnrollment(options, serverUrl, code, workspace);
  const refusal = 'refused' in answer ? answer : readEnrollAnswer(serverUrl, answer);
  if (!('refused' in refusal)) return refusal;
  log.warn('sync.enroll_failed', refusal.message, { serverUrl, ...refusal.meta });
  throw new SwitchboardError(refusal.code, refusal.message, { serverUrl });
}

async function postEnrollment(
  options: EnrollmentRequestOptions,
  serverUrl: string,
  code: string,
  workspace: Workspace,
): Promise<SyncHttpResponse | Refusal> {
  const request: EnrollRequest = {
    code,
    installation: {
      id: await options.installationId(),
      name: (options.installationName ?? safeHostname()).slice(0, 200),
      appVersion: (options.appVersion ?? '0.0.0').slice(0, 50),
      platform: `${process.platform}-${process.arch}`.slice(0, 50),
    },
    localWorkspaceName: workspace.name.slice(0, 200),
  };
  try {
    const proof = (await heldToken(options, serverUrl))?.token;
    return await options.transport.post({
      url: `${serverUrl}/api/v1/enroll`,
      headers: {
        'content-type': 'application/json',
        ...(proof !== undefined && { authorization: `Bearer ${proof}` }),
      },
      body: JSON.stringify(request),
      timeoutMs: options.timeoutMs,
    });
  } catch (error) {
    const reason = error instanceof SyncNetworkError ? error.message : (error as Error).message;
    return {
      refused: true,
      code: 'UNAVAILABLE',
      message:
        `Could not reach the central server at ${serverUrl}: ${reason}. Check the address and this ` +
        "computer's internet connection, then try again.",
      meta: { reason },
    };
  }
}

/** The server's enrollment, or why there is none. */
function readEnrollAnswer(serverUrl: string, response: SyncHttpResponse): EnrollResponse | Refusal {
  let body: unknown;
  try {
    body = JSON.parse(response.text) as unknown;
  } catch {
    body = undefined;
  }
  const { status } = response;
  if (status === 200 || status === 201) {
    const parsed = enrollResponse.safeParse(body);
    if (parsed.success) return parsed.data;
  }
  const isCentralError = syncErrorBody.safeParse(body).success;
  const serverMessage = errorMessageOf(body, response.text);
  const meta = { status, serverMessage };
  if (!isCentralError || status < 400) {
    const message =
      `The server at ${serverUrl} answered (HTTP ${status}), but not like a Switchboard central server. ` +
      'Check the server address with your administrator.';
    return { refused: true, code: 'UNAVAILABLE', message, meta: { status } };
  }
  if (status === 429) {
    const message =
      'The central server is receiving too many attempts right now. Wait a minute, then try again.';
    return { refused: true, code: 'UNAVAILABLE', message, meta };
  }
  if (status >= 500) {
    const message =
      `The central server had a problem (HTTP ${status}: ${serverMessage}). Try again in a few minutes; if ` +
      'it keeps failing, tell your administrator.';
    return { refused: true, code: 'UNAVAILABLE', message, meta };
  }
  return {
    refused: true,
    code: 'VALIDATION',
    message: `The central server refused the code: ${serverMessage}`,
    meta,
  };
}

/**
 * A workspace token this installation holds (for `serverUrl` when given), the newest enrollment's: the
 * server binds an installation id to its tokens, so enrolling another workspace there must show one,
 * and the update feed knows the installation by it.
 */
export async function heldToken(
  options: Pick<EnrollmentRequestOptions, 'repo' | 'directory' | 'secrets'>,
  serverUrl?: string,
): Promise<{ serverUrl: string; token: string } | undefined> {
  let newest: SyncStateRow | undefined;
  let newestActive = false;
  for (const { workspaceId, state } of await options.directory.listEnrolled()) {
    const row = await options.repo.get(workspaceId);
    if (row === undefined || (serverUrl !== undefined && row.serverUrl !== serverUrl)) continue;
    // A token the server still takes (not "needs attention") first, then the newest.
    const active = state === 'active';
    if (
      newest === undefined ||
      (active && !newestActive) ||
      (active === newestActive && row.enrolledAt > newest.enrolledAt)
    ) {
      newest = row;
      newestActive = active;
    }
  }
  if (newest === undefined) return undefined;
  try {
    return { serverUrl: newest.serverUrl, token: options.secrets.open(newest.tokenSealed) };
  } catch {
    return undefined;
  }
}

function safeHostname(): string {
  try {
    return hostname() || 'unknown computer';
  } catch {
    return 'unknown computer';
  }
}
