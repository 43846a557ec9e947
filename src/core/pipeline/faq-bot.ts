import type { Faq } from '../../shared/dto';
import type { WorkspaceId } from '../../shared/types';
import { createId } from '../ids';
import type { Store } from '../store/open-database';
import { buildFaqMatcher, createFaqMatcher, type FaqMatcher } from '../bot/faq/faq-matcher';
import { localTrainer, type Trainer } from '../bot/faq/training';
import { sharedWorkerTrainer } from '../bot/faq/training-pool';
import { createFaqRepository } from '../store/repositories/faqs';
import { createWorkspaceRepository } from '../store/repositories/workspaces';
import { exactForm } from './exact-form';
import type { Bot, BotResult, FaqCandidate } from './types';

export type FaqEntry = Pick<Faq, 'id' | 'question' | 'answer' | 'phrasings' | 'enabled'>;

/**
 * The exact-phrasing bot (tests and benchmarks): a question matches an FAQ when its exact form
 * equals the FAQ's question or one of its phrasings. One map lookup per message, so 1,000 FAQs cost
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
   * Brings the bot to these FAQs, threshold and owner's synonym groups, changing only what differs: an
   * edited FAQ is re-indexed alone (its neighbours retrained) beside the index in use, then swapped in
   * whole, so a message decided meanwhile sees the FAQs before or after an edit, never half. Other
   * synonyms change how every phrasing reads, and many edits drift the index: then a new matcher is
   * built the same way beside the old one, which answers until it is ready. Refreshes run in order.
   */
  refresh(
    faqs: readonly FaqEntry[],
    threshold: number,
    synonyms?: readonly (readonly string[])[],
  ): Promise<void>;
}

/**
 * Up to this many phrasings (questions included) a change rebuilds the whole matcher: a few
 * milliseconds, and the IDF and every correction exactly as a fresh load would have them.
 */
const REBUILD_PHRASINGS = 200;

const phrasingsOf = (faqs: Iterable<FaqEntry>) => {
  let count = 0;
  for (const faq of faqs) count += 1 + faq.phrasings.length;
  return count;
};

/** Same FAQs with the same texts (answers may differ: they are not indexed). */
const sameFaqs = (a: ReadonlyMap<string, FaqEntry>, b: ReadonlyMap<string, FaqEntry>) =>
  a.size === b.size && [...b.values()].every((faq) => a.has(faq.id) && sameTexts(a.get(faq.id)!, faq));

const sameTexts = (a: FaqEntry, b: FaqEntry) =>
  a.question === b.question &&
  a.phrasings.length === b.phrasings.length &&
  a.phrasings.every((p, i) => p === b.phrasings[i]);

/** The matcher and the exact-phrasing table of one set of FAQs: swapped together. */
interface BotState {
  matcher: FaqMatcher;
  synonymsKey: string;
  byId: Map<string, FaqEntry>;
  /** Normal form of every question and phrasing -> the FAQs that have it, oldest first (the first wins). */
  exact: Map<string, string[]>;
}

const keysOf = (faq: FaqEntry) =>
  [...new Set([faq.question, ...faq.phrasings].map(exactForm))].filter((k) => k !== '');

function add(state: BotState, faq: FaqEntry): void {
  state.byId.set(faq.id, faq);
  for (const key of keysOf(faq)) {
    const ids = state.exact.get(key);
    if (ids === undefined) state.exact.set(key, [faq.id]);
    else ids.push(faq.id);
  }
}

function drop(state: BotState, faq: FaqEntry): void {
  state.byId.delete(faq.id);
  for (const key of keysOf(faq)) {
    const ids = state.exact.get(key)?.filter((id) => id !== faq.id) ?? [];
    if (ids.length === 0) state.exact.delete(key);
    else state.exact.set(key, ids);
  }
}

