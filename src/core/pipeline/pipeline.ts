import type { E164, MessageStatus, WorkspaceId } from '../../shared/types';
import type { ConnectionEvent } from '../connection/connection-manager';
import { assertNever } from '../errors';
import type { IdGenerator } from '../ids';
import type { Logger } from '../log/logger';
import type { Store } from '../store/open-database';
import type { InboundJournal } from '../store/inbound-journal';
import { createConversationRepository } from '../store/repositories/conversations';
import { createFaqVersionRepository } from '../store/repositories/faq-versions';
import { createHotPath } from '../store/repositories/hot-path';
import { createOutboxRepository } from '../store/repositories/outbox';
import { createNumberDirectory } from '../store/repositories/phone-numbers';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import { createWorkspaceRepository } from '../store/repositories/workspaces';
import { realTimers, type Timers } from '../timers';
import type {
  DeliveryAck,
  DeliveryStatus,
  InboundMessage,
  OwnerReply,
  WhatsAppProvider,
} from '../whatsapp/provider';
import {
  createUnansweredRepository,
  type UnansweredQuestion,
} from '../store/repositories/unanswered-questions';
import { createFaqBotFactory, createFaqBotRefresher, type BotFactory } from './exact-match-bot';
import { createClarifyTimeouts } from './clarify-timeouts';
import { groupBy } from './group-by';
import { createIngest, type StoredMessage } from './ingest';
import { createOutboxId, createTimeOrderedId } from './outbox-id';
import { createProcessor, type AiAnswer, type HandoffAlert } from './process';
import { createAiLane } from './ai-lane';
import type { WorkspaceAiFactory } from '../bot/ai/workspace-ai';
import { createRouter, type Incoming } from './route';
import { createSender, type Sender } from './sender';
import { createWorkspaceCache } from './workspace-cache';

/** What the pipeline needs of the connections: the provider of a number, whichever kind it is. */
export interface PipelineConnections {
  /** The live provider of a workspace's number; undefined (or a throw) when it has none. */
  provider(workspaceId: WorkspaceId, e164: E164): WhatsAppProvider | undefined;
}

export type PipelineAlert =
  | ({ type: 'handoff' } & HandoffAlert)
  | {
      type: 'send-failed';
      workspaceId: WorkspaceId;
      businessNumber: E164;
      chatId: string;
      outboxId: string;
      error: string;
    }
  /** The workspace's AI budget for the day or month is spent: FAQ answers and hand-offs only until it renews. */
  | { type: 'ai-budget'; workspaceId: WorkspaceId; period: 'day' | 'month' }
  /** An AI provider refused its key (401/403): skipped until the owner enters it again. */
  | { type: 'ai-key-refused'; workspaceId: WorkspaceId; provider: string; status: number };

export interface ChatActivity {
  workspaceId: WorkspaceId;
  chatId: string;
}

