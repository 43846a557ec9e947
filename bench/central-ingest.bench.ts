/**
 * Central server ingest throughput: batches of 500 events pushed over real HTTP on 127.0.0.1 (JSON
 * body, bearer token, validation, one transaction per batch), against the same batches written
 * straight through the DB layer (ingestBatch, already parsed) in the same run. Four workspaces push
 * at once on both sides. SQLite with the server's default durability (fsync on every commit), and
 * PostgreSQL at 127.0.0.1:5432 when it answers (its own schema, dropped afterwards). One JSON line per
 * database on stdout; progress on stderr.
 *
 *   npx tsx bench/central-ingest.bench.ts [eventsPerRun]
 */
import type { DatabaseKind } from '../src/central/db/open';
import { createEnrollment, enroll } from '../src/central/enroll';
import { ingestBatch, type WorkspacePrincipal } from '../src/central/ingest';
import { newAdminToken } from '../src/central/secrets';
import { createCentralServer } from '../src/central/server';
import { openTestDatabase, testPostgresUrl, type TestDatabase } from '../src/central/testing/databases';
import { makeBatch, makeEvents, makeInstallation } from '../src/central/testing/fixtures';
import { ingestRequest, type IngestRequest } from '../src/shared/sync-protocol';

const EVENTS = Number(process.argv[2] ?? 60_000);
const BATCH = 500;
const STREAMS = 4;
const RUNS = 3;

interface Stream {
  principal: WorkspacePrincipal;
  token: string;
  batches: IngestRequest[];
}

/** Fresh workspaces (one installation each) on a fresh database, with their batches ready. */
async function prepare(kind: DatabaseKind): Promise<{ test: TestDatabase; streams: Stream[] }> {
  const test = await openTestDatabase(kind);
  const now = Date.now();
  const streams: Stream[] = [];
  for (let s = 0; s < STREAMS; s++) {
    const { code } = await createEnrollment(
      test.database,
      { workspaceName: `Bench ${s}`, validForHours: 1 },
      now,
    );
    const installation = makeInstallation();
    const enrolled = await enroll(
      test.database,
      { code, installation, localWorkspaceName: `Bench ${s}` },
      now,
    );
    const perStream = Math.ceil(EVENTS / STREAMS);
    const batches: IngestRequest[] = [];
    for (let from = 1; from <= perStream; from += BATCH)
      batches.push(makeBatch(installation.id, makeEvents(from, Math.min(BATCH, perStream - from + 1))));
    streams.push({
      principal: { workspaceId: enrolled.workspaceId, installationId: installation.id },
      token: enrolled.workspaceToken,
      batches,
    });
  }
  return { test, streams };
}

const countEvents = (streams: Stream[]) =>
  streams.reduce((n, s) => n + s.batches.reduce((m, b) => m + b.events.length, 0), 0);

async function direct(kind: DatabaseKind): Promise<number> {
  const { test, streams } = await prepare(kind);
  try {
    const parsed = streams.map((s) => s.batches.map((b) => ingestRequest.parse(b)));
    const started = performance.now();
    await Promise.all(
      streams.map(async (s, i) => {
        for (const batch of parsed[i]!) await ingestBatch(test.database, s.principal, batch, Date.now());
      }),
    );
    return countEvents(streams) / ((performance.now() - started) / 1000);
  } finally {
    await test.cleanup();
  }
}

async function overHttp(kind: DatabaseKind): Promise<number> {
  const { test, streams } = await prepare(kind);
  const server = createCentralServer({
    database: test.database,
    adminToken: newAdminToken(),
    // The bench measures throughput, not the per-token rate limit.
    rateLimits: { ingest: { ratePerSecond: 1e9, burst: 1e9 } },
  });
  try {
    const { url } = await server.listen(0, '127.0.0.1');
    const started = performance.now();
    await Promise.all(
      streams.map(async (s) => {
        for (const batch of s.batches) {
          const response = await fetch(`${url}/api/v1/ingest`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(batch),
          });
          const body = (await response.json()) as { stored?: number };
          if (response.status !== 200 || body.stored !== batch.events.length)
            throw new Error(`push failed: ${response.status} ${JSON.stringify(body)}`);
        }
      }),
    );
    return countEvents(streams) / ((performance.now() - started) / 1000);
  } finally {
    await server.close();
    await test.cleanup();
  }
}

async function measure(kind: DatabaseKind): Promise<void> {
  log(`${kind}: warming up`);
  await overHttp(kind);
  await direct(kind);
  let best = 0;
  let baseline = 0;
  for (let run = 1; run <= RUNS; run++) {
    // Alternate the sides so neither always runs on a warmer disk or a fuller cache.
    const viaHttp = await overHttp(kind);
    const viaDb = await direct(kind);
    log(`${kind} run ${run}: HTTP ${Math.round(viaHttp)} events/s, direct ${Math.round(viaDb)} events/s`);
    best = Math.max(best, viaHttp);
    baseline = Math.max(baseline, viaDb);
  }
  const figure = {
    name: `central.ingest.${kind}`,
    value: Math.round(best),
    unit: 'events/s',
    baseline: Math.round(baseline),
    ratio: Math.round((best / baseline) * 100) / 100,
    batch: BATCH,
  };
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

async function main(): Promise<void> {
  await measure('sqlite');
  try {
    await testPostgresUrl();
  } catch (error) {
    log(`skipping central.ingest.postgres: ${(error as Error).message}`);
    return;
  }
  await measure('postgres');
}

function log(text: string): void {
  process.stderr.write(`[central.ingest] ${text}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