function stateOf(
  matcher: FaqMatcher,
  faqs: readonly FaqEntry[],
  synonyms: readonly (readonly string[])[],
): BotState {
  const state: BotState = {
    matcher,
    synonymsKey: JSON.stringify(synonyms),
    byId: new Map(),
    exact: new Map(),
  };
  for (const faq of faqs) if (faq.enabled) add(state, faq);
  return state;
}

/**
 * The FAQ bot: an exact phrasing answers with full confidence; otherwise the matcher (typos, Pidgin,
 * word order) answers when its calibrated confidence reaches the workspace's threshold, and abstains
 * below it, so the pipeline hands the chat to a human instead of guessing. Built at once here (the
 * matcher trains on its first message); `buildMatchingFaqBot` builds one without holding the loop.
 * `trainer` runs the training of later edits and rebuilds.
 */
export function createMatchingFaqBot(
  faqs: readonly FaqEntry[],
  threshold: number,
  synonyms: readonly (readonly string[])[] = [],
  trainer: Trainer = localTrainer,
): RefreshableBot {
  const matcher = createFaqMatcher({ threshold, synonyms });
  for (const faq of faqs) if (faq.enabled) matcher.upsert(faq);
  return faqBot(stateOf(matcher, faqs, synonyms), trainer);
}

/**
 * The same bot, indexed in slices of the event loop and trained through `trainer` (by default the
 * process's training worker): at 1,000 FAQs that is seconds the loop stays free for other workspaces.
 */
export async function buildMatchingFaqBot(
  faqs: readonly FaqEntry[],
  threshold: number,
  synonyms: readonly (readonly string[])[] = [],
  trainer: Trainer = sharedWorkerTrainer().train,
): Promise<RefreshableBot> {
  const enabled = faqs.filter((f) => f.enabled);
  const matcher = await buildFaqMatcher(enabled, { threshold, synonyms }, trainer);
  return faqBot(stateOf(matcher, enabled, synonyms), trainer);
}

/** The bot's current state (swapped whole by a rebuild) and what trains its changes. */
interface BotHolder {
  state: BotState;
  readonly trainer: Trainer;
}

function exactAnswer(state: BotState, text: string): BotResult {
  const key = exactForm(text);
  if (key === '') return { kind: 'abstain', reason: 'empty' };
  const faq = state.byId.get(state.exact.get(key)?.[0] ?? '');
  if (faq === undefined) return { kind: 'abstain', reason: 'no-exact-match' };
  return { kind: 'answer', text: faq.answer, faqId: faq.id, confidence: 1, source: 'faq' };
}

/** A new matcher for these FAQs, built beside the one answering, then swapped in. */
async function rebuild(
  holder: BotHolder,
  faqs: readonly FaqEntry[],
  synonyms: readonly (readonly string[])[],
): Promise<void> {
  const enabled = faqs.filter((f) => f.enabled);
  const options = { threshold: holder.state.matcher.threshold, synonyms };
  const matcher = await buildFaqMatcher(enabled, options, holder.trainer);
  holder.state = stateOf(matcher, enabled, synonyms);
}

/** Each FAQ removed, added or with new texts, edited in the matcher in use one at a time. */
async function editInPlace(
  current: BotState,
  wanted: ReadonlyMap<string, FaqEntry>,
  trainer: Trainer,
): Promise<void> {
  for (const old of [...current.byId.values()]) {
    if (wanted.has(old.id)) continue;
    await current.matcher.edit(old.id, null, trainer, (apply) => {
      apply();
      drop(current, old);
    });
  }
  for (const faq of wanted.values()) {
    const old = current.byId.get(faq.id);
    if (old !== undefined && sameTexts(old, faq)) {
      if (old.answer !== faq.answer) current.byId.set(faq.id, faq); // the answer alone: nothing to re-index
      continue;
    }
    await current.matcher.edit(faq.id, faq, trainer, (apply) => {
      apply();
      if (old !== undefined) drop(current, old);
      add(current, faq);
    });
  }
}