export interface PipelineOptions {
  store: Store;
  logger: Logger;
  connections: PipelineConnections;
  /** Where ConnectionEvents come from (Switchboard.onConnectionEvent); `handleEvent` works without it. */
  subscribe?: (listener: (event: ConnectionEvent) => void) => () => void;
  timers?: Timers;
  random?: () => number;
  newId?: IdGenerator;
  newOutboxId?: () => string;
  /** Each workspace's bot; defaults to the exact-match FAQ bot over its enabled FAQs. */
  bot?: BotFactory;
  /** Builds each workspace's AI (bot modes 'ai' and 'hybrid'); without it every workspace answers from FAQs. */
  ai?: WorkspaceAiFactory;
  /** Chats whose AI answers are awaited at once (default 4). */
  aiConcurrency?: number;
  /**
   * A cheap fingerprint of what a workspace's bot is built from; an expired bot is rebuilt only when it
   * changed. Defaults to the FAQs' fingerprint with the default bot, none (rebuild on expiry) otherwise.
   */
  botVersion?: (workspaceId: WorkspaceId) => Promise<string>;
  onAlert?: (alert: PipelineAlert) => void;
  /**
   * A chat changed, after the change is committed: a message was stored and decided (hand-off state
   * included), a reply went out or failed, the owner wrote from the phone. For screens to reload.
   */
  onActivity?: (activity: ChatActivity) => void;
  /** A question the bot could not answer was recorded (after its decision committed). */
  onUnanswered?: (workspaceId: WorkspaceId) => void;
  /** Messages just stored (committed) whose file waits to be downloaded. */
  onFilesToFetch?: (stored: StoredMessage[]) => void;
  /** false: decide and queue but never send (benchmarks of the inbound path). Default true. */
  sending?: boolean;
  /** Most messages per transaction (group commit). */
  maxBatch?: number;
  /**
   * Time one batch may take (ingest + decide, each a stretch the event loop waits for): batch sizes
   * follow the measured cost per message so the app stays responsive during a burst.
   */
  batchBudgetMs?: number;
  settingsTtlMs?: number;
  notConnectedRetryMs?: number;
  /**
   * Holds each inbound message from the moment the provider emits it until ingest has committed it:
   * the provider has already acknowledged it to WhatsApp, so this is its only copy (see inbound-journal).
   */
  journal?: InboundJournal;
}

const SENDER_STOP_GRACE_MS = 3_000;

const journalKey = (message: InboundMessage): string =>
  `${message.businessNumber}\u0000${message.providerMessageId}`;

export interface Pipeline {
  /** Subscribes, re-decides messages stored but never decided, and resumes every unfinished outbox row. */
  start(): Promise<void>;
  /** Unsubscribes, finishes the work already accepted, and stops the senders. */
  stop(): Promise<void>;
  handleEvent(event: ConnectionEvent): void;
  /** Hands a chat back to the bot after a hand-off; returns how many conversations were waiting. */
  release(workspaceId: WorkspaceId, chatId: string): Promise<number>;
  /** Settings or FAQs changed: use the new ones from the next message on. */
  invalidate(workspaceId?: WorkspaceId): void;
  /**
   * Rows were queued outside the pipeline (the owner's Retry, an FAQ's answer sent from Unanswered):
   * the number's sender looks at once.
   */
  kick(workspaceId: WorkspaceId, number: E164): void;
  /** Resolves once every event handed in so far is processed (not sent). */
  idle(): Promise<void>;
}

type Work =
  | { type: 'message'; incoming: Incoming }
  | { type: 'stored'; stored: StoredMessage }
  | { type: 'owner-reply'; workspaceId: WorkspaceId; reply: OwnerReply }
  | { type: 'ack'; workspaceId: WorkspaceId; ack: DeliveryAck }
  /** Clarifying questions past their time: handed to a person (clarify-timeouts). */
  | { type: 'clarify-due' }
  /** Back from the AI lane: decided here, in queue order with owner replies, then `done`. */
  | { type: 'ai-answered'; stored: StoredMessage; answer: AiAnswer | null; done: () => void };

/**
 * The messaging pipeline (architecture.md): ingest -> route -> decide -> outbox -> send. Events are
 * handled strictly in arrival order through one queue, so an owner's reply pauses the bot before the
 * customer's next message is decided. Consecutive inbound messages are taken as a batch (group commit:
 * one transaction for the batch's ingest, one for its decisions), so a burst costs a few fsyncs, not
 * two per message; between batches the loop yields to the event loop, so a burst never starves I/O.
 * Nothing lives only here: after a crash, `start` picks everything up from the database.
 */
