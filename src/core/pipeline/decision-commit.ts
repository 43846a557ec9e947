import type { Transaction } from 'kysely';
import type { E164, WorkspaceId } from '../../shared/types';
import {
  createConversationRepository,
  EMPTY_CONVERSATION,
  type ConversationRecord,
} from '../store/repositories/conversations';
import type { PreparedTransactions } from '../store/prepared-transactions';
import type { Database } from '../store/schema';
import { createOutboxRepository, type NewOutboxRow } from '../store/repositories/outbox';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import { decide } from './decide';
import { withFaqFiles } from './faq-files';
import type { AiAnswer, DecideContext, Decided } from './decision-types';
import { groupBy } from './group-by';
import type { StoredMessage } from './ingest';
import { answerOutcome } from './outcome';
import type { Bot } from './types';

type Trx = Transaction<Database>;

/** The chat states a batch is decided against, and the ones its decisions changed. */
interface ChatStates {
  states: Map<string, ConversationRecord>;
  changed: Map<string, { workspaceId: WorkspaceId; record: ConversationRecord }>;
}

/**
 * The decisions of a batch, their outbox rows, the chats' new states and the inbound rows' new
 * statuses commit in ONE transaction: either a message is decided with everything that follows from
 * it, or it stays 'received' with nothing half-written, to be decided again.
 */
export function commitDecisions(
  deps: { preparedTx: PreparedTransactions; now: () => number; newOutboxId: () => string },
  pending: readonly StoredMessage[],
  contexts: ReadonlyMap<WorkspaceId, DecideContext>,
  answers?: ReadonlyMap<string, AiAnswer>,
): Promise<Decided[]> {
  const now = deps.now();
  return deps.preparedTx.transaction(async (trx) => {
    const batch = await stillUndecided(trx, pending);
    const chats: ChatStates = { states: await loadStates(trx, batch), changed: new Map() };
    // Decided in arrival order; each decision sees the state the previous one in its chat left.
    const decided = batch.map((m) => decideOne(m, contexts.get(m.workspaceId)!, chats, now, deps, answers));
    await persist(trx, decided, chats, now, deps.newOutboxId);
    return decided;
  });
}

/** Only messages still waiting: one reached twice (live and by start-up recovery) is decided once. */
async function stillUndecided(trx: Trx, batch: readonly StoredMessage[]): Promise<StoredMessage[]> {
  const messages = createPipelineMessageRepository(trx);
  const waiting = new Set<string>();
  for (const [workspaceId, group] of groupBy(batch, (m) => m.workspaceId)) {
    const ids = await messages.stillUndecided(
      workspaceId,
      group.map((m) => m.id),
    );
    for (const id of ids) waiting.add(id);
  }
  return batch.filter((m) => waiting.has(m.id));
}

async function loadStates(
  trx: Trx,
  batch: readonly StoredMessage[],
): Promise<Map<string, ConversationRecord>> {
  const conversations = createConversationRepository(trx);
  const chatsByNumber = new Map<string, { workspaceId: WorkspaceId; number: E164; chats: string[] }>();
  for (const m of batch) {
    const key = `${m.workspaceId}\u0000${m.businessNumber}`;
    let entry = chatsByNumber.get(key);
    if (entry === undefined) {
      entry = { workspaceId: m.workspaceId, number: m.businessNumber, chats: [] };
      chatsByNumber.set(key, entry);
    }
    entry.chats.push(m.chatId);
  }
  const states = new Map<string, ConversationRecord>();
  for (const { workspaceId, number, chats } of chatsByNumber.values()) {
    const found = await conversations.getMany(workspaceId, number, chats);
    for (const [chatId, record] of found) states.set(chatKey(workspaceId, number, chatId), record);
  }
  return states;
}

function decideOne(
  m: StoredMessage,
  context: DecideContext,
  chats: ChatStates,
  now: number,
  deps: { newOutboxId: () => string },
  answers?: ReadonlyMap<string, AiAnswer>,
): Decided {
  const key = chatKey(m.workspaceId, m.businessNumber, m.chatId);
  const before = chats.states.get(key);
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
    chats.states.set(key, record);
    chats.changed.set(key, { workspaceId: m.workspaceId, record });
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
  const after = chats.states.get(key)?.waiting ?? null;
  return {
    stored: m,
    decision,
    outbox: rows,
    waiting: after === null ? null : { since: after.since, before: before?.waiting != null },
    ...(answer !== undefined && { ai: answer.outcome }),
  };
}

async function persist(
  trx: Trx,
  decided: readonly Decided[],
  chats: ChatStates,
  now: number,
  newOutboxId: () => string,
): Promise<void> {
  const conversations = createConversationRepository(trx);
  const outbox = createOutboxRepository(trx);
  const messages = createPipelineMessageRepository(trx);
  for (const [workspaceId, group] of groupBy(decided, (d) => d.stored.workspaceId)) {
    const records = [...chats.changed.values()]
      .filter((c) => c.workspaceId === workspaceId)
      .map((c) => c.record);
    if (records.length > 0) await conversations.saveMany(workspaceId, records, now);
    const rows = group.flatMap((d) => d.outbox);
    if (rows.length > 0) {
      await outbox.insertMany(workspaceId, await withFaqFiles(trx, workspaceId, rows, newOutboxId), now);
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
}

function chatKey(workspaceId: string, number: string, chatId: string): string {
  return `${workspaceId}\u0000${number}\u0000${chatId}`;
}
