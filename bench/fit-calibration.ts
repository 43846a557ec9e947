/**
 * Fits the FAQ matcher's confidence (src/core/bot/faq/calibration.ts) and prints the constants to
 * paste there, with the reliability table they reach. Not a benchmark (no `.bench.ts`): run it after
 * changing the matcher's scores or signals:
 *
 *   npx tsx bench/fit-calibration.ts
 *
 * Data, so that one calibration holds for 10 FAQs and for 1,000:
 * - big: Banking77 *training* queries only. For each K (phrasings per intent) and each of several sets
 *   of 10 held-out intents, the index holds K phrasings of every other intent; every training query
 *   beyond the first K (of all intents, held-out ones included) is a message, labelled 1 when the top
 *   FAQ is its intent. The benchmark's held-out set (every 7th intent from the first) is never used, so
 *   its wrong-answer rate is measured on intents the fit never saw as unanswerable;
 * - shops: Banking77 shops (shop-sets.ts) built from training queries with other seeds than the
 *   benchmark's, their messages training queries too;
 * - naija: the fitting half of the Nigerian shops (the benchmark reports the other half).
 * Each group weighs the same in the fit, whatever its number of messages (the shops are what a
 * customer of this app is, the big set what keeps 1,000 FAQs honest).
 */
import type { Calibration, ConfidenceInputs } from '../src/core/bot/faq/calibration';
import { createFaqMatcher } from '../src/core/bot/faq/faq-matcher';
import { loadBanking77, phrasingsByIntent } from './banking77-data';
import { banking77Shops, naijaShops, type ShopCase } from './shop-sets';

const data = loadBanking77();
if (data === undefined) throw new Error('../shared/data/banking77 not found beside the repository');

const SIGNALS = [
  'score',
  'margin',
  'nearest',
  'coverage',
  'unknown',
  'faqs',
  'phrasings',
] as const satisfies readonly (keyof ConfidenceInputs)[];
/** Seeds of the Banking77 shops fitted on (the benchmark's is 77). */
const SHOP_SEEDS = [1, 2, 3];
/** Held-out sets: every 7th intent from these offsets (0 is the benchmark's; never used here). */
const OFFSETS = [1, 3, 5];
const KS = [5, 10, 30];

interface Sample {
  x: number[];
  y: number;
  /** The sample's weight in the fit. */
  w: number;
}

const features = (signals: ConfidenceInputs) => [1, ...SIGNALS.map((s) => signals[s] ?? 0)];

function shopSamples(shops: readonly ShopCase[]): Sample[] {
  const out: Sample[] = [];
  for (const shop of shops) {
    const matcher = createFaqMatcher();
    for (const faq of shop.faqs) matcher.upsert({ ...faq, enabled: true });
    for (const message of shop.messages) {
      const [top] = matcher.tryMessage(message.text);
      if (top !== undefined)
        out.push({ x: features(top.signals), y: top.faqId === message.faq ? 1 : 0, w: 1 });
    }
  }
  return out;
}

/** Scales a group's weights so that the group sums to `total`. */
function weigh(rows: Sample[], total: number): Sample[] {
  return rows.map((r) => ({ ...r, w: total / rows.length }));
}

function samples(k: number, offset: number): Sample[] {
  const heldOut = new Set(data!.intents.filter((_, i) => i % 7 === offset).slice(0, 10));
  const faqs = phrasingsByIntent(data!, k);
  const matcher = createFaqMatcher();
  for (const [id, phrasings] of faqs) {
    if (!heldOut.has(id)) matcher.upsert({ id, question: phrasings[0]!, phrasings, enabled: true });
  }
  matcher.warmUp();
  const seen = new Map<string, number>();
  const out: Sample[] = [];
  for (const example of data!.train) {
    const n = (seen.get(example.intent) ?? 0) + 1;
    seen.set(example.intent, n);
    if (n <= k) continue;
    const [top] = matcher.tryMessage(example.text);
    if (top === undefined) continue;
    out.push({ x: features(top.signals), y: top.faqId === example.intent ? 1 : 0, w: 1 });
  }
  return out;
}

/** Logistic regression by Newton's method, with a small ridge so it always converges. */
function fitLogistic(rows: Sample[], ridge = 1e-3, iterations = 25): number[] {
  const d = rows[0]!.x.length;
  const w = new Array<number>(d).fill(0);
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(d).fill(0);
    const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (const { x, y, w: weight } of rows) {
      const p = 1 / (1 + Math.exp(-x.reduce((sum, v, i) => sum + v * w[i]!, 0)));
      const r = weight * p * (1 - p);
      for (let i = 0; i < d; i++) {
        g[i] = g[i]! + weight * (y - p) * x[i]!;
        for (let j = 0; j < d; j++) h[i]![j] = h[i]![j]! + r * x[i]! * x[j]!;
      }
    }
    for (let i = 0; i < d; i++) {
      g[i] = g[i]! - ridge * w[i]!;
      h[i]![i] = h[i]![i]! + ridge;
    }
    const step = solve(h, g);
    for (let i = 0; i < d; i++) w[i] = w[i]! + step[i]!;
    if (Math.max(...step.map(Math.abs)) < 1e-7) break;
  }
  return w;
}

/** Gaussian elimination with partial pivoting: a d-by-d system, d = 8. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k] = m[r]![k]! - f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

const started = performance.now();
const big: Sample[] = [];
for (const k of KS) {
  for (const offset of OFFSETS) {
    big.push(...samples(k, offset));
    process.stderr.write(`K=${k} held-out set ${offset}: ${big.length} samples so far\n`);
  }
}
const shops = shopSamples(
  SHOP_SEEDS.flatMap((seed) => banking77Shops(data, { seed, shops: 20, messagesFrom: 'train' })),
);
const naija = shopSamples(naijaShops('fit'));
process.stderr.write(`shops: ${shops.length} samples, naija: ${naija.length}\n`);
const total = big.length;
const rows = [...weigh(big, total), ...weigh(shops, total), ...weigh(naija, total / 2)];
const w = fitLogistic(rows);
const round = (v: number) => Math.round(v * 100) / 100;
const fitted = Object.fromEntries(
  ['bias', ...SIGNALS].map((name, i) => [name, round(w[i]!)]),
) as unknown as Calibration;
console.log(`export const CALIBRATION = ${JSON.stringify(fitted)} as const;`);

// Reliability per group: predicted against observed, in bands of predicted confidence.
const bands = [0, 0.2, 0.4, 0.6, 0.8, 1.0001];
for (const [name, group] of [
  ['big', big],
  ['shops', shops],
  ['naija', naija],
] as const) {
  console.log(`${name}:`);
  for (let b = 0; b + 1 < bands.length; b++) {
    const inBand = group
      .map(({ x, y }) => ({ p: 1 / (1 + Math.exp(-x.reduce((s, v, i) => s + v * w[i]!, 0))), y }))
      .filter(({ p }) => p >= bands[b]! && p < bands[b + 1]!);
    if (inBand.length === 0) continue;
    const mean = (f: (r: { p: number; y: number }) => number) =>
      inBand.reduce((s, r) => s + f(r), 0) / inBand.length;
    console.log(
      `  predicted ${bands[b]!.toFixed(1)}-${Math.min(1, bands[b + 1]!).toFixed(1)}: mean ${mean((r) => r.p).toFixed(2)}, ` +
        `observed ${mean((r) => r.y).toFixed(2)} (${inBand.length} messages)`,
    );
  }
}
process.stderr.write(`fit in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
