/**
 * The FAQ matcher's quality and speed on Banking77 (../shared/data/banking77, see its README), against
 * MiniSearch (BM25, one document per FAQ, default options; see baselines.ts) in the same run, both on
 * every test query.
 *
 * - bot.banking77.{k5,k10,all}.top1: each intent is one FAQ, its first K training queries (file order)
 *   are the phrasings, every test query is a customer message; top-1 accuracy.
 * - bot.faq.ms_per_query: 1,000 FAQs built by splitting every intent's training queries into FAQs of
 *   about 10 phrasings each (so FAQs are realistic and some are near-duplicates, the hard case); the
 *   3,080 test queries go through the whole `match()` (normalisation, scoring, calibration, explanation).
 * - bot.banking77.oos.wrong_rate: 10 intents (every 7th, in sorted order) are left out of the index
 *   (K = 10 for the rest). The threshold is set so 70% of in-scope test queries are answered; the value
 *   is the share of held-out-intent queries answered anyway (every such answer is wrong).
 *
 * stdout: JSON lines only; details (build and update times, thresholds) go to stderr.
 *   npm run bench -- banking77
 */
import { createFaqMatcher, type FaqMatcher } from '../src/core/bot/faq/faq-matcher';
import { loadBanking77, phrasingsByIntent, type Banking77, type Example } from './banking77-data';
import { miniSearchBaseline } from './baselines';
import { emit } from './figures';

const data = loadBanking77();
if (data === undefined) {
  process.stderr.write(
    'banking77 bench: ../shared/data/banking77 not found beside the repository; skipped\n',
  );
  process.exit(0);
}

const log = (message: string) => process.stderr.write(`${message}\n`);

interface Ranker {
  /** The best FAQ and a score (higher = surer), or undefined when nothing matched at all. */
  best(text: string): { id: string; score: number } | undefined;
}

function ours(faqs: Map<string, string[]>): { ranker: Ranker; matcher: FaqMatcher; buildMs: number } {
  const matcher = createFaqMatcher();
  for (const [id, phrasings] of faqs)
    matcher.upsert({ id, question: phrasings[0]!, phrasings, enabled: true });
  const started = performance.now();
  matcher.warmUp();
  const buildMs = performance.now() - started;
  return {
    matcher,
    buildMs,
    ranker: {
      best(text) {
        const [top] = matcher.match(text, { limit: 1, threshold: 0 });
        return top === undefined ? undefined : { id: top.faqId, score: top.confidence };
      },
    },
  };
}

function miniSearch(faqs: Map<string, string[]>): Ranker {
  return miniSearchBaseline([...faqs].map(([id, texts]) => ({ id, texts })));
}

function accuracy(ranker: Ranker, queries: Example[], label = (id: string) => id): number {
  let hits = 0;
  for (const q of queries) if (label(ranker.best(q.text)?.id ?? '') === q.intent) hits++;
  return hits / queries.length;
}

function msPerQuery(ranker: Ranker, queries: Example[]): number {
  for (const q of queries.slice(0, 20)) ranker.best(q.text); // warm the JIT
  const started = performance.now();
  for (const q of queries) ranker.best(q.text);
  return (performance.now() - started) / queries.length;
}

/** Each intent's training queries in FAQs of about 10, exactly `total` FAQs in all. */
function thousandFaqs(banking: Banking77, total: number): Map<string, string[]> {
  const byIntent = phrasingsByIntent(banking);
  const all = banking.train.length;
  const chunks = new Map(
    [...byIntent].map(([intent, qs]) => [intent, Math.max(1, Math.round((qs.length * total) / all))]),
  );
  let sum = [...chunks.values()].reduce((a, b) => a + b, 0);
  const bySize = [...byIntent.keys()].sort((a, b) => byIntent.get(b)!.length - byIntent.get(a)!.length);
  for (let i = 0; sum !== total; i = (i + 1) % bySize.length) {
    const intent = bySize[i]!;
    const step = sum < total ? 1 : -1;
    if (chunks.get(intent)! + step < 1) continue;
    chunks.set(intent, chunks.get(intent)! + step);
    sum += step;
  }
  const faqs = new Map<string, string[]>();
  for (const [intent, qs] of byIntent) {
    const n = chunks.get(intent)!;
    for (let c = 0; c < n; c++) {
      faqs.set(
        `${intent}#${c}`,
        qs.slice(Math.floor((c * qs.length) / n), Math.floor(((c + 1) * qs.length) / n)),
      );
    }
  }
  return faqs;
}

