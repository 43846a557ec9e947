import type { Kysely } from 'kysely';
import type { WorkspaceSettings } from '../../shared/settings';
import type { Database } from '../store/schema';
import type { E164, WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import {
  createConversationRepository,
  EMPTY_CONVERSATION,
  type ConversationRecord,
} from '../store/repositories/conversations';
import type { HotPath } from '../store/repositories/hot-path';
import { createOutboxRepository, type NewOutboxRow } from '../store/repositories/outbox';
import { withFaqFiles } from './faq-files';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import { decide, type ShopProfile } from './decide';
import { groupBy } from './group-by';
import { answerOutcome } from './outcome';
import type { Ingest, StoredMessage } from './ingest';
import type { Incoming, Router } from './route';
import type { Bot, BotResult, Decision } from './types';
import type { HybridOutcome } from '../bot/ai/hybrid';
import type { WorkspaceAi } from '../bot/ai/workspace-ai';
import { routeMessage } from '../bot/ai/route';
import type { ChatMessage } from '../bot/ai/types';
import { createMessageRepository } from '../store/repositories/messages';
import type { WorkspaceCache } from './workspace-cache';

/**
 * A chat needs a person: the bot handed it over, the customer asked for a person (again), or wrote in
 * a chat that is with a person or paused by the owner and nobody has answered yet.
 */
export interface HandoffAlert {
  workspaceId: WorkspaceId;
  businessNumber: E164;
  chatId: string;
  contactId: string | null;
  reason: string;
  messageId: string;
  /** Since when the chat waits for a person (the earliest unanswered message's decision). */
  waitingSince: number;
  /** The chat was already waiting: this is a reminder (the customer asked for a person again). */
  again: boolean;
}

export interface ProcessorDeps {
  hotPath: HotPath;
  /** For the AI lane's reads (chat state, recent messages), outside any transaction. */
  db: Kysely<Database>;
  logger: Logger;
  cache: WorkspaceCache;
  router: Router;
  ingest: Ingest;
  newOutboxId: () => string;
  now: () => number;
  /** Called after a commit that queued replies for a number: its sender has work. */
  onQueued: (workspaceId: WorkspaceId, businessNumber: E164) => void;
  /** A chat needs a person (logged and raised by the pipeline). */
  onHandoff: (alert: HandoffAlert) => void;
  /** A clarifying question was asked that runs out at `expiresAt` (the pipeline's timer hands it over then). */
  onClarify?: (expiresAt: number) => void;
  /** Called after a commit for a message the bot had no confident answer to (for the owner to teach it). */
  onAbstained?: (stored: StoredMessage) => void;
  /**
   * The AI lane (see ai-lane): a message that needs the AI, or whose chat already waits for it, is
   * handed over instead of being decided in this batch; the lane decides it later with `decideWithAi`.
   */
  aiLane?: {
    holds(stored: StoredMessage): boolean;
    push(stored: StoredMessage): void;
  };
}

/** What the AI said about one message, handed back in to be decided with. */
export interface AiAnswer {
  result: BotResult;
  outcome: HybridOutcome;
}

export interface Processor {
  /** route -> ingest: the batch's first transaction. What comes back is stored and waits for decide. */
  ingest(batch: readonly Incoming[]): Promise<StoredMessage[]>;
  /** decide -> outbox for messages already stored (a batch just ingested, or found undecided at start). */
  decideAndCommit(stored: readonly StoredMessage[]): Promise<void>;
  /**
   * For the AI lane: asks the workspace's AI if the message needs it (null when it does not: the chat
   * is paused, the FAQ answer is confident, it is not a question...). Reads, never writes.
   */
  askAi(stored: StoredMessage, signal: AbortSignal): Promise<AiAnswer | null>;
  /** For the AI lane: decides and commits one message, with the AI's answer if there is one. */
  decideWithAi(stored: StoredMessage, answer: AiAnswer | null): Promise<void>;
}

interface Decided {
  stored: StoredMessage;
  decision: Decision;
  outbox: NewOutboxRow[];
  /** The chat's wait for a person after this decision, and whether it was waiting before it. */
  waiting: { since: number; before: boolean } | null;
  /** Set when the AI was asked about this message: why it answered or not, and what it cost. */
  ai?: HybridOutcome;
}

interface Context {
  settings: WorkspaceSettings;
  shop: ShopProfile;
  bot: Bot;
  ai: WorkspaceAi | null;
}

/** FAQs given to the AI as grounding, and chat messages as context. */
const AI_GROUNDING_FAQS = 5;
const AI_HISTORY_MESSAGES = 6;

export function createProcessor(deps: ProcessorDeps): Processor {
  const log = deps.logger;

  /**
   * The decisions of a batch, their outbox rows, the chats' new states and the inbound rows' new
   * statuses commit in ONE transaction: either a message is decided with everything that follows from
   * it, or it stays 'received' with nothing half-written, to be decided again.
   */
  async function commit(
    pending: readonly StoredMessage[],
    contexts: Map<WorkspaceId, Context>,
    answers?: ReadonlyMap<string, AiAnswer>,
  ): Promise<Decided[]> {
    const now = deps.now();
    return deps.hotPath.transaction(async (trx) => {
      let batch = pending;
      const conversations = createConversationRepository(trx);
      const outbox = createOutboxRepository(trx);
      const messages = createPipelineMessageRepository(trx);

      // Only messages still waiting: one reached twice (live and by start-up recovery) is decided once.
      const waiting = new Set<string>();
      for (const [workspaceId, group] of groupBy(batch, (m) => m.workspaceId)) {
        for (const id of await messages.stillUndecided(
          workspaceId,
          group.map((m) => m.id),
        ))
          waiting.add(id);
      }
      batch = batch.filter((m) => waiting.has(m.id));

      const chatsByNumber = new Map<string, { workspaceId: WorkspaceId; number: E164; chats: string[] }>();
      for (const m of batch) {
        const key = `${m.workspaceId}\u0000${m.businessNumber}`;
        let entry = chatsByNumber.get(key);
        if (entry === undefined) {
          chatsByNumber.set(
            key,
            (entry = { workspaceId: m.workspaceId, number: m.businessNumber, chats: [] }),
          );
        }
        entry.chats.push(m.chatId);
      }
      const states = new Map<string, ConversationRecord>();
      for (const { workspaceId, number, chats } of chatsByNumber.values()) {
        const found = await conversations.getMany(workspaceId, number, chats);
        for (const [chatId, record] of found) states.set(chatKey(workspaceId, number, chatId), record);
      }

      // Decided in arrival order; each decision sees the state the previous one in its chat left.
      const changed = new Map<string, { workspaceId: WorkspaceId; record: ConversationRecord }>();
      const decided: Decided[] = [];
      for (const m of batch) {
        const context = contexts.get(m.workspaceId)!;
        const key = chatKey(m.workspaceId, m.businessNumber, m.chatId);
        const before = states.get(key);
        const answer = answers?.get(m.id);
        const bot: Bot = answer === undefined ? context.bot : { answer: () => answer.result };
        const decision = decide(m.message, context.settings, bot, before ?? null, now, context.shop);
        if (Object.keys(decision.stateChanges).length > 0) {
          const record: ConversationRecord = {
            ...(before ?? {
              ...EMPTY_CONVERSATION,
              businessNumber: m.businessNumber,
              chatId: m.chatId,
              firstSeenAt: now,
            }),
            ...decision.stateChanges,
            contactId: m.contactId ?? before?.contactId ?? null,
          };
          states.set(key, record);
          changed.set(key, { workspaceId: m.workspaceId, record });
        }
        const rows: NewOutboxRow[] = [];
        for (const action of decision.actions) {
          if (action.type !== 'reply') continue;
          rows.push({
            id: deps.newOutboxId(),
            businessNumber: m.businessNumber,
            chatId: m.chatId,
            inboundMessageId: m.id,
            kind: action.kind,
            text: action.text,
            faqId: action.faqId,
            ...(action.choices !== undefined && { choices: action.choices }),
          });
        }
        const after = states.get(key)?.waiting ?? null;
        decided.push({
          stored: m,
          decision,
          outbox: rows,
          waiting: after === null ? null : { since: after.since, before: before?.waiting != null },
          ...(answer !== undefined && { ai: answer.outcome }),
        });
      }

      for (const [workspaceId, group] of groupBy(decided, (d) => d.stored.workspaceId)) {
        const records = [...changed.values()]
          .filter((c) => c.workspaceId === workspaceId)
          .map((c) => c.record);
        if (records.length > 0) await conversations.saveMany(workspaceId, records, now);
        const rows = group.flatMap((d) => d.outbox);
        if (rows.length > 0) {
          await outbox.insertMany(
            workspaceId,
            await withFaqFiles(trx, workspaceId, rows, deps.newOutboxId),
            now,
          );
        }
        await messages.setStatuses(
          workspaceId,
          group.map((d) => ({
            id: d.stored.id,
            status: d.decision.status,
            outcome: answerOutcome(d.decision),
            decision: { reason: d.decision.reason, outcome: d.decision.outcome },
          })),
          now,
        );
      }
      return decided;
    });
  }

  function report(decided: readonly Decided[]): void {
    const numbers = new Map<string, { workspaceId: WorkspaceId; number: E164 }>();
    for (const { stored, decision, outbox, ai, waiting } of decided) {
      const entryLog = log.child({ workspaceId: stored.workspaceId, contactId: stored.contactId });
      const asked = decision.stateChanges.clarification;
      if (asked != null) deps.onClarify?.(asked.expiresAt);
      entryLog.info('message.decided', ownerWords(decision, stored.chatId), {
        messageId: stored.id,
        chatId: stored.chatId,
        number: stored.businessNumber,
        reason: decision.reason,
        actions: decision.actions.map((a) =>
          a.type === 'reply' ? `reply:${(a.parts ?? [a.kind]).join('+')}` : a.type,
        ),
        ...(outbox.length > 0 && { faqId: firstFaqId(decision) }),
        ...(ai !== undefined && {
          ai: {
            reason: ai.reason,
            tier: ai.route?.tier ?? null,
            provider: ai.ai?.provider ?? null,
            model: ai.ai?.model ?? null,
            costUsd: ai.costUsd,
          },
        }),
      });
      if (outbox.length > 0) {
        // One entry per message, not per row: a burst logs enough already (the event log shares the disk).
        entryLog.debug(
          'outbox.queued',
          `${outbox.map((r) => r.kind).join(' + ')} queued for ${stored.chatId}`,
          {
            chatId: stored.chatId,
            number: stored.businessNumber,
            inboundMessageId: stored.id,
            rows: outbox.map((r) => ({ outboxId: r.id, kind: r.kind })),
          },
        );
      }
      // The owner is told when a chat starts needing a person, and again when the customer asks again.
      const handoff = decision.actions.find((a) => a.type === 'handoff');
      if (waiting !== null && (handoff !== undefined || !waiting.before)) {
        deps.onHandoff({
          workspaceId: stored.workspaceId,
          businessNumber: stored.businessNumber,
          chatId: stored.chatId,
          contactId: stored.contactId,
          reason: handoff?.reason ?? decision.reason,
          messageId: stored.id,
          waitingSince: waiting.since,
          again: waiting.before,
        });
      }
      if (isAbstention(decision)) {
        try {
          deps.onAbstained?.(stored);
        } catch (error) {
          entryLog.error('error', 'recording an unanswered question failed', { error });
        }
      }
      if (outbox.length > 0) {
        numbers.set(`${stored.workspaceId}\u0000${stored.businessNumber}`, {
          workspaceId: stored.workspaceId,
          number: stored.businessNumber,
        });
      }
    }
    for (const { workspaceId, number } of numbers.values()) deps.onQueued(workspaceId, number);
  }

  async function decideAndCommit(stored: readonly StoredMessage[]): Promise<void> {
    if (stored.length === 0) return;
    // Loaded before the transaction: the bot factory reads FAQs, and the store has one connection.
    const contexts = new Map<WorkspaceId, Context>();
    const ready: StoredMessage[] = [];
    for (const m of stored) {
      if (!contexts.has(m.workspaceId)) {
        try {
          const context = await loadContext(m.workspaceId);
          if (context !== undefined) contexts.set(m.workspaceId, context);
        } catch (error) {
          log.error('message.failed', `Loading the settings of workspace ${m.workspaceId} failed`, {
            workspaceId: m.workspaceId,
            stage: 'decide',
            error,
          });
        }
      }
      if (!contexts.has(m.workspaceId)) continue;
      // A chat waiting for the AI keeps its order: this message queues behind it, whatever it needs.
      if (
        deps.aiLane !== undefined &&
        (deps.aiLane.holds(m) || (await questionForAi(m, contexts.get(m.workspaceId)!)) !== null)
      ) {
        deps.aiLane.push(m);
        continue;
      }
      ready.push(m);
    }
    await commitEach(ready, contexts);
  }

  async function loadContext(workspaceId: WorkspaceId): Promise<Context | undefined> {
    const settings = await deps.cache.settings(workspaceId);
    if (settings === undefined) return undefined;
    return {
      settings,
      shop: { name: await deps.cache.name(workspaceId) },
      bot: await deps.cache.bot(workspaceId),
      ai: await deps.cache.ai(workspaceId),
    };
  }

  /**
   * The question deciding this message would put to the bot, when the AI should take it; null when it
   * should not. decide() runs with a bot that notes the question (decide is pure, so this costs one
   * state read and changes nothing).
   */
  async function questionForAi(m: StoredMessage, context: Context): Promise<string | null> {
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

  async function history(m: StoredMessage): Promise<ChatMessage[]> {
    const rows = await createMessageRepository(deps.db).listByChat(m.workspaceId, m.chatId, {
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

  async function askAi(m: StoredMessage, signal: AbortSignal): Promise<AiAnswer | null> {
    const context = await loadContext(m.workspaceId);
    if (context === undefined || context.ai === null) return null;
    // Asked again, not remembered from when the message was queued: the owner may have taken the chat since.
    const question = await questionForAi(m, context);
    if (question === null) return null;
    const candidates = context.bot.candidates?.(question, AI_GROUNDING_FAQS) ?? [];
    const best = candidates[0];
    const outcome = await context.ai.answer({
      text: question,
      faqMatch:
        best === undefined ? null : { faqId: best.faqId, confidence: best.confidence, answer: best.answer },
      faqs: candidates.map((c) => ({ question: c.question, answer: c.answer })),
      history: await history(m),
      signal,
    });
    return { result: outcome.result, outcome };
  }

  async function decideWithAi(m: StoredMessage, answer: AiAnswer | null): Promise<void> {
    const context = await loadContext(m.workspaceId);
    if (context === undefined) return;
    const contexts = new Map([[m.workspaceId, context]]);
    await commitEach([m], contexts, answer === null ? undefined : new Map([[m.id, answer]]));
  }

  async function commitEach(
    ready: readonly StoredMessage[],
    contexts: Map<WorkspaceId, Context>,
    answers?: ReadonlyMap<string, AiAnswer>,
  ): Promise<void> {
    if (ready.length === 0) return;
    try {
      report(await commit(ready, contexts, answers));
    } catch (error) {
      if (ready.length === 1) {
        failed(ready[0]!, error);
        return;
      }
      // One bad message must not hold back the others: decide them one by one.
      for (const m of ready) {
        try {
          report(await commit([m], contexts, answers));
        } catch (single) {
          failed(m, single);
        }
      }
    }
  }

  function failed(m: StoredMessage, error: unknown): void {
    log
      .child({ workspaceId: m.workspaceId, contactId: m.contactId })
      .error(
        'message.failed',
        `Deciding message ${m.id} failed; it stays stored and is decided again at the next start`,
        { messageId: m.id, chatId: m.chatId, number: m.businessNumber, stage: 'decide', error },
      );
  }

  return {
    async ingest(batch) {
      return deps.ingest.ingest(await deps.router.route(batch));
    },
    decideAndCommit,
    askAi,
    decideWithAi,
  };
}

function chatKey(workspaceId: string, number: string, chatId: string): string {
  return `${workspaceId}\u0000${number}\u0000${chatId}`;
}

/**
 * The bot had no confident answer (whether the chat went to a person or the bot just kept quiet):
 * the FAQ matcher abstained, or the AI did (HANDOFF, budget spent, providers down).
 */
function isAbstention(decision: Decision): boolean {
  return (
    decision.reason.includes('bot-abstained-') ||
    decision.actions.some((a) => a.type === 'handoff' && a.reason.startsWith('handoff-bot:'))
  );
}

/**
 * The log line of a decision. The clarifying question's steps are told as the owner would say them;
 * other decisions keep their reason code (the Logs screen explains those).
 */
function ownerWords(decision: Decision, chatId: string): string {
  const picked = /clarify-picked-(\d)/.exec(decision.reason);
  if (picked !== null)
    return `The customer in ${chatId} picked answer ${picked[1]} of the bot's question: answered`;
  const asked = /clarify-asked-(\d)/.exec(decision.reason);
  if (asked !== null)
    return `Not sure which of ${asked[1]} FAQs the customer in ${chatId} means: asked them to reply with a number`;
  if (decision.reason.startsWith('handoff-clarify-none'))
    return `The customer in ${chatId} said none of the offered answers fits: the chat goes to a person`;
  if (decision.reason.startsWith('handoff-clarify-unclear'))
    return `The customer in ${chatId} answered the bot's question with something it still cannot answer: the chat goes to a person`;
  if (decision.reason.startsWith('handoff-clarify-gone'))
    return `The FAQ the customer in ${chatId} picked was removed: the chat goes to a person`;
  return `${decision.reason} for ${chatId}`;
}

function firstFaqId(decision: Decision): string | null {
  for (const a of decision.actions) if (a.type === 'reply' && a.faqId !== null) return a.faqId;
  return null;
}
