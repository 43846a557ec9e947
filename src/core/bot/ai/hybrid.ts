import type { BotResult } from '../../pipeline/types';
import type { AiOrchestrator, AiOutcome } from './orchestrator';
import { buildPrompt, type BusinessProfile, type FaqEntry } from './prompt';
import { faqBand, routeMessage, type FaqBand, type RouteDecision } from './route';
import type { ChatMessage } from './types';

/**
 * FAQ first, AI second, a person last. A confident FAQ match is free and instant; below the threshold
 * the AI answers (if the mode allows it and the budget lasts), grounded in the closest FAQs; otherwise
 * the bot abstains and the chat goes to a person. Every outcome carries a reason for the log.
 */

export type AnswerMode = 'faq' | 'ai' | 'hybrid';

export interface HybridFaqMatch {
  faqId: string;
  /** Calibrated confidence from the FAQ matcher (any value: below threshold still guides routing). */
  confidence: number;
  answer: string;
}

export interface HybridAi {
  orchestrator: AiOrchestrator;
  workspaceId: string;
  profile: BusinessProfile;
  /** The top FAQ entries for this message, best first (grounding for the prompt). */
  faqs: readonly FaqEntry[];
  /** The chat's recent messages, oldest first. */
  history: readonly ChatMessage[];
  signal?: AbortSignal;
}

export interface HybridInput {
  text: string;
  /** The FAQ matcher's best match at any confidence, or null when nothing matched at all. */
  faqMatch: HybridFaqMatch | null;
  mode: AnswerMode;
  /** The workspace's `faq.threshold`. */
  threshold: number;
  /** Absent when no AI provider is configured. */
  ai?: HybridAi;
}

export interface HybridOutcome {
  result: BotResult;
  /** e.g. 'faq-confident', 'ai-answer(smart:buying-intent)', 'budget-exhausted', 'faq-no-match'. */
  reason: string;
  band: FaqBand;
  route: RouteDecision | null;
  costUsd: number;
  ai: AiOutcome | null;
}

export async function answerHybrid(input: HybridInput): Promise<HybridOutcome> {
  const match = input.faqMatch;
  const band = faqBand(match?.confidence, input.threshold);
  const base = { band, route: null, costUsd: 0, ai: null };
  const route = routeMessage({
    text: input.text,
    faqBand: band,
    recentMessages: input.ai?.history.length ?? 0,
  });

  // Buying and complaints win over an FAQ that matched a word of the message ("I want 2 tins, can you
  // deliver to Ajah?" is an order, not the delivery question): they go to a person, as orders do, and
  // no model is paid to guess at them.
  if (input.mode === 'hybrid' && route.outranksFaq && band === 'high') {
    const reason = `faq-outranked-${route.reason}`;
    return { ...base, route, reason, result: { kind: 'abstain', reason } };
  }
  // The grounded prompt tells the model to hand a complaint over: in hybrid mode it goes to a person at
  // once, without paying the smart tier to say HANDOFF. (Mode 'ai' asks the smart tier, never the fast.)
  if (input.mode === 'hybrid' && route.reason === 'complaint') {
    return {
      ...base,
      route,
      reason: 'complaint-to-person',
      result: { kind: 'abstain', reason: 'complaint-to-person' },
    };
  }
  if (input.mode !== 'ai' && match !== null && band === 'high') {
    return {
      ...base,
      reason: 'faq-confident',
      result: {
        kind: 'answer',
        text: match.answer,
        faqId: match.faqId,
        confidence: match.confidence,
        source: 'faq',
      },
    };
  }
  if (input.mode === 'faq')
    return { ...base, reason: 'faq-no-match', result: { kind: 'abstain', reason: 'faq-no-match' } };
  if (input.ai === undefined)
    return { ...base, reason: 'ai-not-configured', result: { kind: 'abstain', reason: 'ai-not-configured' } };

  const { ai } = input;
  const request = buildPrompt({ profile: ai.profile, faqs: ai.faqs, history: ai.history, text: input.text });
  const outcome = await ai.orchestrator.answer({
    workspaceId: ai.workspaceId,
    tier: route.tier,
    request,
    allowFastFallback: route.allowFastFallback,
    ...(ai.signal === undefined ? {} : { signal: ai.signal }),
  });
  const via = `${route.tier}:${route.reason}${outcome.answeredTier === undefined ? '' : `>${outcome.answeredTier}`}`;
  return {
    band,
    route,
    costUsd: outcome.costUsd,
    ai: outcome,
    reason: `${outcome.reason}(${via}${outcome.provider === null ? '' : `@${outcome.provider}`})`,
    result: outcome.result,
  };
}
