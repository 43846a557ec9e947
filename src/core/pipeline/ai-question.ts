import type { Kysely } from 'kysely';
import { routeMessage } from '../bot/ai/route';
import type { ChatMessage } from '../bot/ai/types';
import { createConversationRepository } from '../store/repositories/conversations';
import { createMessageRepository } from '../store/repositories/messages';
import type { Database } from '../store/schema';
import { decide } from './decide';
import type { AiAnswer, DecideContext } from './decision-types';
import type { StoredMessage } from './ingest';
import type { Bot } from './types';

/** FAQs given to the AI as grounding, and chat messages as context. */
const AI_GROUNDING_FAQS = 5;
const AI_HISTORY_MESSAGES = 6;

interface AiQuestionDeps {
  /** For the chat state and recent messages, read outside any transaction. */
  db: Kysely<Database>;
  now: () => number;
}

/**
 * The question deciding this message would put to the bot, when the AI should take it; null when it
 * should not. decide() runs with a bot that notes the question (decide is pure, so this costs one
 * state read and changes nothing).
 */
export async function questionForAi(
  deps: AiQuestionDeps,
  m: StoredMessage,
  context: DecideContext,
): Promise<string | null> {
  if (context.ai === null || m.message.kind !== 'text') return null;
  // Past the reply window decide() sends nothing: an AI answer would be paid for and thrown away.
  if (m.message.replyBy != null && deps.now() >= m.message.replyBy) return null;
  const state = await createConversationRepository(deps.db).get(m.workspaceId, m.businessNumber, m.chatId);
  let asked: string | null = null;
  const noting: Bot = {
    answer(text) {
      asked = text;
      return context.bot.answer(text);
    },
  };
  decide(m.message, context.settings, noting, state ?? null, deps.now());
  if (asked === null) return null;
  const question: string = asked;
  if (context.ai.mode === 'hybrid') {
    const faq = context.bot.answer(question);
    const confident = faq.kind === 'answer' && faq.confidence >= context.settings.faq.threshold;
    // Buying and complaints outrank the FAQ that matched a word of them (answerHybrid says where they go).
    if (confident && !routeMessage({ text: question, faqBand: 'high', recentMessages: 0 }).outranksFaq)
      return null;
  }
  return question;
}

/**
 * Asks the workspace's AI about the message (null when it does not need it: the chat is paused, the
 * FAQ answer is confident, it is not a question...). Reads, never writes.
 */
export async function askAi(
  deps: AiQuestionDeps,
  m: StoredMessage,
  context: DecideContext | undefined,
  signal: AbortSignal,
): Promise<AiAnswer | null> {
  if (context === undefined || context.ai === null) return null;
  // Asked again, not remembered from when the message was queued: the owner may have taken the chat since.
  const question = await questionForAi(deps, m, context);
  if (question === null) return null;
  const candidates = context.bot.candidates?.(question, AI_GROUNDING_FAQS) ?? [];
  const best = candidates[0];
  const outcome = await context.ai.answer({
    text: question,
    faqMatch:
      best === undefined ? null : { faqId: best.faqId, confidence: best.confidence, answer: best.answer },
    faqs: candidates.map((c) => ({ question: c.question, answer: c.answer })),
    history: await history(deps.db, m),
    signal,
  });
  return { result: outcome.result, outcome };
}

async function history(db: Kysely<Database>, m: StoredMessage): Promise<ChatMessage[]> {
  const rows = await createMessageRepository(db).listByChat(m.workspaceId, m.chatId, {
    limit: AI_HISTORY_MESSAGES + 1,
  });
  return (
    rows
      .filter((r) => r.id !== m.id && r.text !== null && r.text.trim() !== '')
      .slice(0, AI_HISTORY_MESSAGES)
      // Oldest first; a reply stored in the same millisecond as its question comes after it.
      .sort(
        (a, b) =>
          a.createdAt - b.createdAt || (a.direction === b.direction ? 0 : a.direction === 'in' ? -1 : 1),
      )
      .map((r) => ({ role: r.direction === 'in' ? 'user' : 'assistant', content: r.text! }))
  );
}
