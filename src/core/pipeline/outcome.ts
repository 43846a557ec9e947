import type { MessageOutcome } from '../store/repositories/pipeline-messages';
import type { Decision } from './types';

/**
 * What a decision means for "did the customer get an answer", stored with the message (migration 0006)
 * for the home statistics. A message needed an answer when the bot answered it, handed it to a person,
 * or abstained with hand-offs switched off; everything else expected no answer of its own:
 *  - ignored chats (groups, status, broadcasts) and unreadable messages;
 *  - a chat already waiting for a person, or one the owner is answering by hand: not the bot's turn;
 *  - the flood guard: the burst's first message got the answer;
 *  - a greeting that covers an unmatched first message ("hi" -> "how can we help?"), reactions and
 *    stickers.
 */
export function answerOutcome(decision: Decision): MessageOutcome | null {
  if (decision.actions.some((a) => a.type === 'handoff')) return 'handoff';
  // A clarifying question (an FAQ reply that names no FAQ) is not the answer yet: the pick is.
  const answers = (a: Decision['actions'][number]) =>
    a.type === 'reply' &&
    (a.kind === 'ai' || (a.kind === 'faq' && (a.faqId !== null || a.confidence !== null)));
  if (decision.actions.some(answers)) return 'bot';
  if (decision.outcome === 'unanswered') return 'unanswered';
  return null;
}
