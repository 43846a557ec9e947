import type { Faq } from '../../shared/dto';
import type { WorkspaceId } from '../../shared/types';
import { createId } from '../ids';
import type { Store } from '../store/open-database';
import { createFaqMatcher } from '../bot/faq/faq-matcher';
import { createFaqRepository } from '../store/repositories/faqs';
import { createWorkspaceRepository } from '../store/repositories/workspaces';
import { exactForm } from './exact-form';
import type { Bot, BotResult, FaqCandidate } from './types';

export type FaqEntry = Pick<Faq, 'id' | 'question' | 'answer' | 'phrasings' | 'enabled'>;

/**
 * The exact-phrasing bot (tests and benchmarks): a question matches an FAQ when its exact form equals
 * the FAQ's question or one of its phrasings. One map lookup per message, so 1,000 FAQs cost
 * what 10 do. On a collision the earlier FAQ wins (the list comes oldest first).
 */
export function createExactMatchBot(faqs: readonly FaqEntry[]): Bot {
  const index = new Map<string, FaqEntry>();
  for (const faq of faqs) {
    if (!faq.enabled) continue;
    for (const phrase of [faq.question, ...faq.phrasings]) {
      const key = exactForm(phrase);
      if (key !== '' && !index.has(key)) index.set(key, faq);
    }
  }
  return {
    answer(text) {
      const key = exactForm(text);
      if (key === '') return { kind: 'abstain', reason: 'empty' };
      const faq = index.get(key);
      if (faq === undefined) return { kind: 'abstain', reason: 'no-exact-match' };
      return { kind: 'answer', text: faq.answer, faqId: faq.id, confidence: 1, source: 'faq' };
    },
  };
}

export type BotFactory = (workspaceId: WorkspaceId) => Bot | Promise<Bot>;

/** A bot whose FAQs can change in place (see createMatchingFaqBot). */
export interface RefreshableBot extends Bot {
  /**
   * Brings the bot to these FAQs and threshold, changing only what differs: an edited FAQ is
   * re-indexed alone (its neighbours retrained), not the whole bot. One FAQ per turn of the event loop,
   * each applied whole, so a message decided meanwhile sees the FAQs before or after an edit, never half.
   */
  refresh(faqs: readonly FaqEntry[], threshold: number): Promise<void>;
  /** The owner's synonym groups the bot was built with: other groups change every FAQ's index, so a rebuild. */
  readonly synonymsKey: string;
}

const sameTexts = (a: FaqEntry, b: FaqEntry) =>
  a.question === b.question &&
  a.phrasings.length === b.phrasings.length &&
  a.phrasings.every((p, i) => p === b.phrasings[i]);

/**
 * The FAQ bot: an exact phrasing answers with full confidence; otherwise the matcher (typos, Pidgin,
 * word order) answers when its calibrated confidence reaches the workspace's threshold, and abstains
 * below it, so the pipeline hands the chat to a human instead of guessing.
 */
