// The central server as its own process, killed with SIGKILL while batches are in flight: every batch
// is either wholly stored or not at all, and after a restart the client's resend stores each event
// exactly once. On SQLite (a file in WAL mode) and PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openCentralDatabase } from '../../src/central/db/open';
import { newAdminToken } from '../../src/central/secrets';
import { createTestTarget, TEST_DIALECTS, type TestTarget } from '../../src/central/testing/databases';
import { makeBatch, makeEvents, makeInstallation } from '../../src/central/testing/fixtures';
import type { IngestRequest, IngestResponse } from '../../src/shared/sync-protocol';

const ROOT = join(import.meta.dirname, '..', '..');
const WORKSPACES = 3;
const BATCHES = 5;
const BATCH = 1_000;

interface Child {
  process: ChildProcess;
  url: string;
  exited: Promise<void>;
}

function startChild(target: TestTarget, adminToken: string): Promise<Child> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join('src', 'central', 'main.ts'), '--port', '0', ...target.childArgs],
    {
      cwd: ROOT,
      env: { ...process.env, CENTRAL_ADMIN_TOKEN: adminToken, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the central server did not start: ${stderr}`)), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the central server exited (${code}) before listening: ${stderr}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^Listening on (http:\/\/\S+)$/.exec(line);
      if (match === null) return;
      clearTimeout(timer);
      resolve({ process: child, url: match[1]!, exited });
    });
  });
}

async function post<T>(url: string, token: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Each workspace's stored seqs, and whether its day counters agree with the events stored. */
async function inspect(target: TestTarget, workspaceIds: string[]) {
  const database = await openCentralDatabase(target.config);
  try {
    const result = new Map<string, { seqs: number[]; countersMatch: boolean }>();
    for (const id of workspaceIds) {
      const seqs = (
        await database.db
          .selectFrom('events')
          .select('seq')
          .where('workspace_id', '=', id)
          .orderBy('seq')
          .execute()
      ).map((r) => r.seq);
      const received = await database.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', id)
        .where('type', '=', 'message.received')
        .executeTakeFirstOrThrow();
      const counted = await database.db
        .selectFrom('daily_counts')
        .select((eb) => eb.fn.sum<number>('messages_in').as('n'))
        .where('workspace_id', '=', id)
        .executeTakeFirstOrThrow();
      result.set(id, { seqs, countersMatch: Number(received.n) === Number(counted.n ?? 0) });
    }
    return result;
  } finally {
    await database.close();
  }
}

/**
 * PostgreSQL: the test holds a row lock on one installation, so that installation's first ingest
 * transaction inserts its 1,000 events and then waits on the lock, uncommitted. That is when the
 * server gets killed (deterministic: a batch half-way through its transaction).
 */
async function holdInstallationRow(
  target: TestTarget,
  installationId: string,
): Promise<{ release(): Promise<void> } | undefined> {
  if (target.config.kind !== 'postgres') return undefined;
  const client = new pg.Client({ connectionString: target.config.url });
  await client.connect();
  await client.query('begin');
  await client.query(`select 1 from ${target.config.schema!}.installations where id = $1 for update`, [
    installationId,
  ]);
  return {
    async release() {
      await client.query('rollback');
      await client.end();
    },
  };
}

/**
 * Kills the server inside an ingest transaction. PostgreSQL: once a backend of ours waits on the
 * locked installation row (its batch inserted, not committed). SQLite: the file's write lock is probed
 * with BEGIN IMMEDIATE and no busy timeout; SQLITE_BUSY means the server is inside a write
 * transaction right now, and it is killed at once (a transaction here lasts milliseconds, the probe
 * microseconds, so the kill lands inside one almost always; the assertions hold wherever it lands).
 */
async function killMidTransaction(target: TestTarget, child: Child): Promise<void> {
  const deadline = Date.now() + 20_000;
  if (target.config.kind === 'postgres') {
    const client = new pg.Client({ connectionString: target.config.url });
    await client.connect();
    try {
      for (;;) {
        const { rows } = await client.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity
           where application_name = $1 and wait_event_type = 'Lock' and query ilike 'update "installations"%'`,
          [target.config.schema],
        );
        if (Number(rows[0]!.n) > 0) break;
        if (Date.now() > deadline) throw new Error('no ingest transaction ever waited on the locked row');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await client.end();
    }
    child.process.kill('SIGKILL');
    await child.exited;
    return;
  }
  const probe = new BetterSqlite3(target.config.path, { timeout: 0 });
  try {
    for (;;) {
      try {
        probe.exec('begin immediate');
        probe.exec('rollback');
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        child.process.kill('SIGKILL');
        break;
      }
      if (Date.now() > deadline) throw new Error('the server never held the write lock');
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    probe.close();
  }
  await child.exited;
}

