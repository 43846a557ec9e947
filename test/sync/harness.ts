// The push client (src/core/sync) against the real central server (src/central) on 127.0.0.1: in this
// process (stopped and started again on the same port and database) or as its own process (killed with
// SIGKILL). The shop side is a whole core built by createSwitchboard, as the desktop app builds it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openCentralDatabase, type CentralDatabase, type DatabaseKind } from '../../src/central/db/open';
import { newAdminToken } from '../../src/central/secrets';
import { createCentralServer, type CentralServer } from '../../src/central/server';
import { createTestTarget, type TestTarget } from '../../src/central/testing/databases';
import { createSwitchboard, type Switchboard, type SwitchboardOptions } from '../../src/core/app';
import type { NewEvent } from '../../src/core/store/repositories/event-log';
import { makeTempDir } from '../../src/core/testing/temp-files';
import type { SyncStatus } from '../../src/shared/sync-contract';
import type { WorkspaceId } from '../../src/shared/types';

const ROOT = join(import.meta.dirname, '..', '..');
const NO_LIMITS = { ratePerSecond: 1_000_000, burst: 1_000_000 };

export interface Central {
  readonly kind: DatabaseKind;
  readonly url: string;
  readonly adminToken: string;
  /** Ingest requests that reached the server (in-process servers only). */
  readonly ingestRequests: number;
  /** Stops answering: the port refuses connections until `start()`. */
  stop(): Promise<void>;
  /** Listens again on the same port, with the same database. */
  start(): Promise<void>;
  /** Moves the server's clock (in-process servers only). */
  advanceClock(ms: number): void;
  createCode(workspaceName: string, validForHours?: number): Promise<string>;
  /** Revokes the workspace tokens of a central workspace (their links removed; in-process servers only). */
  revokeTokens(centralWorkspaceId: string): Promise<void>;
  /** The seqs the server stored for a central workspace, ascending. */
  storedSeqs(centralWorkspaceId: string): Promise<number[]>;
  storedEvents(
    centralWorkspaceId: string,
  ): Promise<{ seq: number; type: string; message: string; text: string | null }[]>;
  close(): Promise<void>;
}

async function postJson<T>(url: string, body: unknown, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token !== undefined && { Authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

function centralQueries(database: () => Promise<{ db: CentralDatabase; done: () => Promise<void> }>) {
  return {
    async storedSeqs(centralWorkspaceId: string): Promise<number[]> {
      const { db, done } = await database();
      try {
        const rows = await db.db
          .selectFrom('events')
          .select('seq')
          .where('workspace_id', '=', centralWorkspaceId)
          .orderBy('seq')
          .execute();
        return rows.map((r) => Number(r.seq));
      } finally {
        await done();
      }
    },
    async storedEvents(centralWorkspaceId: string) {
      const { db, done } = await database();
      try {
        const rows = await db.db
          .selectFrom('events')
          .select(['seq', 'type', 'message', 'text'])
          .where('workspace_id', '=', centralWorkspaceId)
          .orderBy('seq')
          .execute();
        return rows.map((r) => ({ seq: Number(r.seq), type: r.type, message: r.message, text: r.text }));
      } finally {
        await done();
      }
    },
  };
}

/** The central server in this process, on a test database (a SQLite file, or a PostgreSQL schema). */
export async function startCentral(kind: DatabaseKind): Promise<Central> {
  const target = await createTestTarget(kind);
  const database = await openCentralDatabase(target.config);
  const adminToken = newAdminToken();
  let now = Date.now();
  const clock = { now: () => now };
  let ingestRequests = 0;
  let server: CentralServer | undefined;
  let port = 0;
  let url = '';

  const start = async (): Promise<void> => {
    server = createCentralServer({
      database,
      adminToken,
      clock,
      rateLimits: { ingest: NO_LIMITS, anonymous: NO_LIMITS },
      log: (line) => process.stderr.write(`[central] ${line}\n`),
    });
    server.server.on('request', (req) => {
      if (req.url?.startsWith('/api/v1/ingest') === true) ingestRequests += 1;
    });
    const listening = await server.listen(port, '127.0.0.1');
    port = listening.port;
    url = listening.url;
  };
  await start();

  const central: Central = {
    kind,
    get url() {
      return url;
    },
    adminToken,
    get ingestRequests() {
      return ingestRequests;
    },
    async stop() {
      const running = server;
      server = undefined;
      await running?.close();
    },
    start,
    advanceClock: (ms) => void (now += ms),
    async createCode(workspaceName, validForHours = 72) {
      const reply = await postJson<{ code: string }>(
        `${url}/api/admin/enrollments`,
        { workspaceName, validForHours },
        adminToken,
      );
      if (reply.status !== 201) throw new Error(`creating a code failed: ${reply.status}`);
      return reply.body.code;
    },
    async revokeTokens(centralWorkspaceId) {
      await database.db
        .deleteFrom('workspace_links')
        .where('workspace_id', '=', centralWorkspaceId)
        .execute();
    },
    ...centralQueries(() => Promise.resolve({ db: database, done: () => Promise.resolve() })),
    async close() {
      await central.stop();
      await database.close();
      await target.cleanup();
    },
  };
  return central;
}

/** The central server as its own process (`src/central/main.ts`), which `kill()` ends with SIGKILL. */
export async function startCentralProcess(kind: DatabaseKind): Promise<Central & { kill(): Promise<void> }> {
  const target: TestTarget = await createTestTarget(kind);
  const adminToken = newAdminToken();
  let child: { process: ChildProcess; exited: Promise<void> } | undefined;
  let port = 0;
  let url = '';

  const start = async (): Promise<void> => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', join('src', 'central', 'main.ts'), '--port', String(port), ...target.childArgs],
      {
        cwd: ROOT,
        env: { ...process.env, CENTRAL_ADMIN_TOKEN: adminToken, DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the central server did not start: ${stderr}`)),
        30_000,
      );
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the central server exited (${code}) before listening: ${stderr}`));
      });
      createInterface({ input: proc.stdout }).on('line', (line) => {
        const match = /^Listening on (http:\/\/\S+)$/.exec(line);
        if (match === null) return;
        clearTimeout(timer);
        resolve(match[1]!);
      });
    });
    port = Number(new URL(url).port);
    child = { process: proc, exited };
  };
  await start();

  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined) return;
    running.process.kill('SIGKILL');
    await running.exited;
  };
  const central = {
    kind,
    get url() {
      return url;
    },
    adminToken,
    ingestRequests: -1,
    stop: kill,
    kill,
    start,
    advanceClock() {
      throw new Error('the child process keeps its own clock');
    },
    revokeTokens() {
      return Promise.reject(new Error('revoke tokens through an in-process server'));
    },
    async createCode(workspaceName: string, validForHours = 72) {
      const reply = await postJson<{ code: string }>(
        `${url}/api/admin/enrollments`,
        { workspaceName, validForHours },
        adminToken,
      );
      if (reply.status !== 201) throw new Error(`creating a code failed: ${reply.status}`);
      return reply.body.code;
    },
    ...centralQueries(async () => {
      const db = await openCentralDatabase(target.config);
      return { db, done: () => db.close() };
    }),
    async close() {
      await kill();
      await target.cleanup();
    },
  };
  return central;
}

