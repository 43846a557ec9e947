import { readFileSync } from 'node:fs';
import type { FaqInput } from '../faq-matcher';

/** Test support: the Nigerian shops of the benchmark (bench/data/naija-shops.json) and random FAQ changes. */
export interface NaijaShop {
  id: string;
  faqs: { id: string; question: string; phrasings: string[] }[];
  messages: { text: string; faq: string | null }[];
}

export const NAIJA_SHOPS = (
  JSON.parse(
    readFileSync(new URL('../../../../../bench/data/naija-shops.json', import.meta.url), 'utf8'),
  ) as { shops: NaijaShop[] }
).shops;

function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/**
 * A shop's FAQs with a few random changes: a phrasing added (a message of the shop's own), a phrasing
 * dropped, an FAQ deleted, a held-back FAQ added.
 */
export function randomChanges(shop: NaijaShop, seed: number) {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const held = shop.faqs[shop.faqs.length - 1]!;
  const start: FaqInput[] = shop.faqs.slice(0, -1).map((f) => ({ ...f, enabled: true }));
  const current = new Map(start.map((f) => [f.id, f]));
  const changes: { id: string; faq: FaqInput | null }[] = [];
  const answerable = shop.messages.filter((m) => m.faq !== null && current.has(m.faq));
  for (let i = 0; i < 2; i++) {
    const message = pick(answerable);
    const faq = current.get(message.faq!)!;
    changes.push({ id: faq.id, faq: { ...faq, phrasings: [...faq.phrasings, message.text] } });
    current.set(faq.id, changes[changes.length - 1]!.faq!);
  }
  const trimmed = pick([...current.values()].filter((f) => f.phrasings.length > 1));
  changes.push({ id: trimmed.id, faq: { ...trimmed, phrasings: trimmed.phrasings.slice(1) } });
  current.set(trimmed.id, changes[changes.length - 1]!.faq!);
  const deleted = pick([...current.values()].filter((f) => f.id !== trimmed.id));
  changes.push({ id: deleted.id, faq: null });
  current.delete(deleted.id);
  changes.push({ id: held.id, faq: { ...held, enabled: true } });
  current.set(held.id, { ...held, enabled: true });
  return { start, changes, end: [...current.values()] };
}