export function createPipeline(options: PipelineOptions): Pipeline {
  const { store } = options;
  const timers = options.timers ?? realTimers;
  const random = options.random ?? Math.random;
  const newId = options.newId ?? (() => createTimeOrderedId(timers.now()));
  const log = options.logger;
  const now = () => timers.now();
  const maxBatch = Math.max(1, options.maxBatch ?? 100);
  const sending = options.sending ?? true;
  const faqVersions = createFaqVersionRepository(store.db);
  const botVersion =
    options.botVersion ??
    (options.bot === undefined ? (id: WorkspaceId) => faqVersions.version(id) : undefined);
  const cache = createWorkspaceCache({
    store,
    botFactory: options.bot ?? createFaqBotFactory(store),
    ...(options.bot === undefined && { botRefresh: createFaqBotRefresher(store) }),
    ...(botVersion !== undefined && { botVersion }),
    ...(options.ai !== undefined && { aiFactory: options.ai }),
    now,
    ...(options.settingsTtlMs !== undefined && { ttlMs: options.settingsTtlMs }),
  });
  const directory = createNumberDirectory(store.db);
  const senders = new Map<string, Sender>();
  const alert = (a: PipelineAlert) => {
    try {
      options.onAlert?.(a);
    } catch (error) {
      log.error('error', 'a pipeline alert handler failed', { error });
    }
  };

  const activity = (workspaceId: WorkspaceId, chatId: string) => {
    try {
      options.onActivity?.({ workspaceId, chatId });
    } catch (error) {
      log.error('error', 'a pipeline activity listener failed', { error });
    }
  };
  const storedActivity = (stored: readonly StoredMessage[]) => {
    const seen = new Set<string>();
    for (const s of stored) {
      const key = `${s.workspaceId}\u0000${s.chatId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      activity(s.workspaceId, s.chatId);
    }
  };

  // Questions the bot abstained on, for the owner's Unanswered screen. Recorded after the decision
  // commits, off the hot path: a failure here is logged and never holds a message back. The questions of
  // one decided batch are recorded together (collected until the batch's report is done): one
  // transaction and one pass of the grouping over the open questions, not one each.
  const recording = new Set<Promise<void>>();
  let abstained: StoredMessage[] = [];
  const recordUnanswered = (stored: StoredMessage) => {
    const text = stored.message.text;
    if (text === null || text === undefined || text.trim() === '') return;
    abstained.push(stored);
    if (abstained.length > 1) return;
    const done: Promise<void> = Promise.resolve()
      .then(async () => {
        const batch = abstained;
        abstained = [];
        for (const [workspaceId, group] of groupBy(batch, (m) => m.workspaceId))
          await recordBatch(workspaceId, group);
      })
      .finally(() => recording.delete(done));
    recording.add(done);
  };
  async function recordBatch(workspaceId: WorkspaceId, batch: StoredMessage[]): Promise<void> {
    let rows: (UnansweredQuestion | undefined)[];
    try {
      rows = await store.transaction((trx) =>
        createUnansweredRepository(trx, newId).recordMany(
          workspaceId,
          batch.map((m) => m.message.text ?? ''),
          now(),
        ),
      );
    } catch (error) {
      log.child({ workspaceId }).warn('bot.unanswered_failed', 'Could not record unanswered questions', {
        messageIds: batch.map((m) => m.id),
        error,
      });
      return;
    }
    for (const [k, stored] of batch.entries()) {
      const row = rows[k];
      if (row === undefined) continue;
      log.child({ workspaceId, contactId: stored.contactId }).info(
        'bot.unanswered',
        // Never the question itself: events reach the central server, texts only when shared (by messageId).
        `No confident answer; question ${row.id} is in Unanswered (asked ${row.count}x)`,
        {
          messageId: stored.id,
          chatId: stored.chatId,
          questionId: row.id,
          count: row.count,
        },
      );
    }
    options.onUnanswered?.(workspaceId);
  }

  const newAiLane = () =>
    createAiLane({
      concurrency: Math.max(1, options.aiConcurrency ?? 4),
      onError: (error) => log.error('error', 'an AI lane task failed', { error }),
    });
  let aiLane = newAiLane();
  const chatOf = (m: StoredMessage) => `${m.workspaceId}\u0000${m.businessNumber}\u0000${m.chatId}`;
  /** The message waits for the AI off the queue, then comes back to be decided in queue order. */
  const toAiLane = (m: StoredMessage) => {
    aiLane.push(chatOf(m), async (signal) => {
      let answer: AiAnswer | null = null;
      try {
        answer = await processor.askAi(m, signal);
      } catch (error) {
        log
          .child({ workspaceId: m.workspaceId })
          .error('ai.failed', 'Asking the AI failed; deciding without it', {
            messageId: m.id,
            error,
          });
      }
      // Stopping: the message stays stored and undecided, and is decided again at the next start.
      if (signal.aborted || stopped) return;
      await new Promise<void>((done) => enqueue({ type: 'ai-answered', stored: m, answer, done }));
    });
  };

  const hotPath = createHotPath(store);
  const processor = createProcessor({
    hotPath,
    db: store.db,
    ...(options.ai !== undefined && {
      aiLane: { holds: (m: StoredMessage) => aiLane.holds(chatOf(m)), push: toAiLane },
    }),
    logger: log,
    cache,
    router: createRouter({ store, logger: log, newId, now }),
    ingest: createIngest({ hotPath, logger: log, newId, now }),
    newOutboxId: options.newOutboxId ?? (() => createOutboxId(timers.now())),
    now,
    onQueued: (workspaceId, number) => kickSender(workspaceId, number),
    onHandoff: needsPerson,
    onAbstained: recordUnanswered,
    onClarify: (at) => clarifyTimeouts.expiresAt(at),
  });
  const clarifyTimeouts = createClarifyTimeouts({
    store,
    cache,
    timers,
    logger: log,
    newOutboxId: options.newOutboxId ?? (() => createOutboxId(timers.now())),
    wake: () => enqueue({ type: 'clarify-due' }),
    onHandoff: needsPerson,
    onQueued: (workspaceId, number) => kickSender(workspaceId, number),
    onActivity: activity,
  });

  const batchSize = createBatchSizer(maxBatch, options.batchBudgetMs ?? 8);
  const queue = createQueue<Work>();
  let draining: Promise<void> | null = null;
  let unsubscribe: (() => void) | null = null;
  let stopped = false;

  function providerOf(workspaceId: WorkspaceId, number: E164): WhatsAppProvider | undefined {
    try {
      return options.connections.provider(workspaceId, number);
    } catch {
      return undefined;
    }
  }

  function kickSender(workspaceId: WorkspaceId, number: E164): void {
    if (!sending || stopped) return;
    const key = `${workspaceId}\u0000${number}`;
    let sender = senders.get(key);
    if (sender === undefined) {
      sender = createSender({
        workspaceId,
        businessNumber: number,
        store,
        logger: log,
        timers,
        random,
        provider: () => providerOf(workspaceId, number),
        settings: () => cache.settings(workspaceId),
        ...(options.notConnectedRetryMs !== undefined && {
          notConnectedRetryMs: options.notConnectedRetryMs,
        }),
        onSent: (row) => activity(workspaceId, row.chatId),
        onFailed: (row, error) => {
          alert({
            type: 'send-failed',
            workspaceId,
            businessNumber: number,
            chatId: row.chatId,
            outboxId: row.id,
            error,
          });
          // The customer got no answer: the chat waits for a person, who is told.
          void createConversationRepository(store.db)
            .markWaiting(workspaceId, number, row.chatId, 'send-failed', now())
            .then((started) => {
              if (started) escalate(workspaceId, number, row, 'send-failed');
              activity(workspaceId, row.chatId);
            })
            .catch((e: unknown) => log.error('error', 'marking a chat as waiting failed', { error: e }));
        },
        onStale: (row, _cancelled, started) => {
          if (started) escalate(workspaceId, number, row, 'reply-stale');
          activity(workspaceId, row.chatId);
        },
      });
      senders.set(key, sender);
    }
    sender.kick();
  }

  /** A chat needs a person: logged, and the owner told (the shells turn the alert into notifications). */
  function needsPerson(h: HandoffAlert): void {
    log
      .child({ workspaceId: h.workspaceId, contactId: h.contactId })
      .warn('handoff.requested', `Chat ${h.chatId} needs a person (${h.reason})`, {
        chatId: h.chatId,
        number: h.businessNumber,
        reason: h.reason,
        messageId: h.messageId,
        waitingSince: h.waitingSince,
        again: h.again,
      });
    alert({ type: 'handoff', ...h });
  }

  /** A chat the sender could not answer now waits for a person: told like a hand-off. */
  function escalate(
    workspaceId: WorkspaceId,
    number: E164,
    row: { chatId: string; inboundMessageId: string | null },
    reason: string,
  ): void {
    needsPerson({
      workspaceId,
      businessNumber: number,
      chatId: row.chatId,
      contactId: null,
      reason,
      messageId: row.inboundMessageId ?? '',
      waitingSince: now(),
      again: false,
    });
  }

  function enqueue(work: Work): void {
    queue.push(work);
    if (draining === null) {
      draining = drain().finally(() => {
        draining = null;
      });
    }
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const first = queue.peek()!;
      try {
        switch (first.type) {
          case 'message': {
            const batch = takeWhile('message', (w) => w.incoming);
            let started = performance.now();
            const stored = await processor.ingest(batch);
            // Committed (stored, deduplicated or kept as unroutable): the journal's copy can go.
            forgetJournaled(batch.map((incoming) => journalKey(incoming.message)));
            const files = stored.filter((s) => s.fileToFetch === true);
            if (files.length > 0) options.onFilesToFetch?.(files);
            let spent = performance.now() - started;
            // The batch is safe on disk: let timers and I/O run before its decisions.
            await yieldToLoop();
            started = performance.now();
            await processor.decideAndCommit(stored);
            spent += performance.now() - started;
            batchSize.observe(batch.length, spent);
            storedActivity(stored);
            break;
          }
          case 'stored': {
            const batch = takeWhile('stored', (w) => w.stored);
            await processor.decideAndCommit(batch);
            storedActivity(batch);
            break;
          }
          case 'owner-reply':
            queue.shift();
            await ownerReplied(first.workspaceId, first.reply);
            break;
          case 'ack':
            queue.shift();
            await acked(first.workspaceId, first.ack);
            break;
          case 'clarify-due':
            queue.shift();
            await clarifyTimeouts.sweep();
            break;
          case 'ai-answered':
            queue.shift();
            try {
              await processor.decideWithAi(first.stored, first.answer);
              storedActivity([first.stored]);
            } finally {
              first.done();
            }
            break;
          default:
            assertNever(first, 'pipeline work');
        }
      } catch (error) {
        // Ingest failed (the disk, a bug): the provider still holds these messages and redelivers them
        // after a reconnect; nothing was half-written.
        log.error('message.failed', `Processing ${first.type} failed`, { error, stage: first.type });
      }
      // Let timers and I/O run between batches: a 2,000-message burst must not freeze the app.
      if (queue.length > 0) await yieldToLoop();
    }
  }

  function takeWhile<K extends 'message' | 'stored', T>(
    type: K,
    pick: (w: Extract<Work, { type: K }>) => T,
  ): T[] {
    const batch: T[] = [];
    const limit = batchSize.next();
    while (batch.length < limit && queue.peek()?.type === type) {
      batch.push(pick(queue.shift() as Extract<Work, { type: K }>));
    }
    return batch;
  }

  async function ownerOf(number: E164): Promise<WorkspaceId | undefined> {
    return (await directory.ownerOf(number))?.workspaceId;
  }

  /** The owner typed in a chat from the phone: the bot steps back there for ownerPauseMinutes. */
  async function ownerReplied(connectionWorkspaceId: WorkspaceId, reply: OwnerReply): Promise<void> {
    const workspaceId = (await ownerOf(reply.businessNumber)) ?? connectionWorkspaceId;
    const wsLog = log.child({ workspaceId });
    // Our own sends come back as "from me" too: they are the bot, not the owner.
    if (await createOutboxRepository(store.db).isOwn(workspaceId, reply.providerMessageId)) {
      wsLog.debug('owner.echo', `Echo of our own reply ${reply.providerMessageId} ignored`, {
        chatId: reply.chatId,
      });
      return;
    }
    const settings = await cache.settings(workspaceId);
    if (settings === undefined) return;
    const t = now();
    const minutes = settings.handoff.ownerPauseMinutes;
    const cancelled = await store.transaction(async (trx) => {
      await createPipelineMessageRepository(trx).recordOutbound(
        workspaceId,
        {
          id: newId(),
          businessNumber: reply.businessNumber,
          providerMessageId: reply.providerMessageId,
          chatId: reply.chatId,
          author: 'owner',
          text: reply.text,
          status: 'sent',
        },
        t,
      );
      // A person answered: the chat no longer waits for one ("Needs you" empties).
      await createConversationRepository(trx).answeredByOwner(workspaceId, reply.chatId, t);
      if (minutes === 0) return [];
      await createConversationRepository(trx).pause(
        workspaceId,
        reply.businessNumber,
        reply.chatId,
        t + minutes * 60_000,
        t,
      );
      // The owner answered: a bot reply still waiting for its turn would answer the customer twice.
      return createOutboxRepository(trx).cancelQueuedBotReplies(
        workspaceId,
        reply.businessNumber,
        reply.chatId,
        'cancelled: the owner replied by hand',
        t,
      );
    });
    if (cancelled.length > 0) {
      wsLog.info(
        'outbox.cancelled',
        `${cancelled.length} queued bot repl${cancelled.length === 1 ? 'y' : 'ies'} to ${reply.chatId} dropped: the owner replied`,
        {
          chatId: reply.chatId,
          number: reply.businessNumber,
          outboxIds: cancelled,
        },
      );
    }
    wsLog.info('bot.paused', `The owner replied in ${reply.chatId}; the bot keeps out for ${minutes} min`, {
      chatId: reply.chatId,
      number: reply.businessNumber,
      until: t + minutes * 60_000,
      minutes,
    });
    activity(workspaceId, reply.chatId);
  }

  async function acked(connectionWorkspaceId: WorkspaceId, ack: DeliveryAck): Promise<void> {
    const workspaceId = (await ownerOf(ack.businessNumber)) ?? connectionWorkspaceId;
    const t = now();
    const status: MessageStatus = ackStatus(ack.status);
    const outbox = createOutboxRepository(store.db);
    const messages = createPipelineMessageRepository(store.db);
    // Our own id names the outbox row: it is the message id for Baileys, and travels beside Meta's id
    // (biz_opaque_callback_data) for the Cloud API, where a status can come before the send's answer
    // recorded Meta's id, or after a crash cut the send off.
    const row = await outbox.get(workspaceId, ack.clientMessageId ?? ack.providerMessageId);
    if (row !== undefined) {
      const unfinished = row.status === 'queued' || row.status === 'sending';
      // A reply whose send went out just before a crash is known from its ack: no need to send it again.
      if (unfinished && status !== 'failed') {
        await outbox.markSent(workspaceId, row.id, ack.providerMessageId, t);
      } else if (unfinished && row.status === 'sending' && ack.clientMessageId != null) {
        // Meta took the send and then failed it: sending it again would fail the same way.
        await outbox.markFailed(workspaceId, row.id, ack.error?.message ?? 'failed after it was sent', t);
      } else if (status === 'failed') {
        // Delivered to WhatsApp, then refused: the thread says why beside the Retry.
        await outbox.noteFailure(workspaceId, row.id, ack.error?.message ?? 'WhatsApp did not deliver it', t);
      }
      if (ack.providerMessageId !== row.id) {
        await messages.attachProviderId(workspaceId, row.id, ack.providerMessageId, t);
      }
    }
    const changed = await messages.advanceStatus(
      workspaceId,
      ack.businessNumber,
      ack.providerMessageId,
      status,
      t,
    );
    log
      .child({ workspaceId })
      .log(
        ack.status === 'failed' ? 'warn' : 'debug',
        'message.ack',
        `${ack.status}: ${ack.providerMessageId}`,
        {
          providerMessageId: ack.providerMessageId,
          chatId: ack.chatId,
          status: ack.status,
          applied: changed,
          ...(ack.error !== null && { error: ack.error }),
        },
      );
    // The thread's ticks move on (sent, delivered, read, failed).
    if (changed) activity(workspaceId, row?.chatId ?? ack.chatId);
  }

  function forgetJournaled(keys: string[]): void {
    try {
      options.journal?.remove(keys);
    } catch (error) {
      // Harmless: a leftover entry is ingested again at the next start and dropped as a duplicate.
      log.warn('journal.failed', 'Could not clear ingested messages from the inbound journal', { error });
    }
  }

  /** Messages a previous run received (and WhatsApp considers delivered) but never committed. */
  function replayJournal(): void {
    const journal = options.journal;
    if (journal === undefined) return;
    const pending = journal.pending();
    if (pending.length === 0) return;
    log.warn(
      'message.recovered',
      `${pending.length} message(s) received before the last stop were not yet stored; storing them now`,
      {
        count: pending.length,
      },
    );
    for (const entry of pending) enqueue({ type: 'message', incoming: entry.payload as Incoming });
  }

  async function recover(): Promise<void> {
    const workspaces = await createWorkspaceRepository(store.db).listAll();
    const messages = createPipelineMessageRepository(store.db);
    const outbox = createOutboxRepository(store.db);
    for (const ws of workspaces) {
      for (const row of await messages.listUndecided(ws.id, 5000)) {
        log
          .child({ workspaceId: ws.id, contactId: row.contactId })
          .info(
            'message.recovered',
            `Message ${row.id} was stored but not decided before the last stop; deciding it now`,
            { messageId: row.id, chatId: row.chatId, number: row.businessNumber },
          );
        enqueue({
          type: 'stored',
          stored: {
            id: row.id,
            workspaceId: ws.id,
            businessNumber: row.businessNumber,
            chatId: row.chatId,
            contactId: row.contactId,
            providerMessageId: row.providerMessageId,
            message: {
              chatKind: (row.chatKind ?? 'direct') as InboundMessage['chatKind'],
              // Without text it may have been undecryptable (the row does not say): never answer a guess.
              kind: row.text === null ? 'undecryptable' : 'text',
              text: row.text,
              sentAt: row.providerTs,
            },
          },
        });
      }
      for (const number of await outbox.pendingNumbers(ws.id)) kickSender(ws.id, number);
    }
  }

  const pipeline: Pipeline = {
    async start() {
      stopped = false;
      if (options.subscribe !== undefined && unsubscribe === null) {
        unsubscribe = options.subscribe((event) => pipeline.handleEvent(event));
      }
      replayJournal();
      await recover();
      // Questions that ran out while the app was closed go to a person now; the rest get their timer.
      enqueue({ type: 'clarify-due' });
    },

    async stop() {
      unsubscribe?.();
      unsubscribe = null;
      // AI calls in flight are abandoned: their messages are decided again at the next start.
      aiLane.stop();
      aiLane = newAiLane();
      await pipeline.idle();
      stopped = true;
      clarifyTimeouts.stop();
      // A send in flight on a socket that was just closed can wait for Baileys' own query timeout (60 s).
      // Shutdown does not wait that long: such a row stays 'sending' and is sent again, with the same
      // id, at the next start.
      const stopping = Promise.all([...senders.values()].map((s) => s.stop()));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = await Promise.race([
        stopping.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), SENDER_STOP_GRACE_MS);
        }),
      ]);
      clearTimeout(timer);
      if (gaveUp)
        log.warn(
          'pipeline.stop',
          'A reply was still being sent at shutdown; it will be resent at the next start',
        );
      senders.clear();
    },

    handleEvent(event) {
      switch (event.type) {
        case 'message': {
          const incoming: Incoming = { message: event.message, connectionWorkspaceId: event.workspaceId };
          try {
            // Synchronously, in the tick the provider emitted it: from here a crash cannot lose it.
            options.journal?.append(journalKey(event.message), incoming);
          } catch (error) {
            log.error(
              'journal.failed',
              'Could not journal an inbound message; it is only in memory until stored',
              {
                error,
                providerMessageId: event.message.providerMessageId,
              },
            );
          }
          enqueue({ type: 'message', incoming });
          return;
        }
        case 'owner-reply':
          enqueue({ type: 'owner-reply', workspaceId: event.workspaceId, reply: event.reply });
          return;
        case 'ack':
          enqueue({ type: 'ack', workspaceId: event.workspaceId, ack: event.ack });
          return;
        case 'state':
          // Back online: replies that waited for the connection go now.
          if (event.state.status === 'connected') {
            const sender = senders.get(`${event.workspaceId}\u0000${event.number}`);
            if (sender !== undefined) sender.kick();
            else void resumeNumber(event.workspaceId, event.number);
          }
          return;
        case 'qr':
        case 'pairing-code':
        case 'alert':
          return;
        default:
          assertNever(event, 'connection event');
      }
    },

    async release(workspaceId, chatId) {
      const released = await createConversationRepository(store.db).release(workspaceId, chatId, now());
      log.child({ workspaceId }).info('handoff.released', `Chat ${chatId} given back to the bot`, {
        chatId,
        conversations: released,
      });
      return released;
    },

    invalidate: (workspaceId) => cache.invalidate(workspaceId),
    kick: (workspaceId, number) => kickSender(workspaceId, number),

    async idle() {
      while (draining !== null || recording.size > 0 || aiLane.size > 0) {
        if (draining !== null) await draining;
        await Promise.all([...recording]);
        await aiLane.idle();
      }
    },
  };
  return pipeline;

  async function resumeNumber(workspaceId: WorkspaceId, number: E164): Promise<void> {
    try {
      const pending = await createOutboxRepository(store.db).pendingNumbers(workspaceId);
      if (pending.includes(number)) kickSender(workspaceId, number);
    } catch (error) {
      log.error('error', `Resuming the outbox of ${number} failed`, { error });
    }
  }
}

function ackStatus(status: DeliveryStatus): MessageStatus {
  switch (status) {
    case 'sent':
    case 'delivered':
    case 'read':
    case 'failed':
      return status;
    default:
      return assertNever(status, 'delivery status');
  }
}

function yieldToLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Group commit sized by time, not count: bigger batches amortise each commit's fsync, but a batch
 * holds the event loop for its whole ingest (and again for its decide). The cost per message is
 * tracked (moving average) and the next batch takes what fits the budget, never fewer than
 * MIN_BATCH: when the disk is slow (a commit's fsync dominates), smaller batches would only add commits.
 */
const MIN_BATCH = 16;

function createBatchSizer(max: number, budgetMs: number) {
  let msPerMessage: number | null = null;
  const floor = Math.min(max, MIN_BATCH);
  return {
    next: () =>
      msPerMessage === null
        ? Math.min(max, 25)
        : Math.max(floor, Math.min(max, Math.floor(budgetMs / msPerMessage))),
    observe(count: number, ms: number) {
      if (count < 5) return; // a lone message costs mostly its commits: it says little about a burst
      const sample = ms / count;
      msPerMessage = msPerMessage === null ? sample : msPerMessage * 0.7 + sample * 0.3;
    },
  };
}

/** FIFO with O(1) shift: Array#shift moves every element, which a 20,000-message burst notices. */
function createQueue<T>() {
  let items: (T | undefined)[] = [];
  let head = 0;
  return {
    push(item: T) {
      items.push(item);
    },
    peek: (): T | undefined => items[head],
    shift(): T | undefined {
      const item = items[head];
      items[head] = undefined;
      head += 1;
      if (head > 1024 && head * 2 > items.length) {
        items = items.slice(head);
        head = 0;
      }
      return item;
    },
    get length() {
      return items.length - head;
    },
  };
}
