/**
 * Inbox search on a big shop: `inbox.search`'s message query (FTS5 over messages, workspace-scoped,
 * newest first, with snippets) on a database of N messages (default 1,000,000: 80% the measured
 * workspace's, 20% another's), over realistic owner searches (products, places, names with and without
 * their accents, common and rare words, two-word searches). Baseline: the same searches as a
 * `LIKE '%q%'` scan of the workspace's messages, newest first, in the same run. Median and p95 over
 * every query, each run several times. The database is built once and kept under
 * node_modules/.cache (keyed by N and the schema version) so later runs start at once.
 *
 *   npx tsx bench/inbox-search.bench.ts [N]
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createMessageSearchRepository } from '../src/core/store/repositories/message-search';
import { openDatabase, type Store } from '../src/core/store/open-database';
import { LATEST_MIGRATION } from '../src/core/store/migrations/index';
import { insertTestWorkspace } from '../src/core/testing/fixtures';
import type { WorkspaceId } from '../src/shared/types';

const N = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = 5;
const A = 'ws-shop' as WorkspaceId;
const B = 'ws-other' as WorkspaceId;
const log = (line: string) => process.stderr.write(`${line}\n`);

const CACHE = join(import.meta.dirname, '..', 'node_modules', '.cache', 'switchboard-bench');
/** Bumped when the generated rows or the index change, so a stale cache is not measured. */
const BUILD = 2;
const cached = join(CACHE, `inbox-search-${N}-${LATEST_MIGRATION}-b${BUILD}.db`);

// What customers, the bot and the owner write in a Lagos shop's chats.
const OPENERS = ['Good morning', 'Good afternoon', 'Hello', 'Abeg', 'Please', 'Ẹ kú àárọ̀', 'Hi ma', 'Oga'];
const ASKS = [
  'do you have paracetamol in stock',
  'how much is the red shoe',
  'I want to order two bags of rice',
  'can you deliver to Ikeja today',
  'I have paid, see the transfer receipt',
  'is the bàtà pupa still available',
  'what time do you close on Saturday',
  'send me the price list',
  'my order has not arrived',
  'do you sell Ankara fabric',
  'is there discount for bulk buying',
  'where is your shop in Surulere',
  'can I pay on delivery',
  'the zobo drink was too sweet',
];
const NAMES = ['Adébáyọ̀', 'Chiamaka', 'Tunde', 'Ngozi', 'Oluwaseun', 'Aisha', 'Emeka', 'Fúnmiláyọ̀'];
const ANSWERS = [
  'We open 8am to 6pm, Monday to Saturday.',
  'Delivery within Lagos is 1,500 naira and takes one day.',
  'Thank you, payment received. Your order is on the way.',
  'Yes we have it. The price is 4,500 naira.',
  'Please send your address and we will deliver.',
];
const QUERIES = [
  'paracetamol',
  'deliv',
  'ord',
  'transf',
  'delivery',
  'transfer receipt',
  'ikeja',
  'bata pupa',
  'adebayo',
  'Adébáyọ̀',
  'funmilayo',
  'price list',
  'zobo',
  'ankara',
  'surulere saturday',
  'order',
  'naira',
  'kú',
  'bulk',
];

async function fill(store: Store): Promise<void> {
  await insertTestWorkspace(store.db, A);
  await insertTestWorkspace(store.db, B);
  let seed = 11;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const start = Date.UTC(2025, 0, 1);
  const step = (365 * 86_400_000) / N;
  await store.exclusive((sqlite) => {
    // A throw-away build: no fsync (the file only gets its cache name once complete).
    sqlite.pragma('synchronous = OFF');
    const insert = sqlite.prepare(
      `insert into messages (id, workspace_id, business_number, provider_message_id, chat_id, contact_id,
        direction, author, text, status, provider_ts, created_at, updated_at, chat_kind)
       values (?, ?, '+2348090000001', ?, ?, null, ?, ?, ?, 'processed', null, ?, ?, ?)`,
    );
    const BATCH = 20_000;
    for (let from = 0; from < N; from += BATCH) {
      sqlite.transaction(() => {
        for (let i = from; i < Math.min(N, from + BATCH); i++) {
          const at = Math.floor(start + i * step);
          const workspace = rand() < 0.8 ? A : B;
          const chat = `234803${String(Math.floor(rand() * 30_000)).padStart(7, '0')}@s.whatsapp.net`;
          const inbound = rand() < 0.55;
          const text = inbound
            ? `${pick(OPENERS)}, ${rand() < 0.2 ? `this is ${pick(NAMES)}, ` : ''}${pick(ASKS)}?`
            : pick(ANSWERS);
          insert.run(
            `m-${i}`,
            workspace,
            `WAMID-${i}`,
            chat,
            inbound ? 'in' : 'out',
            inbound ? 'contact' : 'bot',
            text,
            at,
            at,
            inbound ? 'direct' : null,
          );
        }
      })();
      if (from % 200_000 === 0) log(`inbox-search: ${from} / ${N} messages written`);
    }
  });
}

async function openFilled(): Promise<Store> {
  if (existsSync(cached)) {
    log(`inbox-search: using the cached database ${cached}`);
    return openDatabase({ path: cached, durability: 'normal' });
  }
  mkdirSync(CACHE, { recursive: true });
  const building = `${cached}.building`;
  rmSync(building, { force: true });
  const started = performance.now();
  const store = await openDatabase({ path: building, durability: 'normal' });
  await fill(store);
  await store.close();
  renameSync(building, cached);
  log(`inbox-search: built ${N} messages in ${Math.round((performance.now() - started) / 1000)} s`);
  return openDatabase({ path: cached, durability: 'normal' });
}

function stats(times: number[]): { median: number; p95: number } {
  const sorted = [...times].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95) };
}

async function measure(run: (query: string) => Promise<unknown>): Promise<number[]> {
  for (const q of QUERIES) await run(q); // warm the page cache
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of QUERIES) {
      const started = performance.now();
      await run(q);
      times.push(performance.now() - started);
    }
  }
  return times;
}

const round2 = (ms: number) => Math.round(ms * 100) / 100;

const store = await openFilled();
try {
  const search = createMessageSearchRepository(store.db);
  for (const q of ['adebayo', 'transfer receipt', 'zobo']) {
    const hits = await search.search(A, q, 30);
    log(`inbox-search: "${q}" -> ${hits.length} hits, e.g. ${JSON.stringify(hits[0]?.snippet ?? null)}`);
  }
  const fts = stats(await measure((q) => search.search(A, q, 30)));
  const like = stats(await measure((q) => search.scanLike(A, q, 30)));
  const line = (figures: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(figures)}\n`);
  const what = `${QUERIES.length} owner searches x ${ROUNDS}, newest 30 hits with snippets; baseline LIKE '%q%', newest 30`;
  line({
    name: 'inbox.search_ms',
    value: round2(fts.median),
    baseline: round2(like.median),
    ratio: round2(fts.median / like.median),
    messages: N,
    unit: `ms (median of ${what})`,
  });
  line({
    name: 'inbox.search_ms.p95',
    value: round2(fts.p95),
    baseline: round2(like.p95),
    ratio: round2(fts.p95 / like.p95),
    messages: N,
    unit: `ms (p95 of ${what})`,
  });
} finally {
  await store.close();
}
