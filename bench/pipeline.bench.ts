/**
 * The messaging pipeline's inbound path: ingest -> route -> decide -> outbox (sending off, so pacing
 * plays no part), with 1,000 FAQs, through the real store (app default durability 'full': every commit
 * fsyncs the WAL) and the real logger writing its events into the same database, at the app's default
 * level, debug (BENCH_LOG_LEVEL=info to compare).
 *
 * 1. pipeline.throughput: N inbound messages, each from a first-time customer (the heaviest path: a
 *    new contact, a new conversation, greeting + answer or hand-off), in bursts of 1,000 per event-loop
 *    turn. Baseline: the raw SQLite ceiling for the very rows that run wrote (contacts, messages,
 *    conversations, outbox, events), re-inserted into a fresh database with cached multi-row prepared
 *    statements, one transaction per 100 messages' rows, in the same process right after.
 * 2. pipeline.loop_delay.p99: event-loop delay (perf_hooks.monitorEventLoopDelay) while a burst of
 *    2,000 messages is processed, against the p99 of the same loop idling for as long in the same run.
 *
 * Prints JSON lines to stdout; progress goes to stderr.
 *   npx tsx bench/pipeline.bench.ts [N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import { createLogger, type Logger } from '../src/core/log/logger';
import { createSqliteEventSink } from '../src/core/log/sqlite-event-sink';
import { createPipeline, type Pipeline } from '../src/core/pipeline/pipeline';
import { openDatabase, type Store } from '../src/core/store/open-database';
import { createFaqRepository } from '../src/core/store/repositories/faqs';
import { createPhoneNumberRepository } from '../src/core/store/repositories/phone-numbers';
import { createWorkspaceRepository } from '../src/core/store/repositories/workspaces';
import { workspaceSettingsSchema } from '../src/shared/settings';
import type { E164, LogLevel, WorkspaceId } from '../src/shared/types';
import type { InboundMessage } from '../src/core/whatsapp/provider';

const N = Number(process.argv[2] ?? 20_000);
const RUNS = 3;
/** Bursts are short (~0.5 s): five of them, and the median, so one stall of a shared disk does not decide it. */
const LOOP_RUNS = 5;
const FAQ_COUNT = 1_000;
const BURST = 1_000;
const LOOP_BURST = 2_000;
const RAW_MESSAGES_PER_TX = 100;
const WS = 'ws-bench' as WorkspaceId;
const LOG_LEVEL: LogLevel = (process.env.BENCH_LOG_LEVEL as LogLevel | undefined) ?? 'debug';
const NUMBER = '+2348090000001' as E164;

const root = mkdtempSync(join(tmpdir(), 'switchboard-bench-pipeline-'));
let dbCounter = 0;

function log(text: string): void {
  process.stderr.write(`[pipeline] ${text}\n`);
}

async function freshStore(): Promise<Store> {
  dbCounter += 1;
  return openDatabase({ path: join(root, `run-${dbCounter}.db`), durability: 'full' });
}

/** A shop with 1,000 FAQs of two phrasings each; pacing off. */
async function seed(store: Store): Promise<void> {
  await createWorkspaceRepository(store.db).insert({
    id: WS,
    name: 'Bench Pharmacy',
    defaultCountry: 'NG',
    botMode: 'faq',
    tier: 'pro',
    settings: workspaceSettingsSchema.parse({ pacing: { enabled: false } }),
    createdAt: 1,
    updatedAt: 1,
  });
  await createPhoneNumberRepository(store.db).insert(
    WS,
    { id: 'pn-1', e164: NUMBER, provider: 'baileys', status: 'connected', label: null },
    1,
  );
  let phrasingId = 0;
  await store.transaction(async (trx) => {
    const faqs = createFaqRepository(trx, () => `ph-${++phrasingId}`);
    for (let i = 0; i < FAQ_COUNT; i++) {
      await faqs.create(
        WS,
        `faq-${i}`,
        {
          question: `How much is product number ${i}?`,
          answer: `Product ${i} costs ₦${(i + 1) * 100}. We deliver anywhere in Lagos within two days.`,
          phrasings: [`price of product ${i}`, `product ${i} how much`],
          enabled: true,
        },
        1,
      );
    }
  });
}