let target: TestTarget | undefined;
const children: Child[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
  await target?.cleanup();
  target = undefined;
});

describe.each(TEST_DIALECTS)('central server killed mid-batch (%s)', (kind) => {
  it('keeps each batch whole, and a resend after restart stores every event exactly once', async () => {
    target = await createTestTarget(kind);
    const adminToken = newAdminToken();
    let child = await startChild(target, adminToken);
    children.push(child);

    const workspaces: { id: string; token: string; installationId: string; batches: IngestRequest[] }[] = [];
    for (let w = 0; w < WORKSPACES; w++) {
      const code = await post<{ code: string }>(`${child.url}/api/admin/enrollments`, adminToken, {
        workspaceName: `Shop ${w}`,
      });
      const installation = makeInstallation();
      const enrolled = await post<{ workspaceId: string; workspaceToken: string }>(
        `${child.url}/api/v1/enroll`,
        '',
        {
          code: code.body.code,
          installation,
          localWorkspaceName: `Shop ${w}`,
        },
      );
      expect(enrolled.status).toBe(200);
      const batches = Array.from({ length: BATCHES }, (_, b) =>
        makeBatch(
          installation.id,
          makeEvents(b * BATCH + 1, BATCH, { meta: JSON.stringify({ pad: 'p'.repeat(400), w, b }) }),
        ),
      );
      workspaces.push({
        id: enrolled.body.workspaceId,
        token: enrolled.body.workspaceToken,
        installationId: installation.id,
        batches,
      });
    }

    // Every workspace pushes its batches one after another, all at once, and the server is killed
    // while it is inside an ingest transaction (see killMidTransaction).
    const acked = new Map<string, Set<number>>(workspaces.map((w) => [w.id, new Set()]));
    const blocker = await holdInstallationRow(target, workspaces[0]!.installationId);
    const pushing = workspaces.map(async (w) => {
      for (const [b, batch] of w.batches.entries()) {
        const reply = await post<IngestResponse>(`${child.url}/api/v1/ingest`, w.token, batch).catch(
          () => undefined,
        );
        if (reply === undefined) return;
        expect(reply.status).toBe(200);
        acked.get(w.id)!.add(b);
      }
    });
    await killMidTransaction(target, child);
    await blocker?.release();
    await Promise.all(pushing);

    const afterCrash = await inspect(
      target,
      workspaces.map((w) => w.id),
    );
    let storedBatches = 0;
    for (const w of workspaces) {
      const { seqs, countersMatch } = afterCrash.get(w.id)!;
      expect(countersMatch).toBe(true);
      const perBatch = new Map<number, number>();
      for (const seq of seqs)
        perBatch.set(Math.floor((seq - 1) / BATCH), (perBatch.get(Math.floor((seq - 1) / BATCH)) ?? 0) + 1);
      // Whole batches only, and every acknowledged batch among them.
      for (const count of perBatch.values()) expect(count).toBe(BATCH);
      for (const b of acked.get(w.id)!) expect(perBatch.get(b)).toBe(BATCH);
      storedBatches += perBatch.size;
    }
    expect(storedBatches).toBeLessThan(WORKSPACES * BATCHES);
    // The blocked installation's first batch was half-way through its transaction: none of it is kept.
    if (kind === 'postgres') expect(afterCrash.get(workspaces[0]!.id)!.seqs).toEqual([]);

    child = await startChild(target, adminToken);
    children.push(child);
    await Promise.all(
      workspaces.map(async (w) => {
        for (const [b, batch] of w.batches.entries()) {
          const reply = await post<IngestResponse>(`${child.url}/api/v1/ingest`, w.token, batch);
          expect(reply.status).toBe(200);
          expect(reply.body.ackedSeq).toBeGreaterThanOrEqual((b + 1) * BATCH);
        }
      }),
    );
    const afterResend = await inspect(
      target,
      workspaces.map((w) => w.id),
    );
    for (const w of workspaces) {
      const { seqs, countersMatch } = afterResend.get(w.id)!;
      expect(seqs).toEqual(Array.from({ length: BATCHES * BATCH }, (_, i) => i + 1));
      expect(countersMatch).toBe(true);
    }
    child.process.kill('SIGTERM');
    await child.exited;
  }, 60_000);
});
