/**
 * Home statistics on a busy shop: `stats.home` (createHomeStats) on a database holding N messages of the
 * measured workspace over its last 14 days, N/2 older ones, and N of another workspace. Cold: all 14
 * local days counted (a day at a time, off messages_workspace_time); warm: a live refresh, where the
 * finished days are reused and only today is counted. Baseline: a bare `count(*)` over the same 14-day
 * index range, the least any per-day figure can cost. Each query's plan goes to stderr.
 *
 *   npx tsx bench/stats.bench.ts [N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompiledQuery, KyselyPlugin } from 'kysely';
import { createHomeStats } from '../src/core/stats/home-stats';
import { lastLocalDays } from '../src/core/stats/local-days';
import { openDatabase, type Store } from '../src/core/store/open-database';
import { createStatsRepository } from '../src/core/store/repositories/stats';
import { insertTestWorkspace } from '../src/core/testing/fixtures';
import type { WorkspaceId } from '../src/shared/types';

const N = Number(process.argv[2] ?? 100_000);
const RUNS = 15;
const NOW = Date.UTC(2026, 4, 20, 15, 0, 0);
const DAY = 86_400_000;
const A = 'ws-busy' as WorkspaceId;
const B = 'ws-other' as WorkspaceId;

const log = (line: string) => process.stderr.write(`${line}\n`);
const root = mkdtempSync(join(tmpdir(), 'switchboard-bench-stats-'));

async function fill(store: Store): Promise<void> {
  await insertTestWorkspace(store.db, A);
  await insertTestWorkspace(store.db, B);
  let seed = 7;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  await store.exclusive((sqlite) => {
    const insert = sqlite.prepare(
      `insert into messages (id, workspace_id, business_number, provider_message_id, chat_id, contact_id,
        direction, author, text, status, provider_ts, created_at, updated_at, chat_kind, outcome)
       values (?, ?, '+2348090000001', ?, ?, null, ?, ?, ?, ?, null, ?, ?, ?, ?)`,
    );
    // Every chat has its conversation row (as the pipeline keeps one per chat); a few wait for a person.
    const conversation = sqlite.prepare(
      `insert into conversations (workspace_id, business_number, chat_id, first_seen_at, handoff_since,
        handoff_reason, flood_count, updated_at)
       values (?, '+2348090000001', ?, ?, ?, ?, 0, ?)
       on conflict do update set handoff_since = coalesce(excluded.handoff_since, handoff_since),
         handoff_reason = coalesce(excluded.handoff_reason, handoff_reason)`,
    );
    const rows = (workspace: WorkspaceId, count: number, from: number, to: number, tag: string) => {
      sqlite.transaction(() => {
        for (let i = 0; i < count; i++) {
          // Time-ordered, as the app's ids are: rows append to the indexes.
          const at = Math.floor(from + ((to - from) * i) / count);
          const chat = `234803${String(Math.floor(rand() * 20_000)).padStart(7, '0')}@s.whatsapp.net`;
          const inbound = rand() < 0.55;
          const r = rand();
          const outcome = inbound
            ? r < 0.6
              ? 'bot'
              : r < 0.75
                ? 'handoff'
                : r < 0.78
                  ? 'unanswered'
                  : null
            : null;
          insert.run(
            `${tag}-${i}`,
            workspace,
            `WAMID-${tag}-${i}`,
            chat,
            inbound ? 'in' : 'out',
            inbound ? 'contact' : rand() < 0.85 ? 'bot' : 'owner',
            'Good afternoon, do you have paracetamol in stock?',
            inbound ? (r < 0.02 ? 'ignored' : 'processed') : 'read',
            at,
            at,
            inbound ? 'direct' : null,
            outcome,
          );
          const waits = outcome === 'handoff' && rand() < 0.05;
          conversation.run(
            workspace,
            chat,
            at,
            waits ? at : null,
            waits ? 'handoff-keyword:agent' : null,
            at,
          );
        }
      })();
    };
    rows(A, N, NOW - 14 * DAY, NOW, 'a');
    rows(A, Math.floor(N / 2), NOW - 60 * DAY, NOW - 14 * DAY, 'a-old');
    rows(B, N, NOW - 14 * DAY, NOW, 'b');
  });
}

async function plan(store: Store, compiled: CompiledQuery): Promise<string> {
  const rows = await store.exclusive(
    (sqlite) =>
      sqlite.prepare(`explain query plan ${compiled.sql}`).all(...(compiled.parameters as unknown[])) as {
        detail: string;
      }[],
  );
  return rows.map((r) => r.detail).join(' | ');
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)]!;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

try {
  const store = await openDatabase({ path: join(root, 'switchboard.db'), durability: 'normal' });
  log(`stats: filling ${N} + ${Math.floor(N / 2)} older messages for one workspace, ${N} for another`);
  await fill(store);
  const clock = { now: () => NOW };
  const days = lastLocalDays(NOW, 'Africa/Lagos', 14);
  const first = days.bounds[0]!;
  const last = days.bounds.at(-1)!;
  const baseline = store.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', A)
    .where('created_at', '>=', first)
    .where('created_at', '<', last);

  // Cold: a new service each time (nothing reused), so all 14 days are counted.
  const coldMs = await median(() => createHomeStats({ store, clock }).home(A, 'Africa/Lagos', 14));
  // Warm: what the screen's live refreshes cost: today's range and the waiting hand-offs.
  const warm = createHomeStats({ store, clock });
  const sample = await warm.home(A, 'Africa/Lagos', 14);
  const warmMs = await median(() => warm.home(A, 'Africa/Lagos', 14));
  const baselineMs = await median(() => baseline.execute());
  const today = sample.today;
  log(
    `stats: ${sample.days.reduce((n, d) => n + d.messagesIn, 0)} customer messages over 14 days; today ` +
      `${today.messagesIn} in, rate ${today.answerRate?.toFixed(2)}, ${sample.handoffsWaiting.chats} chats waiting`,
  );

  // The plans of the queries exactly as the repository builds them (captured on their way to SQLite).
  const captured: CompiledQuery[] = [];
  const capture: KyselyPlugin = {
    transformQuery(args) {
      captured.push(store.db.getExecutor().compileQuery(args.node, args.queryId));
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  };
  const traced = createStatsRepository(store.db.withPlugin(capture));
  await traced.activity(A, days.bounds[13]!, days.bounds[14]!);
  await traced.waitingHandoffs(A);
  log(`plan baseline: ${await plan(store, baseline.compile())}`);
  log(`plan activity (one day): ${await plan(store, captured[0]!)}`);
  log(`plan waiting hand-offs: ${await plan(store, captured[1]!)}`);
  await store.close();

  const line = (figures: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(figures)}\n`);
  line({
    name: 'stats.home.cold_ms',
    value: round(coldMs),
    baseline: round(baselineMs),
    ratio: round(coldMs / baselineMs),
    messages: N,
    unit: 'ms (median of 15): 14 local days counted + hand-offs; baseline a bare count(*) of the same range',
  });
  line({
    name: 'stats.home.warm_ms',
    value: round(warmMs),
    baseline: round(coldMs),
    ratio: round(warmMs / coldMs),
    messages: N,
    unit: 'ms (median of 15): a live refresh (finished days reused, today counted afresh)',
  });
} finally {
  rmSync(root, { recursive: true, force: true });
}