/** 70% FAQ questions (varied case and punctuation), 20% questions no FAQ answers, 10% asking for a person. */
function makeMessages(count: number, runTag: string): InboundMessage[] {
  let seed = 7;
  const rand = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const messages: InboundMessage[] = [];
  for (let i = 0; i < count; i++) {
    const r = rand();
    const faq = Math.floor(rand() * FAQ_COUNT);
    const text =
      r < 0.35
        ? `How much is product number ${faq}?`
        : r < 0.7
          ? `PRICE of product ${faq}!!`
          : r < 0.9
            ? `Do you have item ${faq} in blue?`
            : 'Please I want to speak to someone';
    const phone = `+23481${String(10_000_000 + i).slice(-8)}`;
    messages.push({
      businessNumber: NUMBER,
      providerMessageId: `3EB0${runTag}${i.toString(16).toUpperCase().padStart(8, '0')}`,
      chatId: `${phone.slice(1)}@s.whatsapp.net`,
      chatKind: 'direct',
      sender: { phone: phone as E164, waId: `${phone.slice(1)}@s.whatsapp.net`, name: `Customer ${i}` },
      kind: 'text',
      text,
      timestamp: Date.now(),
      offline: false,
      quotedId: null,
    });
  }
  return messages;
}

async function setup(): Promise<{ store: Store; logger: Logger; pipeline: Pipeline }> {
  const store = await freshStore();
  await seed(store);
  const sink = createSqliteEventSink({ store, maxBuffered: 500_000 });
  // The app's default level (createSwitchboard without minLogLevel): every step, debug included.
  const logger = createLogger({ sinks: [sink], minLevel: LOG_LEVEL });
  const pipeline = createPipeline({
    store,
    logger,
    connections: { provider: () => undefined },
    sending: false,
  });
  await pipeline.start();
  // Warm the workspace's settings and bot (built once per workspace, then cached).
  pipeline.handleEvent({ type: 'message', workspaceId: WS, message: makeMessages(1, 'WARM')[0]! });
  await pipeline.idle();
  await logger.flush();
  return { store, logger, pipeline };
}