/** Share of out-of-scope queries answered at the threshold that answers 70% of in-scope ones. */
function wrongRate(
  ranker: Ranker,
  inScope: Example[],
  outOfScope: Example[],
): { rate: number; threshold: number } {
  const scores = inScope.map((q) => ranker.best(q.text)?.score ?? -Infinity).sort((a, b) => a - b);
  const threshold = scores[Math.floor(scores.length * 0.3)]!;
  let answered = 0;
  for (const q of outOfScope) if ((ranker.best(q.text)?.score ?? -Infinity) >= threshold) answered++;
  return { rate: answered / outOfScope.length, threshold };
}

const started = performance.now();
for (const k of [5, 10, undefined]) {
  const faqs = phrasingsByIntent(data, k);
  const mine = ours(faqs);
  const value = accuracy(mine.ranker, data.test);
  const baseline = accuracy(miniSearch(faqs), data.test);
  log(
    `K=${k ?? 'all'}: ours ${value.toFixed(4)} (build ${mine.buildMs.toFixed(0)} ms), minisearch ` +
      `${baseline.toFixed(4)} on ${data.test.length} queries`,
  );
  emit(`bot.banking77.${k === undefined ? 'all' : `k${k}`}.top1`, value, 'fraction', baseline);
}

{
  const faqs = thousandFaqs(data, 1000);
  const mine = ours(faqs);
  const search = miniSearch(faqs);
  const value = msPerQuery(mine.ranker, data.test);
  const baseline = msPerQuery(search, data.test);
  const intentOf = (id: string) => id.split('#')[0]!;
  log(
    `1,000 FAQs (${[...faqs.values()].reduce((a, b) => a + b.length, 0)} phrasings): full build ` +
      `${mine.buildMs.toFixed(0)} ms; ${value.toFixed(3)} ms/query over ${data.test.length} queries ` +
      `(minisearch ${baseline.toFixed(3)}); top-1 intent ours ` +
      `${accuracy(mine.ranker, data.test, intentOf).toFixed(4)}`,
  );
  const updates: number[] = [];
  const ids = [...faqs.keys()];
  for (let i = 0; i < 20; i++) {
    const id = ids[(i * 37) % ids.length]!;
    const phrasings = faqs.get(id)!;
    const t = performance.now();
    mine.matcher.upsert({
      id,
      question: phrasings[1] ?? phrasings[0]!,
      phrasings: phrasings.slice(1),
      enabled: true,
    });
    updates.push(performance.now() - t);
  }
  updates.sort((a, b) => a - b);
  log(
    `incremental upsert at 1,000 FAQs: median ${updates[10]!.toFixed(1)} ms, max ${updates[19]!.toFixed(1)} ms`,
  );
  emit('bot.faq.ms_per_query', value, 'ms', baseline);
}

{
  const heldOut = new Set(data.intents.filter((_, i) => i % 7 === 0).slice(0, 10));
  const faqs = phrasingsByIntent(data, 10);
  for (const intent of heldOut) faqs.delete(intent);
  const inScope = data.test.filter((q) => !heldOut.has(q.intent));
  const outOfScope = data.test.filter((q) => heldOut.has(q.intent));
  const mine = wrongRate(ours(faqs).ranker, inScope, outOfScope);
  const theirs = wrongRate(miniSearch(faqs), inScope, outOfScope);
  log(
    `out of scope (${[...heldOut].join(', ')}): ours answers ${(mine.rate * 100).toFixed(1)}% at confidence ` +
      `${mine.threshold.toFixed(3)}, minisearch ${(theirs.rate * 100).toFixed(1)}% at score ${theirs.threshold.toFixed(2)}`,
  );
  emit('bot.banking77.oos.wrong_rate', mine.rate, 'fraction', theirs.rate);
}
log(`banking77 bench: ${((performance.now() - started) / 1000).toFixed(1)} s`);
