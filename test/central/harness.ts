// The central server over real HTTP on 127.0.0.1, against a test database (SQLite file or its own
// PostgreSQL schema), with a clock the test can move and helpers speaking the sync protocol.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CentralDatabase, DatabaseKind } from '../../src/central/db/open';
import { newAdminToken } from '../../src/central/secrets';
import { createCentralServer, type CentralServerOptions } from '../../src/central/server';
import { openTestDatabase, type TestDatabase } from '../../src/central/testing/databases';
import { makeInstallation } from '../../src/central/testing/fixtures';
import type {
  CreateEnrollmentResponse,
  EnrollResponse,
  InstallationInfo,
  SyncErrorBody,
} from '../../src/shared/sync-protocol';

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestServer {
  kind: DatabaseKind;
  /** Uploaded installers are kept here. */
  updatesDir: string;
  url: string;
  adminToken: string;
  secretKey: Buffer;
  database: CentralDatabase;
  /** Every line the server logged, in order. */
  logs: string[];
  clock: { now(): number; set(ms: number): void; advance(ms: number): void };
  request<T = unknown>(
    method: string,
    path: string,
    init?: { headers?: Record<string, string>; body?: string | Buffer },
  ): Promise<Reply<T>>;
  admin<T = unknown>(method: string, path: string, json?: unknown): Promise<Reply<T>>;
  createCode(workspaceName: string, validForHours?: number): Promise<CreateEnrollmentResponse>;
  enroll(
    code: string,
    installation?: InstallationInfo,
    localWorkspaceName?: string,
    /** A workspace token the installation holds here (sent as the bearer). */
    token?: string,
  ): Promise<Reply<EnrollResponse | SyncErrorBody>>;
  /** A new workspace enrolled by `installation` (a new one by default). */
  enrolled(workspaceName: string, installation?: InstallationInfo): Promise<EnrolledWorkspace>;
  push<T = unknown>(
    token: string,
    /** A batch (or any JSON value, for hostile-input tests), or a body sent as it is. */
    batch: object | string | Buffer,
    options?: { gzip?: boolean; headers?: Record<string, string> },
  ): Promise<Reply<T>>;
  count(workspaceId: string): Promise<number>;
  close(): Promise<void>;
}

export interface EnrolledWorkspace {
  token: string;
  workspaceId: string;
  installation: InstallationInfo;
}

/** Generous limits: tests that are not about rate limiting must never meet one. */
const NO_LIMITS = { ratePerSecond: 1_000_000, burst: 1_000_000 };

export async function startTestServer(
  kind: DatabaseKind,
  options: Partial<Pick<CentralServerOptions, 'rateLimits'>> & { now?: number } = {},
): Promise<TestServer> {
  const test: TestDatabase = await openTestDatabase(kind);
  let now = options.now ?? Date.now();
  const clock = {
    now: () => now,
    set: (ms: number) => void (now = ms),
    advance: (ms: number) => void (now += ms),
  };
  const adminToken = newAdminToken();
  const logs: string[] = [];
  const secretKey = randomBytes(32);
  const server = createCentralServer({
    database: test.database,
    adminToken,
    secretKey,
    updatesDir: join(test.target.dataDir, 'updates'),
    clock,
    rateLimits: {
      ingest: NO_LIMITS,
      anonymous: NO_LIMITS,
      webhookRefusals: NO_LIMITS,
      ...options.rateLimits,
    },
    log: (line) => {
      logs.push(line);
      process.stderr.write(`[central] ${line}\n`);
    },
  });
  const { url } = await server.listen(0, '127.0.0.1');

  async function request<T>(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string | Buffer } = {},
  ): Promise<Reply<T>> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      headers: response.headers,
      body: (type.startsWith('application/json') ? JSON.parse(text) : text) as T,
    };
  }

  const tokensOf = new Map<string, string>();
  const self: TestServer = {
    kind,
    updatesDir: join(test.target.dataDir, 'updates'),
    url,
    adminToken,
    secretKey,
    database: test.database,
    logs,
    clock,
    request,
    admin: (method, path, json) =>
      request(method, path, {
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        ...(json !== undefined && { body: JSON.stringify(json) }),
      }),
    async createCode(workspaceName, validForHours = 72) {
      const reply = await self.admin<CreateEnrollmentResponse>('POST', '/api/admin/enrollments', {
        workspaceName,
        validForHours,
      });
      if (reply.status !== 201)
        throw new Error(`creating a code failed: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body;
    },
    enroll: (code, installation = makeInstallation(), localWorkspaceName = 'Local name', token) =>
      request('POST', '/api/v1/enroll', {
        headers: {
          'Content-Type': 'application/json',
          ...(token !== undefined && { Authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ code, installation, localWorkspaceName }),
      }),
    async enrolled(workspaceName, installation = makeInstallation()) {
      const { code } = await self.createCode(workspaceName);
      // As the push client does: a token this installation already holds here proves its id.
      const held = tokensOf.get(installation.id);
      const reply = await self.enroll(code, installation, `${workspaceName} (local)`, held);
      if (reply.status !== 200)
        throw new Error(`enrolling failed: ${reply.status} ${JSON.stringify(reply.body)}`);
      const body = reply.body as EnrollResponse;
      tokensOf.set(installation.id, body.workspaceToken);
      return { token: body.workspaceToken, workspaceId: body.workspaceId, installation };
    },
    push(token, batch, pushOptions = {}) {
      const text = typeof batch === 'string' || Buffer.isBuffer(batch) ? batch : JSON.stringify(batch);
      const body = pushOptions.gzip === true ? gzipSync(text) : text;
      return request('POST', '/api/v1/ingest', {
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          ...(pushOptions.gzip === true && { 'Content-Encoding': 'gzip' }),
          ...pushOptions.headers,
        },
        body,
      });
    },
    async count(workspaceId) {
      const row = await test.database.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async close() {
      await server.close();
      await test.cleanup();
    },
  };
  return self;
}
