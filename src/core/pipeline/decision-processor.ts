import type { Kysely } from 'kysely';
import type { E164, WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { PreparedTransactions } from '../store/prepared-transactions';
import type { Database } from '../store/schema';
import { askAi, questionForAi } from './ai-question';
import { commitDecisions } from './decision-commit';
import { reportDecisions } from './decision-report';
import type { AiAnswer, DecideContext, HandoffAlert } from './decision-types';
import type { Ingest, StoredMessage } from './ingest';
import type { Incoming, Router } from './route';
import type { WorkspaceCache } from './workspace-cache';

export type { AiAnswer, HandoffAlert } from './decision-types';

export interface ProcessorDeps {
  preparedTx: PreparedTransactions;
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

/**
 * The decision processor: ingest, then decide and commit (decision-commit), then report
 * (decision-report). Messages that need the AI go to the AI lane and come back through `decideWithAi`.
 */
export function createProcessor(deps: ProcessorDeps): Processor {
  const log = deps.logger;

  async function decideAndCommit(stored: readonly StoredMessage[]): Promise<void> {
    if (stored.length === 0) return;
    // Loaded before the transaction: the bot factory reads FAQs, and the store has one connection.
    const contexts = new Map<WorkspaceId, DecideContext>();
    const ready: StoredMessage[] = [];
    for (const m of stored) {
      if (!contexts.has(m.workspaceId)) await addContext(contexts, m.workspaceId);
      const context = contexts.get(m.workspaceId);
      if (context === undefined) continue;
      // A chat waiting for the AI keeps its order: this message queues behind it, whatever it needs.
      if (
        deps.aiLane !== undefined &&
        (deps.aiLane.holds(m) || (await questionForAi(deps, m, context)) !== null)
      ) {
        deps.aiLane.push(m);
        continue;
      }
      ready.push(m);
    }
    await commitEach(ready, contexts);
  }

  async function addContext(contexts: Map<WorkspaceId, DecideContext>, workspaceId: WorkspaceId) {
    try {
      const context = await loadContext(deps.cache, workspaceId);
      if (context !== undefined) contexts.set(workspaceId, context);
    } catch (error) {
      log.error('message.failed', `Loading the settings of workspace ${workspaceId} failed`, {
        workspaceId,
        stage: 'decide',
        error,
      });
    }
  }

  async function commitEach(
    ready: readonly StoredMessage[],
    contexts: Map<WorkspaceId, DecideContext>,
    answers?: ReadonlyMap<string, AiAnswer>,
  ): Promise<void> {
    if (ready.length === 0) return;
    try {
      reportDecisions(deps, await commitDecisions(deps, ready, contexts, answers));
    } catch (error) {
      if (ready.length === 1) {
        failed(log, ready[0]!, error);
        return;
      }
      // One bad message must not hold back the others: decide them one by one.
      for (const m of ready) {
        try {
          reportDecisions(deps, await commitDecisions(deps, [m], contexts, answers));
        } catch (single) {
          failed(log, m, single);
        }
      }
    }
  }

  return {
    async ingest(batch) {
      return deps.ingest.ingest(await deps.router.route(batch));
    },
    decideAndCommit,
    askAi: async (m, signal) => askAi(deps, m, await loadContext(deps.cache, m.workspaceId), signal),
    async decideWithAi(m, answer) {
      const context = await loadContext(deps.cache, m.workspaceId);
      if (context === undefined) return;
      const contexts = new Map([[m.workspaceId, context]]);
      await commitEach([m], contexts, answer === null ? undefined : new Map([[m.id, answer]]));
    },
  };
}

async function loadContext(
  cache: WorkspaceCache,
  workspaceId: WorkspaceId,
): Promise<DecideContext | undefined> {
  const settings = await cache.settings(workspaceId);
  if (settings === undefined) return undefined;
  return {
    settings,
    shop: { name: await cache.name(workspaceId) },
    bot: await cache.bot(workspaceId),
    ai: await cache.ai(workspaceId),
  };
}

function failed(log: Logger, m: StoredMessage, error: unknown): void {
  log
    .child({ workspaceId: m.workspaceId, contactId: m.contactId })
    .error(
      'message.failed',
      `Deciding message ${m.id} failed; it stays stored and is decided again at the next start`,
      { messageId: m.id, chatId: m.chatId, number: m.businessNumber, stage: 'decide', error },
    );
}