async function refreshBot(
  holder: BotHolder,
  next: readonly FaqEntry[],
  threshold: number,
  synonyms: readonly (readonly string[])[] | undefined,
): Promise<void> {
  holder.state.matcher.setThreshold(threshold);
  if (synonyms !== undefined && JSON.stringify(synonyms) !== holder.state.synonymsKey) {
    await rebuild(holder, next, synonyms);
    return;
  }
  const wanted = new Map(next.filter((f) => f.enabled).map((f) => [f.id, f]));
  const current = holder.state;
  const ownSynonyms = JSON.parse(current.synonymsKey) as string[][];
  if (
    phrasingsOf(wanted.values()) <= REBUILD_PHRASINGS &&
    phrasingsOf(current.byId.values()) <= REBUILD_PHRASINGS
  ) {
    // A small shop: rebuilt whole, in milliseconds, so it matches exactly as if it had just been loaded.
    if (!sameFaqs(current.byId, wanted)) await rebuild(holder, next, ownSynonyms);
    else for (const faq of wanted.values()) current.byId.set(faq.id, faq); // answers alone
    return;
  }
  await editInPlace(current, wanted, holder.trainer);
  if (current.matcher.drifted) await rebuild(holder, next, ownSynonyms);
}

function faqBot(initial: BotState, trainer: Trainer): RefreshableBot {
  const holder: BotHolder = { state: initial, trainer };
  let queue: Promise<void> = Promise.resolve();

  return {
    answer(text) {
      const first = exactAnswer(holder.state, text);
      if (first.kind === 'answer' || first.reason === 'empty') return first;
      const { matcher, byId } = holder.state;
      const best = matcher.match(text, { limit: 1 })[0];
      const faq = best === undefined ? undefined : byId.get(best.faqId);
      if (best === undefined || faq === undefined) return { kind: 'abstain', reason: 'no-confident-match' };
      return { kind: 'answer', text: faq.answer, faqId: faq.id, confidence: best.confidence, source: 'faq' };
    },
    candidates(text, limit) {
      const { matcher, byId } = holder.state;
      const out: FaqCandidate[] = [];
      const first = exactAnswer(holder.state, text);
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
      const faq = holder.state.byId.get(faqId);
      if (faq === undefined) return undefined;
      return { faqId: faq.id, question: faq.question, answer: faq.answer, confidence: 1 };
    },
    refresh(next, threshold, synonyms) {
      // Nothing changes in the caller's own turn: a message decided right after this call sees the old FAQs.
      const run = queue.then(async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        await refreshBot(holder, next, threshold, synonyms);
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** Builds each workspace's bot from its enabled FAQs (the pipeline caches it, see workspace-cache). */
export function createFaqBotFactory(store: Store): BotFactory {
  const faqs = createFaqRepository(store.db, createId);
  const workspaces = createWorkspaceRepository(store.db);
  return async (workspaceId) => {
    const faq = (await workspaces.get(workspaceId))?.settings.faq;
    return buildMatchingFaqBot(await faqs.list(workspaceId), faq?.threshold ?? 0.55, faq?.synonyms);
  };
}

/**
 * Brings a workspace's bot up to date in place after an FAQ or settings change, synonyms included (see
 * RefreshableBot); false when the bot cannot be refreshed (another kind of bot): the caller builds a
 * new one.
 */
export function createFaqBotRefresher(
  store: Store,
): (workspaceId: WorkspaceId, bot: Bot) => Promise<boolean> {
  const faqs = createFaqRepository(store.db, createId);
  const workspaces = createWorkspaceRepository(store.db);
  return async (workspaceId, bot) => {
    if (!('refresh' in bot) || typeof bot.refresh !== 'function') return false;
    const settings = (await workspaces.get(workspaceId))?.settings.faq;
    await (bot as RefreshableBot).refresh(
      await faqs.list(workspaceId),
      settings?.threshold ?? 0.55,
      settings?.synonyms ?? [],
    );
    return true;
  };
}
