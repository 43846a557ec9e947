/**
 * Event-log write throughput: N realistic events through createLogger + the SQLite sink, against the
 * ceiling of raw better-sqlite3 multi-row inserts (500 rows per transaction) into the same schema.
 * Both sides use a fresh database opened by openDatabase with the app's default durability ('full':
 * every commit fsyncs the WAL). Prints one JSON line to stdout; progress goes to stderr.
 *
 *   npx tsx bench/eventlog-write.bench.ts [N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { createLogger, type Logger } from '../src/core/log/logger';
import { createSqliteEventSink } from '../src/core/log/sqlite-event-sink';
import { openDatabase, type Store } from '../src/core/store/open-database';
import type { NewEvent } from '../src/core/store/repositories/event-log';
import type { LogLevel } from '../src/shared/types';

const N = Number(process.argv[2] ?? 200_000);
const RUNS = 3;
const RAW_TX_ROWS = 500;
/** One statement per transaction: the fastest raw shape measured here, so a true ceiling. */
const RAW_STATEMENT_ROWS = 500;
/** Events the producer emits per event-loop turn: the app logs from I/O callbacks, not one long loop. */
const BURST = 1_000;

const root = mkdtempSync(join(tmpdir(), 'switchboard-bench-eventlog-'));
let dbCounter = 0;

interface Sample {
  level: LogLevel;
  type: string;
  workspace: number | null;
  contactId: string | null;
  message: string;
  meta: Record<string, unknown>;
}

/** Deterministic, roughly what a busy shop's day looks like: mostly info, some debug, few warnings. */
function makeSamples(count: number): Sample[] {
  const types = [
    'message.received',
    'route.decided',
    'message.sent',
    'perf',
    'connection.changed',
    'number.status',
    'message.failed',
  ];
  let seed = 42;
  const rand = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const r = rand();
    const level: LogLevel = r < 0.25 ? 'debug' : r < 0.9 ? 'info' : r < 0.98 ? 'warn' : 'error';
    const type = types[Math.floor(rand() * types.length)]!;
    const workspace = rand() < 0.1 ? null : Math.floor(rand() * 8);
    const chat = Math.floor(rand() * 500);
    samples.push({
      level,
      type,
      workspace,
      contactId: workspace === null ? null : `contact-${chat}`,
      message: `${type} for chat ${chat}`,
      meta: {
        chatId: `234801${String(chat).padStart(7, '0')}@s.whatsapp.net`,
        messageId: `3EB0${(i * 2_654_435_761).toString(16).toUpperCase()}`,
        durationMs: Math.round(rand() * 2000) / 10,
        attempt: 1 + (i % 3),
      },
    });
  }
  return samples;
}

async function freshStore(): Promise<Store> {
  dbCounter += 1;
  return openDatabase({ path: join(root, `run-${dbCounter}.db`), durability: 'full' });
}

async function throughLogger(samples: Sample[]): Promise<number> {
  const store = await freshStore();
  const sink = createSqliteEventSink({ store, maxBuffered: Math.max(50_000, samples.length) });
  const root = createLogger({ sinks: [sink] });
  const loggers: Logger[] = Array.from({ length: 8 }, (_, w) => root.child({ workspaceId: `ws-${w}` }));
  const started = performance.now();
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const base = s.workspace === null ? root : loggers[s.workspace]!;
    const logger = s.contactId === null ? base : base.child({ contactId: s.contactId });
    logger.log(s.level, s.type as 'perf', s.message, s.meta);
    if (i % BURST === BURST - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  await root.flush();
  const seconds = (performance.now() - started) / 1000;
  const stats = sink.stats();
  if (stats.written !== samples.length || stats.dropped !== 0) {
    throw new Error(`logger run lost events: ${JSON.stringify(stats)}`);
  }
  await root.close();
  await store.close();
  return samples.length / seconds;
}

async function raw(rows: NewEvent[]): Promise<number> {
  const store = await freshStore();
  const rate = await store.exclusive((sqlite) => rawInsert(sqlite, rows));
  await store.close();
  return rate;
}

function rawInsert(sqlite: BetterSqlite3.Database, rows: NewEvent[]): number {
  const statements = new Map<number, BetterSqlite3.Statement>();
  const statement = (count: number): BetterSqlite3.Statement => {
    let s = statements.get(count);
    if (s === undefined) {
      const values = new Array<string>(count).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ');
      s = sqlite.prepare(
        `insert into events (ts, level, type, workspace_id, contact_id, message, meta) values ${values}`,
      );
      statements.set(count, s);
    }
    return s;
  };
  const insert = sqlite.transaction((batch: NewEvent[]) => {
    for (let start = 0; start < batch.length; start += RAW_STATEMENT_ROWS) {
      const count = Math.min(RAW_STATEMENT_ROWS, batch.length - start);
      const params: unknown[] = [];
      for (let i = start; i < start + count; i++) {
        const r = batch[i]!;
        params.push(r.ts, r.level, r.type, r.workspaceId, r.contactId, r.message, r.meta);
      }
      statement(count).run(params);
    }
  });
  const started = performance.now();
  for (let start = 0; start < rows.length; start += RAW_TX_ROWS)
    insert(rows.slice(start, start + RAW_TX_ROWS));
  return rows.length / ((performance.now() - started) / 1000);
}

function toRows(samples: Sample[]): NewEvent[] {
  const now = Date.now();
  return samples.map((s) => ({
    ts: now,
    level: s.level,
    type: s.type,
    workspaceId: s.workspace === null ? null : `ws-${s.workspace}`,
    contactId: s.contactId,
    message: s.message,
    meta: JSON.stringify(s.meta),
  }));
}

async function main(): Promise<void> {
  const samples = makeSamples(N);
  const rows = toRows(samples);
  const warm = samples.slice(0, Math.min(N, 20_000));
  log(`warming up with ${warm.length} events per side`);
  await throughLogger(warm);
  await raw(rows.slice(0, warm.length));

  let best = 0;
  let baseline = 0;
  for (let run = 1; run <= RUNS; run++) {
    // Alternate the sides so neither always runs on a warmer (or more fragmented) disk.
    const viaLogger = await throughLogger(samples);
    const viaRaw = await raw(rows);
    log(`run ${run}: logger ${Math.round(viaLogger)} events/s, raw ${Math.round(viaRaw)} rows/s`);
    best = Math.max(best, viaLogger);
    baseline = Math.max(baseline, viaRaw);
  }
  const figure = {
    name: 'eventlog.write',
    value: Math.round(best),
    unit: 'events/s',
    baseline: Math.round(baseline),
    ratio: Math.round((best / baseline) * 100) / 100,
  };
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

function log(text: string): void {
  process.stderr.write(`[eventlog.write] ${text}\n`);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(root, { recursive: true, force: true }));
