/**
 * bot.faq.update_ms: one FAQ edited in a bot of 1,000 FAQs, until the next answer uses it, while a
 * customer message is answered every 5 ms; the longest the event loop was blocked meanwhile (a 1 ms
 * timer's worst gap) and its delay p99 (perf_hooks' histogram). The bot is the pipeline's: edits
 * prepared in slices beside the index in use, the epochs in the training worker thread.
 * Baseline, in the same run: the full rebuild an edit would otherwise cost, a whole new bot built from
 * all 1,000 FAQs and trained on its first question (the main loop blocked for all of it).
 * The FAQs are Banking77's training queries cut into 1,000 FAQs of about 10 phrasings in their order
 * (neighbouring FAQs are near-duplicates: the hardest case for the retraining of an edit).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sharedWorkerTrainer } from '../src/core/bot/faq/training-pool';
import { buildMatchingFaqBot, createMatchingFaqBot, type FaqEntry } from '../src/core/pipeline/faq-bot';
import { loadBanking77 } from './banking77-data';

const data = loadBanking77();
if (data === undefined) {
  process.stderr.write('faq-update bench: Banking77 data not available, skipped\n');
  process.exit(0);
}
const TOTAL = 1000;
const train = data.train;
const faqs: FaqEntry[] = [];
for (let i = 0; i < TOTAL; i++) {
  const qs = train.slice(
    Math.floor((i * train.length) / TOTAL),
    Math.floor(((i + 1) * train.length) / TOTAL),
  );
  faqs.push({
    id: `faq-${i}`,
    question: qs[0]!.text,
    answer: `answer ${i}`,
    phrasings: qs.slice(1).map((q) => q.text),
    enabled: true,
  });
}

/** Runs `work` while a 1 ms timer notes the longest gap between its ticks (the loop's worst stall). */
async function withLoopWatch<T>(
  work: () => Promise<T>,
): Promise<{ result: T; maxDelayMs: number; p99Ms: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 1);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  try {
    const result = await work();
    // The tick a synchronous stretch held back lands now: count it.
    await new Promise((resolve) => setTimeout(resolve, 3));
    return { result, maxDelayMs: worst, p99Ms: histogram.percentile(99) / 1e6 };
  } finally {
    clearInterval(timer);
    histogram.disable();
  }
}

// The machine's own noise, for reading the figures: the same watch over an idle second.
const idle = await withLoopWatch(() => new Promise<void>((resolve) => setTimeout(resolve, 1000)));
process.stderr.write(
  `faq-update bench: an idle loop on this machine now: max ${idle.maxDelayMs.toFixed(1)} ms, p99 ${idle.p99Ms.toFixed(1)} ms\n`,
);

const trainer = sharedWorkerTrainer();
const { result: buildMs, maxDelayMs: buildLoop } = await withLoopWatch(async () => {
  const started = performance.now();
  const built = await buildMatchingFaqBot(faqs, 0.55, [], trainer.train);
  return { ms: performance.now() - started, built };
});
const bot = buildMs.built;
process.stderr.write(
  `faq-update bench: built 1,000 FAQs in slices + worker in ${Math.round(buildMs.ms)} ms, loop max ${Math.round(buildLoop)} ms\n`,
);
const customers = [
  'what is the exchange rate',
  'my card has not arrived',
  'how do I top up',
  'is there a fee',
];

const rounds = 5;
let update = 0;
let worstLoop = 0;
let worstP99 = 0;
for (let r = 0; r < rounds; r++) {
  const target = faqs[100 + r * 150]!;
  const phrase = `is the zorblax ${r} card fee waived`;
  // One edit per round: the FAQs keep the earlier rounds' edits.
  const at = faqs.indexOf(target);
  faqs[at] = { ...target, answer: `edited ${r}`, phrasings: [...target.phrasings, phrase] };
  const edited = [...faqs];
  const { result, maxDelayMs, p99Ms } = await withLoopWatch(async () => {
    const started = performance.now();
    const refreshing = bot.refresh(edited, 0.55, []);
    // Customers meanwhile are answered by the index as it was (never wait for the edit).
    let sent = 0;
    const chatter = setInterval(() => bot.answer(customers[sent++ % customers.length]!), 5);
    await refreshing;
    clearInterval(chatter);
    const answer = bot.answer(phrase);
    if (answer.kind !== 'answer' || answer.faqId !== target.id) throw new Error('the edit was not used');
    return performance.now() - started;
  });
  update += result / rounds;
  worstLoop = Math.max(worstLoop, maxDelayMs);
  worstP99 = Math.max(worstP99, p99Ms);
}
await trainer.close();
const stats = trainer.stats();
process.stderr.write(
  `faq-update bench: edits ${rounds}, training jobs in the worker ${stats.inWorker}, fallbacks ${stats.fallbacks}\n`,
);

const {
  result: rebuild,
  maxDelayMs: rebuildLoop,
  p99Ms: rebuildP99,
} = await withLoopWatch(() => {
  const started = performance.now();
  const fresh = createMatchingFaqBot(faqs, 0.55);
  fresh.answer('the first question trains the new bot');
  return Promise.resolve(performance.now() - started);
});

const round = (x: number) => Math.round(x * 100) / 100;
console.log(
  JSON.stringify({
    name: 'bot.faq.update_ms',
    value: round(update),
    unit: 'ms',
    baseline: round(rebuild),
    ratio: round(update / rebuild),
  }),
);
console.log(
  JSON.stringify({
    name: 'bot.faq.update_loop_max_ms',
    value: round(worstLoop),
    unit: 'ms',
    baseline: round(rebuildLoop),
    ratio: round(worstLoop / rebuildLoop),
  }),
);
console.log(
  JSON.stringify({
    name: 'bot.faq.update_loop_p99_ms',
    value: round(worstP99),
    unit: 'ms',
    baseline: round(rebuildP99),
    ratio: round(worstP99 / rebuildP99),
  }),
);