export interface Shop {
  app: Switchboard;
  workspaceId: WorkspaceId;
  dataDir: string;
  status(): Promise<SyncStatus>;
  /** Writes `count` events of the workspace straight into its log (as a busy day would). */
  addEvents(count: number, extra?: (i: number) => Partial<NewEvent>): Promise<void>;
  /** Every seq of the workspace's events on this computer, ascending. */
  localSeqs(): Promise<number[]>;
  /** Polls the sync status until `done` says yes. */
  waitFor(done: (status: SyncStatus) => boolean, timeoutMs?: number): Promise<SyncStatus>;
  close(): Promise<void>;
}

/** Short timings so a test sees minutes of backoff in a second or two. */
export const FAST_SYNC: NonNullable<SwitchboardOptions['sync']> = {
  appVersion: '0.1.0',
  installationName: 'Test shop PC',
  pusher: {
    idlePollMs: 100,
    batchGapMs: 0,
    backoff: { baseMs: 100, maxMs: 600, minMs: 50 },
    requestTimeoutMs: 10_000,
  },
};

export async function startShop(
  name: string,
  options: { sync?: SwitchboardOptions['sync']; dataDir?: string } = {},
): Promise<Shop> {
  const temp = options.dataDir === undefined ? makeTempDir('switchboard-shop-') : undefined;
  const dataDir = options.dataDir ?? join(temp!.dir, 'data');
  const app = await createSwitchboard({
    dataDir,
    durability: 'normal',
    whatsapp: { livenessIntervalMs: 0 },
    sync: options.sync ?? FAST_SYNC,
  });
  const existing = await app.workspaces.list();
  const workspaceId = existing[0]?.id ?? (await app.workspaces.create({ name })).id;
  await app.start();
  const shop: Shop = {
    app,
    workspaceId,
    dataDir,
    status: () => app.sync.status(workspaceId),
    async addEvents(count, extra = () => ({})) {
      const rows: NewEvent[] = Array.from({ length: count }, (_, i) => ({
        ts: Date.now(),
        level: 'info',
        type: 'message.received',
        workspaceId,
        contactId: null,
        message: `Message ${i} from 2348031234567@s.whatsapp.net stored`,
        meta: JSON.stringify({ chatId: '2348031234567@s.whatsapp.net', n: i, pad: 'p'.repeat(200) }),
        ...extra(i),
      }));
      for (let start = 0; start < rows.length; start += 5_000) {
        await app.events.appendBatch(rows.slice(start, start + 5_000));
      }
    },
    async localSeqs() {
      await app.logger.flush();
      const rows = await app.store.db
        .selectFrom('events')
        .select('seq')
        .where('workspace_id', '=', workspaceId)
        .orderBy('seq')
        .execute();
      return rows.map((r) => r.seq);
    },
    async waitFor(done, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last: SyncStatus | undefined;
      while (Date.now() < deadline) {
        await app.logger.flush();
        last = await app.sync.status(workspaceId);
        if (done(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`timed out waiting for the sync status; last: ${JSON.stringify(last)}`);
    },
    async close() {
      await app.close();
      temp?.cleanup();
    },
  };
  return shop;
}

/** Pushed everything: idle, nothing waiting, and the server acknowledged the newest local event. */
export async function waitUntilPushed(shop: Shop, timeoutMs = 30_000): Promise<SyncStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seqs = await shop.localSeqs();
    const status = await shop.status();
    if (status.phase === 'idle' && status.backlog === 0 && status.lastAckedSeq >= (seqs.at(-1) ?? 0)) {
      // Settled twice in a row: nothing was logged in between (a success writes nothing to the workspace).
      const again = await shop.localSeqs();
      if (again.length === seqs.length) return status;
    }
    if (Date.now() > deadline) throw new Error(`not pushed in time: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
