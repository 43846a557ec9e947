/**
 * bot.faq.update_ms: one FAQ edited in a bot of 1,000 FAQs, until the next answer uses it, and the
 * longest the event loop was blocked meanwhile (sampled by a 1 ms timer).
 * Baseline, in the same run: what an edit cost before, a whole new bot built from all 1,000 FAQs and
 * trained on its first question (the main loop blocked for all of it).
 * The FAQs are Banking77's training queries cut into 1,000 FAQs of about 10 phrasings in their order
 * (neighbouring FAQs are near-duplicates: the hardest case for the retraining of an edit).
 */
import { createMatchingFaqBot, type FaqEntry } from '../src/core/pipeline/faq-bot';
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
async function withLoopWatch<T>(work: () => Promise<T>): Promise<{ result: T; maxDelayMs: number }> {
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
    return { result, maxDelayMs: worst };
  } finally {
    clearInterval(timer);
  }
}

const bot = createMatchingFaqBot(faqs, 0.55);
bot.answer('warm up: trains the whole index once');

const rounds = 5;
let update = 0;
let worstLoop = 0;
for (let r = 0; r < rounds; r++) {
  const target = faqs[100 + r * 150]!;
  const phrase = `is the zorblax ${r} card fee waived`;
  const edited = faqs.map((f) =>
    f.id === target.id ? { ...f, answer: `edited ${r}`, phrasings: [...f.phrasings, phrase] } : f,
  );
  const { result, maxDelayMs } = await withLoopWatch(async () => {
    const started = performance.now();
    const refreshing = bot.refresh(edited, 0.55);
    // A customer message meanwhile is answered by the previous index (never waits for the edit).
    bot.answer('what is the exchange rate');
    await refreshing;
    const answer = bot.answer(phrase);
    if (answer.kind !== 'answer' || answer.faqId !== target.id) throw new Error('the edit was not used');
    return performance.now() - started;
  });
  update += result / rounds;
  worstLoop = Math.max(worstLoop, maxDelayMs);
}

const { result: rebuild, maxDelayMs: rebuildLoop } = await withLoopWatch(() => {
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