async function throughput(messages: InboundMessage[]): Promise<{ rate: number; store: Store }> {
  const { store, logger, pipeline } = await setup();
  const started = performance.now();
  for (let i = 0; i < messages.length; i++) {
    pipeline.handleEvent({ type: 'message', workspaceId: WS, message: messages[i]! });
    if (i % BURST === BURST - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  await pipeline.idle();
  await logger.flush();
  const seconds = (performance.now() - started) / 1000;
  const decided = await store.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'processed')
    .executeTakeFirstOrThrow();
  if (Number(decided.n) !== messages.length + 1) throw new Error(`only ${decided.n} messages were decided`);
  await pipeline.stop();
  await logger.close();
  return { rate: messages.length / seconds, store };
}

type Row = Record<string, unknown>;
const TABLES = ['contacts', 'messages', 'conversations', 'outbox', 'events'] as const;

/** The rows a pipeline run wrote, in write order, with the inbound message each belongs to. */
async function rowsOf(store: Store): Promise<Record<(typeof TABLES)[number], Row[]>> {
  return store.exclusive((sqlite) => ({
    contacts: sqlite.prepare(`select * from contacts order by rowid`).all() as Row[],
    messages: sqlite.prepare(`select * from messages order by rowid`).all() as Row[],
    conversations: sqlite.prepare(`select * from conversations order by rowid`).all() as Row[],
    outbox: sqlite.prepare(`select * from outbox order by seq`).all() as Row[],
    events: sqlite.prepare(`select * from events order by seq`).all() as Row[],
  }));
}

/** The same rows through raw cached multi-row statements: one transaction per 100 messages' worth. */
async function rawCeiling(
  rows: Record<(typeof TABLES)[number], Row[]>,
  messageCount: number,
): Promise<number> {
  const store = await freshStore();
  await seed(store);
  const rate = await store.exclusive((sqlite) => {
    const statements = new Map<string, BetterSqlite3.Statement>();
    const insert = (table: string, batch: Row[]): void => {
      if (batch.length === 0) return;
      const columns = Object.keys(batch[0]!).filter((c) => !(table === 'events' && c === 'seq'));
      const perStatement = Math.max(1, Math.floor(30_000 / columns.length / 100) * 100);
      for (let start = 0; start < batch.length; start += perStatement) {
        const chunk = batch.slice(start, start + perStatement);
        const key = `${table}:${chunk.length}`;
        let statement = statements.get(key);
        if (statement === undefined) {
          const one = `(${columns.map(() => '?').join(', ')})`;
          statement = sqlite.prepare(
            `insert into ${table} (${columns.join(', ')}) values ${new Array<string>(chunk.length).fill(one).join(', ')}`,
          );
          statements.set(key, statement);
        }
        statement.run(chunk.flatMap((r) => columns.map((c) => r[c])));
      }
    };
    const slices = Math.ceil(messageCount / RAW_MESSAGES_PER_TX);
    const part = (list: Row[], i: number) =>
      list.slice(Math.floor((list.length * i) / slices), Math.floor((list.length * (i + 1)) / slices));
    const tx = sqlite.transaction((i: number) => {
      for (const table of TABLES) insert(table, part(rows[table], i));
    });
    const started = performance.now();
    for (let i = 0; i < slices; i++) tx(i);
    return messageCount / ((performance.now() - started) / 1000);
  });
  await store.close();
  return rate;
}

async function loopDelay(): Promise<{ burst: number; idle: number }> {
  const { store, logger, pipeline } = await setup();
  const messages = makeMessages(LOOP_BURST, 'LOOP');
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  for (const message of messages) pipeline.handleEvent({ type: 'message', workspaceId: WS, message });
  await pipeline.idle();
  await logger.flush();
  const busyMs = performance.now() - started;
  histogram.disable();
  const burst = histogram.percentile(99) / 1e6;

  // The same loop, idle for as long: the floor the timer's own resolution gives.
  const idleHistogram = monitorEventLoopDelay({ resolution: 1 });
  idleHistogram.enable();
  await new Promise((resolve) => setTimeout(resolve, Math.max(500, busyMs)));
  idleHistogram.disable();
  const idle = idleHistogram.percentile(99) / 1e6;
  log(
    `burst of ${LOOP_BURST} processed in ${Math.round(busyMs)} ms; max delay ${(histogram.max / 1e6).toFixed(1)} ms`,
  );
  await pipeline.stop();
  await logger.close();
  await store.close();
  return { burst, idle };
}

async function main(): Promise<void> {
  log(`warming up`);
  const warm = await throughput(makeMessages(2_000, 'W'));
  await warm.store.close();

  let best = 0;
  let baseline = 0;
  for (let run = 1; run <= RUNS; run++) {
    const messages = makeMessages(N, `R${run}`);
    const { rate, store } = await throughput(messages);
    const rows = await rowsOf(store);
    await store.close();
    const raw = await rawCeiling(rows, N + 1);
    log(
      `run ${run}: pipeline ${Math.round(rate)} msg/s, raw ceiling ${Math.round(raw)} msg/s ` +
        `(${TABLES.map((t) => `${rows[t].length} ${t}`).join(', ')})`,
    );
    best = Math.max(best, rate);
    baseline = Math.max(baseline, raw);
  }
  process.stdout.write(
    `${JSON.stringify({
      name: 'pipeline.throughput',
      value: Math.round(best),
      unit: 'msg/s',
      baseline: Math.round(baseline),
      ratio: Math.round((best / baseline) * 100) / 100,
    })}\n`,
  );

  const delays: { burst: number; idle: number }[] = [];
  for (let run = 1; run <= LOOP_RUNS; run++) delays.push(await loopDelay());
  // The median run: one GC pause or a disk hiccup should not decide the figure.
  delays.sort((a, b) => a.burst - b.burst);
  const median = delays[Math.floor(delays.length / 2)]!;
  process.stdout.write(
    `${JSON.stringify({
      name: 'pipeline.loop_delay.p99',
      value: Math.round(median.burst * 10) / 10,
      unit: 'ms',
      baseline: Math.round(median.idle * 10) / 10,
      ratio: Math.round((median.burst / median.idle) * 100) / 100,
    })}\n`,
  );
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(root, { recursive: true, force: true }));
