/**
 * Shop-sized FAQ sets for the matcher's benchmark and its calibration fit: what a small shop's bot faces,
 * rather than one bank with 77 well-phrased intents.
 *
 * - Banking77 shops: a seeded sample of 8-15 intents, 3 phrasings each (the owner types a few), and
 *   messages that are those intents' queries plus queries of *sibling* intents left out of the shop
 *   (intents sharing a word with a chosen one: "card_arrival" in the shop, "card_linking" left out), a
 *   quarter of all messages. Siblings are the hard off-topic case: same words, another question.
 * - The Nigerian shops (data/naija-shops.json, see data/README.md): four Lagos shops written for the
 *   project, split once by message position: even positions are for fitting, odd ones are held out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Banking77, Example } from './banking77-data';
import { REPO_ROOT } from './banking77-data';

export interface ShopFaq {
  id: string;
  question: string;
  phrasings: string[];
}

export interface ShopMessage {
  text: string;
  /** The FAQ that answers it; null when none of the shop's FAQs does (the bot should not answer). */
  faq: string | null;
}

export interface ShopCase {
  id: string;
  faqs: ShopFaq[];
  messages: ShopMessage[];
}

/** A small deterministic generator (mulberry32): the same seed gives the same shops on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Words of an intent's name that say its topic ("card", "top", "transfer"), not its grammar. */
const NAME_GRAMMAR = new Set(['or', 'and', 'by', 'of', 'on', 'not', 'after', 'to', 'via', 'why', 'get']);
const nameWords = (intent: string) => intent.split('_').filter((w) => !NAME_GRAMMAR.has(w));

export interface Banking77ShopOptions {
  seed: number;
  shops: number;
  /** 'train': the calibration fit's messages; 'test': the benchmark's. Phrasings always come from train. */
  messagesFrom: 'train' | 'test';
  phrasings?: number;
  /** Answerable messages per intent, at most. */
  perIntent?: number;
}

export function banking77Shops(data: Banking77, options: Banking77ShopOptions): ShopCase[] {
  const random = seededRandom(options.seed);
  const phrasingCount = options.phrasings ?? 3;
  const perIntent = options.perIntent ?? 8;
  const group = (examples: Example[]) => {
    const by = new Map<string, string[]>();
    for (const e of examples) by.set(e.intent, [...(by.get(e.intent) ?? []), e.text]);
    return by;
  };
  const train = group(data.train);
  const test = group(data.test);
  const shops: ShopCase[] = [];
  for (let s = 0; s < options.shops; s++) {
    const size = 8 + Math.floor(random() * 8);
    const chosen = shuffled(data.intents, random).slice(0, size);
    const inShop = new Set(chosen);
    const topics = new Set(chosen.flatMap(nameWords));
    const siblings = data.intents.filter((i) => !inShop.has(i) && nameWords(i).some((w) => topics.has(w)));
    const others = data.intents.filter((i) => !inShop.has(i) && !siblings.includes(i));
    const faqs: ShopFaq[] = [];
    const messages: ShopMessage[] = [];
    for (const intent of chosen) {
      const pool = shuffled(train.get(intent)!, random);
      const [question, ...phrasings] = pool.slice(0, phrasingCount);
      faqs.push({ id: intent, question: question!, phrasings });
      const source = options.messagesFrom === 'train' ? pool.slice(phrasingCount) : test.get(intent)!;
      for (const text of shuffled(source, random).slice(0, perIntent)) messages.push({ text, faq: intent });
    }
    // A quarter of all messages off-topic: a third as many as the answerable ones, siblings first.
    const wanted = Math.round(messages.length / 3);
    const offPool = [...shuffled(siblings, random), ...shuffled(others, random)];
    const sourceOf = options.messagesFrom === 'train' ? train : test;
    for (let k = 0; k < wanted; k++) {
      const intent = offPool[k % Math.min(offPool.length, Math.max(6, siblings.length))]!;
      const pool = sourceOf.get(intent)!;
      messages.push({ text: pool[Math.floor(random() * pool.length)]!, faq: null });
    }
    shops.push({ id: `banking77-shop-${s}`, faqs, messages });
  }
  return shops;
}

interface NaijaFile {
  shops: {
    id: string;
    faqs: ShopFaq[];
    messages: ShopMessage[];
  }[];
}

export const NAIJA_FILE = join(REPO_ROOT, 'bench/data/naija-shops.json');

/** The Nigerian shops with the messages of one half: 'fit' (even positions) or 'heldOut' (odd ones). */
export function naijaShops(half: 'fit' | 'heldOut' | 'all'): ShopCase[] {
  const file = JSON.parse(readFileSync(NAIJA_FILE, 'utf8')) as NaijaFile;
  return file.shops.map((shop) => ({
    id: shop.id,
    faqs: shop.faqs,
    messages: shop.messages.filter((_, i) => half === 'all' || i % 2 === (half === 'fit' ? 0 : 1)),
  }));
}

/** A shop's bot under test: the best FAQ for a message and whether it would send that answer. */
export interface ShopBot {
  /**
   * `offered`: the FAQs a clarifying question would offer ("Do you mean 1) ... or 2) ...?"), null
   * when the bot would answer or hand over; left out by a bot that never asks.
   */
  best(text: string): { faqId: string; answers: boolean; offered?: readonly string[] | null } | undefined;
}

export interface ShopScore {
  /** Share of answerable messages answered with the right FAQ. */
  right: number;
  /** Share of all messages answered with a wrong FAQ (an answered off-topic message is wrong). */
  wrong: number;
  /** Share of answerable messages whose best FAQ is the right one, answered or not. */
  top1: number;
  answerable: number;
  offTopic: number;
  /**
   * With the clarifying question on: `right` counts a clarified answerable message when the right FAQ
   * is among those offered (the customer can pick it); `wrong` counts one clarified without it, and any
   * off-topic message clarified (only wrong answers were offered); `share` is the share of all
   * messages clarified. Undefined for a bot that never asks.
   */
  clarify?: { right: number; wrong: number; share: number };
}

export function scoreShops(shops: readonly ShopCase[], botFor: (shop: ShopCase) => ShopBot): ShopScore {
  let answerable = 0;
  let all = 0;
  let right = 0;
  let wrong = 0;
  let top1 = 0;
  let asks = false;
  const clarified = { right: 0, wrong: 0, count: 0 };
  for (const shop of shops) {
    const bot = botFor(shop);
    for (const message of shop.messages) {
      all++;
      const best = bot.best(message.text);
      if (message.faq !== null) answerable++;
      if (best === undefined) continue;
      const correct = best.faqId === message.faq;
      if (correct) top1++;
      if (best.answers && correct) right++;
      if (best.answers && !correct) wrong++;
      if (best.offered !== undefined) asks = true;
      if (best.offered === undefined || best.offered === null) continue;
      clarified.count++;
      if (message.faq !== null && best.offered.includes(message.faq)) clarified.right++;
      else clarified.wrong++;
    }
  }
  return {
    right: right / answerable,
    wrong: wrong / all,
    top1: top1 / answerable,
    answerable,
    offTopic: all - answerable,
    ...(asks && {
      clarify: {
        right: (right + clarified.right) / answerable,
        wrong: (wrong + clarified.wrong) / all,
        share: clarified.count / all,
      },
    }),
  };
}
