import { createId, type IdGenerator } from '../core/ids';
import type {
  CreateEnrollmentResponse,
  EnrollResponse,
  createEnrollmentRequest,
  enrollRequest,
} from '../shared/sync-protocol';
import type { z } from 'zod';
import type { CentralDatabase } from './db/open';
import { CentralError } from './errors';
import { hashEnrollmentCode, hashWorkspaceToken, newEnrollmentCode, newWorkspaceToken } from './secrets';

const HOUR_MS = 3_600_000;

/** Makes a central workspace and the one-time code an installation enrolls it with. */
export async function createEnrollment(
  database: CentralDatabase,
  input: z.output<typeof createEnrollmentRequest>,
  now: number,
  newId: IdGenerator = createId,
): Promise<CreateEnrollmentResponse> {
  const code = newEnrollmentCode();
  const workspaceId = newId();
  const expiresAt = now + input.validForHours * HOUR_MS;
  await database.transaction(async (trx) => {
    await trx
      .insertInto('workspaces')
      .values({ id: workspaceId, name: input.workspaceName, created_at: now })
      .execute();
    await trx
      .insertInto('enrollments')
      .values({
        code_hash: hashEnrollmentCode(code),
        workspace_id: workspaceId,
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
        installation_id: null,
      })
      .execute();
  });
  return { code, workspaceId, expiresAt };
}

/**
 * Spends a one-time code: links the installation's workspace to the code's central workspace and
 * returns the workspace token (only its hash is kept). The code is claimed by a conditional update
 * (`used_at is null`), so of two requests racing with one code exactly one wins, on SQLite (one
 * writer) and on PostgreSQL (the second update waits for the first's row lock, then finds the code
 * used). A refused code leaves nothing behind: the claim and everything after it share a transaction.
 *
 * An installation is bound to the workspace tokens issued to it: once it has one, enrolling another
 * workspace under its id needs one of them (`proofTokenHash`, from the request's bearer token), or the
 * code is refused (409) and left unspent, so nobody can enroll with another installation's id and
 * rewrite its name and platform. An installation whose links are all gone may be enrolled again.
 */
export async function enroll(
  database: CentralDatabase,
  request: z.output<typeof enrollRequest>,
  now: number,
  proofTokenHash?: string,
): Promise<EnrollResponse> {
  const codeHash = hashEnrollmentCode(request.code);
  const workspaceToken = newWorkspaceToken();
  const { installation } = request;
  return database.transaction(async (trx) => {
    const claimed = await trx
      .updateTable('enrollments')
      .set({ used_at: now })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('workspace_id')
      .executeTakeFirst();
    if (claimed === undefined) {
      const enrollment = await trx
        .selectFrom('enrollments')
        .select(['used_at', 'expires_at'])
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      throw refusal(enrollment, now);
    }
    const tokens = await trx
      .selectFrom('workspace_links')
      .select('token_hash')
      .where('installation_id', '=', installation.id)
      .execute();
    if (tokens.length > 0 && !tokens.some((t) => t.token_hash === proofTokenHash)) {
      throw new CentralError(
        'CONFLICT',
        'This installation id is already enrolled here, and the request did not carry one of its ' +
          'workspace tokens. Enroll from the computer that enrolled it first (it sends its token), or ask ' +
          'the central team.',
      );
    }
    await upsertInstallation(trx, installation, now);
    await trx
      .updateTable('enrollments')
      .set({ installation_id: installation.id })
      .where('code_hash', '=', codeHash)
      .execute();
    await trx
      .insertInto('workspace_links')
      .values({
        workspace_id: claimed.workspace_id,
        installation_id: installation.id,
        token_hash: hashWorkspaceToken(workspaceToken),
        local_workspace_name: request.localWorkspaceName,
        enrolled_at: now,
        last_seen_at: null,
        backlog: 0,
      })
      .execute();
    const workspace = await trx
      .selectFrom('workspaces')
      .select('name')
      .where('id', '=', claimed.workspace_id)
      .executeTakeFirstOrThrow();
    return { workspaceId: claimed.workspace_id, workspaceName: workspace.name, workspaceToken };
  });
}

/** The installation as it says it is now: its name, version and platform, and when it was seen. */
async function upsertInstallation(
  trx: Parameters<Parameters<CentralDatabase['transaction']>[0]>[0],
  installation: z.output<typeof enrollRequest>['installation'],
  now: number,
): Promise<void> {
  // What a later enrollment of the same installation updates; first_seen_at stays the first one's.
  const seen = {
    name: installation.name,
    app_version: installation.appVersion,
    platform: installation.platform,
    last_seen_at: now,
  };
  await trx
    .insertInto('installations')
    .values({ id: installation.id, ...seen, first_seen_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet(seen))
    .execute();
}

function refusal(enrollment: { used_at: number | null; expires_at: number } | undefined, now: number) {
  if (enrollment === undefined) {
    return new CentralError(
      'UNAUTHORIZED',
      'This enrollment code is not valid. Check it for typos, or ask the central team for a new one.',
    );
  }
  if (enrollment.used_at !== null) {
    return new CentralError(
      'CONFLICT',
      'This enrollment code has already been used. Each code links one workspace once: ask the central ' +
        'team for a new one.',
    );
  }
  if (enrollment.expires_at <= now) {
    return new CentralError(
      'UNAUTHORIZED',
      `This enrollment code expired on ${new Date(enrollment.expires_at).toISOString()}. Ask the central ` +
        'team for a new one.',
    );
  }
  // Unreachable within one transaction; kept so a future reason cannot fall through silently.
  return new CentralError('CONFLICT', 'This enrollment code cannot be used now. Try again.');
}
