import type { Faq } from '../../shared/dto';
import type { WorkspaceId } from '../../shared/types';
import { createId } from '../ids';
import type { Store } from '../store/open-database';
import { createFaqMatcher } from '../bot/faq/faq-matcher';
import { createFaqRepository } from '../store/repositories/faqs';
import { createWorkspaceRepository } from '../store/repositories/workspaces';
import { normalizeText } from './normalize-text';
import type { Bot, FaqCandidate } from './types';

export type FaqEntry = Pick<Faq, 'id' | 'question' | 'answer' | 'phrasings' | 'enabled'>;

/**
 * The stand-in bot until the real matcher lands: a question matches an FAQ when its normal form
 * equals the FAQ's question or one of its phrasings. One map lookup per message, so 1,000 FAQs cost
 * what 10 do. On a collision the earlier FAQ wins (the list comes oldest first).
 */
export function createExactMatchBot(faqs: readonly FaqEntry[]): Bot {
  const index = new Map<string, FaqEntry>();
  for (const faq of faqs) {
    if (!faq.enabled) continue;
    for (const phrase of [faq.question, ...faq.phrasings]) {
      const key = normalizeText(phrase);
      if (key !== '' && !index.has(key)) index.set(key, faq);
    }
  }
  return {
    answer(text) {
      const key = normalizeText(text);
      if (key === '') return { kind: 'abstain', reason: 'empty' };
      const faq = index.get(key);
      if (faq === undefined) return { kind: 'abstain', reason: 'no-exact-match' };
      return { kind: 'answer', text: faq.answer, faqId: faq.id, confidence: 1, source: 'faq' };
    },
  };
}

export type BotFactory = (workspaceId: WorkspaceId) => Bot | Promise<Bot>;

/**
 * The FAQ bot: an exact phrasing answers with full confidence; otherwise the matcher (typos, Pidgin,
 * word order) answers when its calibrated confidence reaches the workspace's threshold, and abstains
 * below it, so the pipeline hands the chat to a human instead of guessing.
 */
export function createMatchingFaqBot(faqs: readonly FaqEntry[], threshold: number): Bot {
  const exact = createExactMatchBot(faqs);
  const matcher = createFaqMatcher({ threshold });
  const byId = new Map<string, FaqEntry>();
  for (const faq of faqs) {
    if (!faq.enabled) continue;
    matcher.upsert(faq);
    byId.set(faq.id, faq);
  }
  return {
    answer(text) {
      const first = exact.answer(text);
      if (first.kind === 'answer' || first.reason === 'empty') return first;
      const best = matcher.match(text, { limit: 1 })[0];
      const faq = best === undefined ? undefined : byId.get(best.faqId);
      if (best === undefined || faq === undefined) return { kind: 'abstain', reason: 'no-confident-match' };
      return { kind: 'answer', text: faq.answer, faqId: faq.id, confidence: best.confidence, source: 'faq' };
    },
    candidates(text, limit) {
      const out: FaqCandidate[] = [];
      const first = exact.answer(text);
      if (first.kind === 'answer' && first.faqId !== null) {
        const faq = byId.get(first.faqId);
        if (faq !== undefined)
          out.push({ faqId: faq.id, question: faq.question, answer: faq.answer, confidence: 1 });
      }
      for (const m of matcher.match(text, { limit: limit + 1, threshold: 0 })) {
        const faq = byId.get(m.faqId);
        if (faq === undefined || out.some((c) => c.faqId === faq.id)) continue;
        out.push({ faqId: faq.id, question: faq.question, answer: faq.answer, confidence: m.confidence });
      }
      return out.slice(0, limit);
    },
    faq(faqId) {
      const faq = byId.get(faqId);
      if (faq === undefined) return undefined;
      return { faqId: faq.id, question: faq.question, answer: faq.answer, confidence: 1 };
    },
  };
}

/** Builds each workspace's bot from its enabled FAQs (the pipeline caches it, see workspace-cache). */
export function createFaqBotFactory(store: Store): BotFactory {
  const faqs = createFaqRepository(store.db, createId);
  const workspaces = createWorkspaceRepository(store.db);
  return async (workspaceId) => {
    const threshold = (await workspaces.get(workspaceId))?.settings.faq.threshold ?? 0.55;
    return createMatchingFaqBot(await faqs.list(workspaceId), threshold);
  };
}