export function createMatchingFaqBot(
  faqs: readonly FaqEntry[],
  threshold: number,
  synonyms: readonly (readonly string[])[] = [],
): RefreshableBot {
  const matcher = createFaqMatcher({ threshold, synonyms });
  const byId = new Map<string, FaqEntry>();
  /** Normal form of every question and phrasing -> the FAQs that have it, oldest first (the first wins). */
  const exact = new Map<string, string[]>();
  const keysOf = (faq: FaqEntry) =>
    [...new Set([faq.question, ...faq.phrasings].map(exactForm))].filter((k) => k !== '');

  function add(faq: FaqEntry): void {
    byId.set(faq.id, faq);
    for (const key of keysOf(faq)) {
      const ids = exact.get(key);
      if (ids === undefined) exact.set(key, [faq.id]);
      else ids.push(faq.id);
    }
  }
  function drop(faq: FaqEntry): void {
    byId.delete(faq.id);
    for (const key of keysOf(faq)) {
      const ids = exact.get(key)?.filter((id) => id !== faq.id) ?? [];
      if (ids.length === 0) exact.delete(key);
      else exact.set(key, ids);
    }
  }
  function exactAnswer(text: string): BotResult {
    const key = exactForm(text);
    if (key === '') return { kind: 'abstain', reason: 'empty' };
    const faq = byId.get(exact.get(key)?.[0] ?? '');
    if (faq === undefined) return { kind: 'abstain', reason: 'no-exact-match' };
    return { kind: 'answer', text: faq.answer, faqId: faq.id, confidence: 1, source: 'faq' };
  }

  for (const faq of faqs) {
    if (!faq.enabled) continue;
    matcher.upsert(faq);
    add(faq);
  }
  return {
    synonymsKey: JSON.stringify(synonyms),
    answer(text) {
      const first = exactAnswer(text);
      if (first.kind === 'answer' || first.reason === 'empty') return first;
      const best = matcher.match(text, { limit: 1 })[0];
      const faq = best === undefined ? undefined : byId.get(best.faqId);
      if (best === undefined || faq === undefined) return { kind: 'abstain', reason: 'no-confident-match' };
      return { kind: 'answer', text: faq.answer, faqId: faq.id, confidence: best.confidence, source: 'faq' };
    },
    candidates(text, limit) {
      const out: FaqCandidate[] = [];
      const first = exactAnswer(text);
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
    async refresh(next, nextThreshold) {
      matcher.setThreshold(nextThreshold);
      const wanted = new Map(next.filter((f) => f.enabled).map((f) => [f.id, f]));
      const changes: (() => void)[] = [];
      for (const old of byId.values()) {
        if (!wanted.has(old.id))
          changes.push(() => {
            matcher.remove(old.id);
            drop(old);
          });
      }
      for (const faq of wanted.values()) {
        const old = byId.get(faq.id);
        if (old !== undefined && sameTexts(old, faq)) {
          if (old.answer !== faq.answer) byId.set(faq.id, faq); // the answer alone: nothing to re-index
          continue;
        }
        changes.push(() => {
          if (old !== undefined) drop(old);
          matcher.upsert(faq);
          add(faq);
        });
      }
      for (const change of changes) {
        // Let messages and timers run between two FAQs' re-indexing (and before the first: nothing
        // changes in the caller's own turn).
        await new Promise<void>((resolve) => setImmediate(resolve));
        change();
      }
    },
  };
}

/** Builds each workspace's bot from its enabled FAQs (the pipeline caches it, see workspace-cache). */
export function createFaqBotFactory(store: Store): BotFactory {
  const faqs = createFaqRepository(store.db, createId);
  const workspaces = createWorkspaceRepository(store.db);
  return async (workspaceId) => {
    const faq = (await workspaces.get(workspaceId))?.settings.faq;
    return createMatchingFaqBot(await faqs.list(workspaceId), faq?.threshold ?? 0.55, faq?.synonyms);
  };
}

/**
 * Brings a workspace's bot up to date in place after an FAQ or settings change (see RefreshableBot);
 * false when the bot cannot be refreshed (another kind of bot): the caller builds a new one.
 */
export function createFaqBotRefresher(
  store: Store,
): (workspaceId: WorkspaceId, bot: Bot) => Promise<boolean> {
  const faqs = createFaqRepository(store.db, createId);
  const workspaces = createWorkspaceRepository(store.db);
  return async (workspaceId, bot) => {
    if (!('refresh' in bot) || typeof bot.refresh !== 'function') return false;
    const settings = (await workspaces.get(workspaceId))?.settings.faq;
    const refreshable = bot as RefreshableBot;
    if (refreshable.synonymsKey !== JSON.stringify(settings?.synonyms ?? [])) return false;
    await refreshable.refresh(await faqs.list(workspaceId), settings?.threshold ?? 0.55);
    return true;
  };
}
