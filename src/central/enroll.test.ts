import { describe, expect, it } from 'vitest';
import type { CentralDatabase } from './db/open';
import { createEnrollment, enroll } from './enroll';
import { CentralError } from './errors';
import { hashWorkspaceToken, normalizeEnrollmentCode } from './secrets';
import { TEST_DIALECTS } from './testing/databases';
import { useTestDatabase } from './testing/suite-database';
import { FIXED_NOW, makeInstallation } from './testing/fixtures';

const HOUR = 3_600_000;

describe.each(TEST_DIALECTS)('enrollment (%s)', (kind) => {
  let database: CentralDatabase;
  useTestDatabase(kind, (opened) => void (database = opened));

  const count = async (table: 'workspace_links' | 'installations', installationId: string) =>
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(table === 'installations' ? 'id' : 'installation_id', '=', installationId)
        .executeTakeFirstOrThrow()
    ).n;
  const installationRow = (id: string) =>
    database.db.selectFrom('installations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('makes a workspace and a code; the code enrolls once and returns a token whose hash alone is stored', async () => {
    const created = await createEnrollment(
      database,
      { workspaceName: 'Chidi Pharmacy', validForHours: 72 },
      FIXED_NOW,
    );
    expect(created.code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(created.expiresAt).toBe(FIXED_NOW + 72 * HOUR);
    const installation = makeInstallation();
    // Typed the way a person might: lower case, spaces instead of dashes.
    const typed = created.code.toLowerCase().replace(/-/g, ' ');
    const result = await enroll(
      database,
      { code: typed, installation, localWorkspaceName: 'Chidi' },
      FIXED_NOW + HOUR,
    );
    expect(result).toMatchObject({ workspaceId: created.workspaceId, workspaceName: 'Chidi Pharmacy' });
    expect(result.workspaceToken).toMatch(/^sbw_[A-Za-z0-9_-]{43}$/);

    const link = await database.db
      .selectFrom('workspace_links')
      .selectAll()
      .where('installation_id', '=', installation.id)
      .executeTakeFirstOrThrow();
    expect(link).toMatchObject({
      workspace_id: created.workspaceId,
      local_workspace_name: 'Chidi',
      enrolled_at: FIXED_NOW + HOUR,
      backlog: 0,
    });
    expect(link.token_hash).toBe(hashWorkspaceToken(result.workspaceToken));
    expect(JSON.stringify(await database.db.selectFrom('enrollments').selectAll().execute())).not.toContain(
      normalizeEnrollmentCode(created.code),
    );
    const inst = await installationRow(installation.id);
    expect(inst).toMatchObject({
      name: installation.name,
      app_version: '0.1.0',
      first_seen_at: FIXED_NOW + HOUR,
    });
    expect(typeof inst.first_seen_at).toBe('number');

    const again = makeInstallation();
    await expect(
      enroll(
        database,
        { code: created.code, installation: again, localWorkspaceName: 'x' },
        FIXED_NOW + 2 * HOUR,
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT', status: 409 });
    expect(await count('installations', again.id)).toBe(0);
  });

  it("binds an installation to its tokens: another's id cannot enroll or rewrite its name and platform", async () => {
    const code = async () =>
      (await createEnrollment(database, { workspaceName: 'Shop', validForHours: 72 }, FIXED_NOW)).code;
    const pc = makeInstallation({ name: 'Front desk PC', platform: 'win32-x64' });
    const first = await enroll(
      database,
      { code: await code(), installation: pc, localWorkspaceName: 'A' },
      FIXED_NOW,
    );
    // Someone else claiming that id, with a good code of their own: refused, the code left unspent.
    const forgedCode = await code();
    const forged = { ...pc, name: 'Attacker laptop', platform: 'linux-x64' };
    for (const proof of [undefined, hashWorkspaceToken(`sbw_${'x'.repeat(43)}`)]) {
      await expect(
        enroll(
          database,
          { code: forgedCode, installation: forged, localWorkspaceName: 'B' },
          FIXED_NOW,
          proof,
        ),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
    }
    expect(await installationRow(pc.id)).toMatchObject({ name: 'Front desk PC', platform: 'win32-x64' });
    expect(await count('workspace_links', pc.id)).toBe(1);

    // The installation itself, showing its token, enrolls a second workspace (and may rename itself).
    const renamed = { ...pc, name: 'Front desk PC (new)' };
    await enroll(
      database,
      { code: forgedCode, installation: renamed, localWorkspaceName: 'B' },
      FIXED_NOW,
      hashWorkspaceToken(first.workspaceToken),
    );
    expect(await installationRow(pc.id)).toMatchObject({
      name: 'Front desk PC (new)',
      platform: 'win32-x64',
    });
    expect(await count('workspace_links', pc.id)).toBe(2);
  });

  it('refuses a wrong or expired code and creates nothing', async () => {
    const created = await createEnrollment(
      database,
      { workspaceName: 'Ada Boutique', validForHours: 1 },
      FIXED_NOW,
    );
    const installation = makeInstallation();
    const wrong = await enroll(
      database,
      { code: 'AAAA-BBBB-CCCC-DDDD', installation, localWorkspaceName: 'Ada' },
      FIXED_NOW,
    ).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(CentralError);
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('not valid') });
    const expired = await enroll(
      database,
      { code: created.code, installation, localWorkspaceName: 'Ada' },
      FIXED_NOW + HOUR,
    ).catch((e: unknown) => e);
    expect(expired).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('expired') });
    expect(await count('installations', installation.id)).toBe(0);
    expect(await count('workspace_links', installation.id)).toBe(0);
    const enrollment = await database.db
      .selectFrom('enrollments')
      .selectAll()
      .where('workspace_id', '=', created.workspaceId)
      .executeTakeFirstOrThrow();
    expect(enrollment.used_at).toBeNull();
  });

  it('lets exactly one of many concurrent uses of a code win', async () => {
    const created = await createEnrollment(
      database,
      { workspaceName: 'Mama Put Kitchen', validForHours: 24 },
      FIXED_NOW,
    );
    const installations = Array.from({ length: 8 }, () => makeInstallation());
    const results = await Promise.allSettled(
      installations.map((installation) =>
        enroll(database, { code: created.code, installation, localWorkspaceName: 'Kitchen' }, FIXED_NOW + 1),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as CentralError).code)).toEqual(Array(7).fill('CONFLICT'));
    const links = await database.db
      .selectFrom('workspace_links')
      .selectAll()
      .where('workspace_id', '=', created.workspaceId)
      .execute();
    expect(links).toHaveLength(1);
    const stray = await database.db
      .selectFrom('installations')
      .select('id')
      .where(
        'id',
        'in',
        installations.map((i) => i.id),
      )
      .execute();
    expect(stray).toHaveLength(1);
  });
});
