/**
 * The FAQ matcher on shop-sized FAQ sets (see shop-sets.ts), at the default threshold, against MiniSearch
 * (baselines.ts) in the same run:
 *
 * - bot.shop.<set>.right: share of answerable messages answered with the right FAQ;
 * - bot.shop.<set>.wrong: share of all messages answered with a wrong FAQ (an answered off-topic
 *   message counts as wrong);
 * - bot.shop.<set>.top1: share of answerable messages whose best FAQ is the right one;
 * - bot.shop.<set>.clarify.right / .clarify.wrong / .clarify.share: the same with the clarifying
 *   question on (clarify.ts, as decide() asks it): a clarified message is right only when the right
 *   FAQ is among those offered, wrong when it is not or the message is off-topic; the share of all
 *   messages clarified. Baseline: the figure with the question off.
 *
 * Sets: banking77 (40 seeded shops of 8-15 intents, 3 phrasings each, test queries as messages, sibling
 * intents as off-topic; the calibration is fitted on other shops built from training queries), naija
 * (the held-out half of data/naija-shops.json; the fitted half is printed on stderr only).
 *
 *   npm run bench -- shop
 */
import { clarificationFor } from '../src/core/bot/faq/clarify';
import { createFaqMatcher } from '../src/core/bot/faq/faq-matcher';
import { DEFAULT_WORKSPACE_SETTINGS } from '../src/shared/settings';
import { loadBanking77 } from './banking77-data';
import { miniSearchBaseline } from './baselines';
import { emit } from './figures';
import { banking77Shops, naijaShops, scoreShops, type ShopBot, type ShopCase } from './shop-sets';

/** The benchmark's Banking77 shops; the calibration fit uses other seeds. */
export const BENCH_SEED = 77;
export const BENCH_SHOPS = 40;

const log = (message: string) => process.stderr.write(`${message}\n`);

function ourBot(shop: ShopCase): ShopBot {
  const matcher = createFaqMatcher({ threshold: DEFAULT_WORKSPACE_SETTINGS.faq.threshold });
  for (const faq of shop.faqs) matcher.upsert({ ...faq, enabled: true });
  return {
    best(text) {
      // What decide() is given: the bot's best four candidates at any confidence.
      const ranked = matcher.match(text, { limit: 4, threshold: 0 });
      const top = ranked[0];
      if (top === undefined) return undefined;
      const answers = top.confidence >= matcher.threshold;
      return { faqId: top.faqId, answers, offered: clarificationFor(ranked, matcher.threshold) };
    },
  };
}

function baselineBot(shop: ShopCase): ShopBot {
  const search = miniSearchBaseline(
    shop.faqs.map((f) => ({ id: f.id, texts: [f.question, ...f.phrasings] })),
  );
  return {
    best(text) {
      const top = search.best(text);
      return top === undefined ? undefined : { faqId: top.id, answers: true };
    },
  };
}

function report(set: string, shops: ShopCase[], emitFigures: boolean): void {
  const mine = scoreShops(shops, ourBot);
  const theirs = scoreShops(shops, baselineBot);
  log(
    `${set}: ${shops.length} shops, ${mine.answerable} answerable + ${mine.offTopic} off-topic messages; ` +
      `ours right ${mine.right.toFixed(3)} wrong ${mine.wrong.toFixed(3)} top1 ${mine.top1.toFixed(3)}; ` +
      `minisearch right ${theirs.right.toFixed(3)} wrong ${theirs.wrong.toFixed(3)} top1 ${theirs.top1.toFixed(3)}`,
  );
  if (!emitFigures) return;
  emit(`bot.shop.${set}.right`, mine.right, 'fraction', theirs.right);
  emit(`bot.shop.${set}.wrong`, mine.wrong, 'fraction', theirs.wrong);
  emit(`bot.shop.${set}.top1`, mine.top1, 'fraction', theirs.top1);
  const asked = mine.clarify!;
  log(
    `${set} with the clarifying question: right ${asked.right.toFixed(3)} wrong ${asked.wrong.toFixed(3)}, ` +
      `${(asked.share * 100).toFixed(1)}% of messages clarified (baseline: the question off)`,
  );
  emit(`bot.shop.${set}.clarify.right`, asked.right, 'fraction', mine.right);
  emit(`bot.shop.${set}.clarify.wrong`, asked.wrong, 'fraction', mine.wrong);
  emit(`bot.shop.${set}.clarify.share`, asked.share, 'fraction', 0);
}

const started = performance.now();
const data = loadBanking77();
if (data === undefined)
  log('shop bench: ../shared/data/banking77 not found; the banking77 shops are skipped');
else
  report(
    'banking77',
    banking77Shops(data, { seed: BENCH_SEED, shops: BENCH_SHOPS, messagesFrom: 'test' }),
    true,
  );
report('naija', naijaShops('heldOut'), true);
report('naija (fitted half, not a figure)', naijaShops('fit'), false);
log(`shop bench: ${((performance.now() - started) / 1000).toFixed(1)} s`);
