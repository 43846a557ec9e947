// Issue 14 #5: pages of the central SQLite file damaged while the server runs. The first query that
// meets the damage (SQLITE_CORRUPT) stops all writes (503 with Retry-After, before the database), and
// health and the dashboard say so; it used to answer 500 to reads, say ok, and keep writing.
import { openSync, writeSync, closeSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overviewPage } from '../../src/central/dashboard/overview-page';
import type { HealthResponse, SyncErrorBody } from '../../src/shared/sync-protocol';
import { makeBatch, makeEvents } from '../../src/central/testing/fixtures';
import { startTestServer, type EnrolledWorkspace, type TestServer } from './harness';

describe('a central SQLite database damaged while the server runs', () => {
  let central: TestServer;
  let shop: EnrolledWorkspace;
  beforeAll(async () => {
    central = await startTestServer('sqlite');
    shop = await central.enrolled('Damaged Shop');
    expect((await central.push(shop.token, makeBatch(shop.installation.id, makeEvents(1, 300)))).status).toBe(
      200,
    );
  });
  afterAll(() => central?.close());

  async function damageEventsTable(): Promise<void> {
    const { db } = central.database;
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    const pageSize = (await sql<{ page_size: number }>`pragma page_size`.execute(db)).rows[0]!.page_size;
    const root = (
      await sql<{ rootpage: number }>`select rootpage from sqlite_master where name = 'events'`.execute(db)
    ).rows[0]!.rootpage;
    const fd = openSync(central.database.location, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, pageSize * (root - 1));
    closeSync(fd);
    // The connection's page cache still holds the good page: let it go, as memory pressure would.
    await sql`pragma shrink_memory`.execute(db);
  }

  it('refuses writes with 503 once a read meets the damage, and says so on health and the dashboard', async () => {
    expect((await central.request<HealthResponse>('GET', '/api/v1/health')).body.ok).toBe(true);
    await damageEventsTable();
    const logged = central.logs.length;

    const read = await central.admin<SyncErrorBody>(
      'GET',
      `/api/admin/workspaces/${shop.workspaceId}/events`,
    );
    expect(read.status).toBe(503);
    expect(read.body.error.message).toMatch(/is damaged .* restores it from a backup/);
    expect(central.logs.slice(logged)).toEqual([
      expect.stringMatching(/the central database at .*central\.db is damaged .*writes are refused/),
    ]);

    // A write that would not touch the damaged pages is refused all the same, and told when to come back.
    const enrollment = await central.admin<SyncErrorBody>('POST', '/api/admin/enrollments', {
      workspaceName: 'After the damage',
      validForHours: 1,
    });
    expect(enrollment.status).toBe(503);
    expect(enrollment.headers.get('retry-after')).toBe('300');
    const push = await central.push(shop.token, makeBatch(shop.installation.id, makeEvents(301, 5)));
    expect(push.status).toBe(503);
    const names = await central.database.db.selectFrom('workspaces').select('name').execute();
    expect(names.map((n) => n.name)).not.toContain('After the damage');

    const health = await central.request<HealthResponse>('GET', '/api/v1/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ ok: false, problem: expect.stringContaining('damaged') });

    const signIn = await central.request<string>('POST', '/login', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: central.adminToken }).toString(),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const home = await central.request<string>('GET', '/', { headers: { Cookie: cookie } });
    // The overview reads the damaged table, so the error page says it; a page that can render says it first.
    expect(home.status).toBe(503);
    expect(home.body).toMatch(/The central database is damaged .* restores it from a backup/);
    const overview = overviewPage({
      workspaces: [],
      installations: [],
      now: 0,
      damaged: 'disk image is malformed',
    });
    expect(overview).toMatch(
      /class="notice bad" role="alert">The central database is damaged \(disk image is malformed\)/,
    );
  });
});
