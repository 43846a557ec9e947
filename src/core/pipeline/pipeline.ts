import type { E164, WorkspaceId } from '../../shared/types';
import type { ConnectionEvent } from '../connection/connection-manager';
import { assertNever } from '../errors';
import type { IdGenerator } from '../ids';
import type { Logger } from '../log/logger';
import type { Store } from '../store/open-database';
import { createConversationRepository } from '../store/repositories/conversations';
import { createFaqVersionRepository } from '../store/repositories/faq-versions';
import { createPreparedTransactions } from '../store/prepared-transactions';
import { createNumberDirectory } from '../store/repositories/phone-numbers';
import { realTimers, type Timers } from '../timers';
import type { DeliveryAck, OwnerReply, WhatsAppProvider } from '../whatsapp/provider';
import { createFaqBotFactory, createFaqBotRefresher } from './faq-bot';
import { createClarifyTimeouts, type ClarifyTimeouts } from './clarify-timeouts';
import { createDeliveryAcks, type DeliveryAcks } from './delivery-acks';
import { createIngest, type StoredMessage } from './ingest';
import { createOutboxId, createTimeOrderedId } from './outbox-id';
import { createOwnerNotices, type OwnerNotices } from './owner-notices';
import type { Pipeline, PipelineConnections, PipelineOptions } from './pipeline-options';
import { createOwnerReplies, type OwnerReplies } from './owner-replies';
import { createProcessor, type AiAnswer, type Processor, type ProcessorDeps } from './decision-processor';
import { createAiWaits, type AiWaits } from './ai-waits';
import { createRecovery, type Recovery } from './recovery';
import { createRouter, type Incoming } from './route';
import { createSenderPool, type SenderPool } from './sender-pool';
import { createUnansweredRecorder, type UnansweredRecorder } from './unanswered-recorder';
import {
  createWorkQueue,
  createBatchSizer,
  yieldToLoop,
  type BatchSizer,
  type WorkQueue,
} from './work-queue';
import { createWorkspaceCache, type WorkspaceCache } from './workspace-cache';

export type { ChatActivity, PipelineAlert } from './owner-notices';
export type { Pipeline, PipelineConnections, PipelineOptions } from './pipeline-options';

type Work =
  | { type: 'message'; incoming: Incoming }
  | { type: 'stored'; stored: StoredMessage }
  | { type: 'owner-reply'; workspaceId: WorkspaceId; reply: OwnerReply }
  | { type: 'ack'; workspaceId: WorkspaceId; ack: DeliveryAck }
  /** Clarifying questions past their time: handed to a person (clarify-timeouts). */
  | { type: 'clarify-due' }
  /** Back from the AI lane: decided here, in queue order with owner replies, then `done`. */
  | { type: 'ai-answered'; stored: StoredMessage; answer: AiAnswer | null; done: () => void };

/** The named parts the pipeline is composed of; each keeps its own state. */
interface Parts {
  log: Logger;
  cache: WorkspaceCache;
  notices: OwnerNotices;
  unanswered: UnansweredRecorder;
  ai: AiWaits;
  processor: Processor;
  clarifyTimeouts: ClarifyTimeouts;
  senders: SenderPool;
  ownerReplies: OwnerReplies;
  acks: DeliveryAcks;
  recovery: Recovery;
  queue: WorkQueue<Work>;
  batchSize: BatchSizer;
  now: () => number;
  onFilesToFetch?: ((stored: StoredMessage[]) => void) | undefined;
  /** Set once a stop has finished the accepted work; AI answers arriving after it are dropped. */
  stopped: boolean;
}

/**
 * The messaging pipeline (architecture.md): ingest -> route -> decide -> outbox -> send. Events are
 * handled strictly in arrival order through one queue (work-queue), so an owner's reply pauses the bot
 * before the customer's next message is decided. Consecutive inbound messages are taken as a batch
 * (group commit: one transaction for the batch's ingest, one for its decisions), so a burst costs a few
 * fsyncs, not two per message; between batches the loop yields to the event loop, so a burst never
 * starves I/O. Nothing lives only here: after a crash, `start` picks everything up from the database
 * (recovery).
 */
export function createPipeline(options: PipelineOptions): Pipeline {
  const p = assemble(options);
  let unsubscribe: (() => void) | null = null;
  const pipeline: Pipeline = {
    async start() {
      p.stopped = false;
      p.senders.start();
      if (options.subscribe !== undefined && unsubscribe === null) {
        unsubscribe = options.subscribe((event) => pipeline.handleEvent(event));
      }
      p.recovery.replayJournal();
      await p.recovery.recover();
      // Questions that ran out while the app was closed go to a person now; the rest get their timer.
      p.queue.enqueue({ type: 'clarify-due' });
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = null;
      // AI calls in flight are abandoned: their messages are decided again at the next start.
      p.ai.abandon();
      await pipeline.idle();
      p.stopped = true;
      p.clarifyTimeouts.stop();
      await p.senders.stop();
    },
    handleEvent: (event) => handleEvent(p, event),
    async release(workspaceId, chatId) {
      const released = await createConversationRepository(options.store.db).release(
        workspaceId,
        chatId,
        p.now(),
      );
      p.log.child({ workspaceId }).info('handoff.released', `Chat ${chatId} given back to the bot`, {
        chatId,
        conversations: released,
      });
      return released;
    },
    invalidate: (workspaceId) => p.cache.invalidate(workspaceId),
    kick: (workspaceId, number) => p.senders.kick(workspaceId, number),
    async idle() {
      while (p.queue.busy || p.unanswered.size > 0 || p.ai.size > 0) {
        await p.queue.drained();
        await p.unanswered.idle();
        await p.ai.idle();
      }
    },
  };
  return pipeline;
}

function handleEvent(p: Parts, event: ConnectionEvent): void {
  switch (event.type) {
    case 'message': {
      const incoming: Incoming = { message: event.message, connectionWorkspaceId: event.workspaceId };
      p.recovery.journal(incoming);
      p.queue.enqueue({ type: 'message', incoming });
      return;
    }
    case 'owner-reply':
      p.queue.enqueue({ type: 'owner-reply', workspaceId: event.workspaceId, reply: event.reply });
      return;
    case 'ack':
      p.queue.enqueue({ type: 'ack', workspaceId: event.workspaceId, ack: event.ack });
      return;
    case 'state':
      // Back online: replies that waited for the connection go now.
      if (event.state.status === 'connected') p.senders.connected(event.workspaceId, event.number);
      return;
    case 'qr':
    case 'pairing-code':
    case 'alert':
      return;
    default:
      assertNever(event, 'connection event');
  }
}

/** One turn of the queue: the head item, or the batch of like items it starts. */
async function handleWork(p: Parts, first: Work): Promise<void> {
  switch (first.type) {
    case 'message':
      return ingestAndDecide(
        p,
        p.queue.take('message', p.batchSize.next()).map((w) => w.incoming),
      );
    case 'stored': {
      const batch = p.queue.take('stored', p.batchSize.next()).map((w) => w.stored);
      await p.processor.decideAndCommit(batch);
      p.notices.storedActivity(batch);
      return;
    }
    case 'owner-reply':
      p.queue.shift();
      return p.ownerReplies.handle(first.workspaceId, first.reply);
    case 'ack':
      p.queue.shift();
      return p.acks.handle(first.workspaceId, first.ack);
    case 'clarify-due':
      p.queue.shift();
      return p.clarifyTimeouts.sweep();
    case 'ai-answered':
      p.queue.shift();
      try {
        await p.processor.decideWithAi(first.stored, first.answer);
        p.notices.storedActivity([first.stored]);
      } finally {
        first.done();
      }
      return;
    default:
      assertNever(first, 'pipeline work');
  }
}

async function ingestAndDecide(p: Parts, batch: Incoming[]): Promise<void> {
  let started = performance.now();
  const stored = await p.processor.ingest(batch);
  // Committed (stored, deduplicated or kept as unroutable): the journal's copy can go.
  p.recovery.forget(batch);
  const files = stored.filter((s) => s.fileToFetch === true);
  if (files.length > 0) p.onFilesToFetch?.(files);
  let spent = performance.now() - started;
  // The batch is safe on disk: let timers and I/O run before its decisions.
  await yieldToLoop();
  started = performance.now();
  await p.processor.decideAndCommit(stored);
  spent += performance.now() - started;
  p.batchSize.observe(batch.length, spent);
  p.notices.storedActivity(stored);
}

/** What every part is built with. */
interface Basics {
  store: Store;
  timers: Timers;
  now: () => number;
  newId: IdGenerator;
  newOutboxId: () => string;
  log: Logger;
  cache: WorkspaceCache;
  notices: OwnerNotices;
}

function basics(options: PipelineOptions): Basics {
  const timers = options.timers ?? realTimers;
  const now = () => timers.now();
  return {
    store: options.store,
    timers,
    now,
    newId: options.newId ?? (() => createTimeOrderedId(timers.now())),
    newOutboxId: options.newOutboxId ?? (() => createOutboxId(timers.now())),
    log: options.logger,
    cache: createCache(options, now),
    notices: createOwnerNotices({
      logger: options.logger,
      now,
      onAlert: options.onAlert,
      onActivity: options.onActivity,
    }),
  };
}

/** Builds the parts and wires them to each other (each part's state stays its own). */
function assemble(options: PipelineOptions): Parts {
  const b = basics(options);
  const { store, log, now, notices } = b;
  const directory = createNumberDirectory(store.db);
  const ownerOf = async (number: E164) => (await directory.ownerOf(number))?.workspaceId;
  const queue = createWorkQueue<Work>(
    (first) => handleWork(parts, first),
    // Ingest failed (the disk, a bug): the provider still holds these messages and redelivers them
    // after a reconnect; nothing was half-written.
    (first, error) =>
      log.error('message.failed', `Processing ${first.type} failed`, { error, stage: first.type }),
  );
  const senders = createSenderPool({
    ...b,
    logger: log,
    random: options.random ?? Math.random,
    sending: options.sending ?? true,
    notConnectedRetryMs: options.notConnectedRetryMs,
    readMedia: options.readMedia,
    provider: (workspaceId, number) => providerOf(options.connections, workspaceId, number),
  });
  const unanswered = createUnansweredRecorder({ ...b, logger: log, onUnanswered: options.onUnanswered });
  const ai = createAiWaits({
    concurrency: Math.max(1, options.aiConcurrency ?? 4),
    logger: log,
    ask: (m, signal) => processor.askAi(m, signal),
    decide: (stored, answer) =>
      new Promise<void>((done) => queue.enqueue({ type: 'ai-answered', stored, answer, done })),
    stopped: () => parts.stopped,
  });
  const clarifyTimeouts = createClarifyTimeouts({
    ...b,
    logger: log,
    wake: () => queue.enqueue({ type: 'clarify-due' }),
    onHandoff: notices.needsPerson,
    onQueued: senders.kick,
    onActivity: notices.activity,
  });
  const processor = processorFor(b, options.ai !== undefined ? ai : undefined, {
    onQueued: senders.kick,
    onAbstained: unanswered.record,
    onClarify: clarifyTimeouts.expiresAt,
  });
  const recovery = createRecovery({
    store,
    logger: log,
    journal: options.journal,
    onIncoming: (incoming) => queue.enqueue({ type: 'message', incoming }),
    onStored: (stored) => queue.enqueue({ type: 'stored', stored }),
    kick: senders.kick,
  });
  const parts: Parts = {
    ...b,
    unanswered,
    ai,
    processor,
    clarifyTimeouts,
    senders,
    ownerReplies: createOwnerReplies({ ...b, logger: log, ownerOf, onActivity: notices.activity }),
    acks: createDeliveryAcks({ store, logger: log, now, ownerOf, onActivity: notices.activity }),
    recovery,
    queue,
    batchSize: createBatchSizer(Math.max(1, options.maxBatch ?? 100), options.batchBudgetMs ?? 8),
    onFilesToFetch: options.onFilesToFetch,
    stopped: false,
  };
  return parts;
}

function processorFor(
  b: Basics,
  aiLane: AiWaits | undefined,
  on: Pick<ProcessorDeps, 'onQueued' | 'onAbstained' | 'onClarify'>,
): Processor {
  const { store, log, newId, now } = b;
  const preparedTx = createPreparedTransactions(store);
  return createProcessor({
    preparedTx,
    db: store.db,
    ...(aiLane !== undefined && { aiLane }),
    logger: log,
    cache: b.cache,
    router: createRouter({ store, logger: log, newId, now }),
    ingest: createIngest({ preparedTx, logger: log, newId, now }),
    newOutboxId: b.newOutboxId,
    now,
    onHandoff: b.notices.needsPerson,
    ...on,
  });
}

/** Each workspace's settings, bot and AI; the default bot is the FAQ bot over its enabled FAQs. */
function createCache(options: PipelineOptions, now: () => number): WorkspaceCache {
  const { store } = options;
  const faqVersions = createFaqVersionRepository(store.db);
  const botVersion =
    options.botVersion ??
    (options.bot === undefined ? (id: WorkspaceId) => faqVersions.version(id) : undefined);
  return createWorkspaceCache({
    store,
    botFactory: options.bot ?? createFaqBotFactory(store),
    ...(options.bot === undefined && { botRefresh: createFaqBotRefresher(store) }),
    ...(botVersion !== undefined && { botVersion }),
    ...(options.ai !== undefined && { aiFactory: options.ai }),
    now,
    ...(options.settingsTtlMs !== undefined && { ttlMs: options.settingsTtlMs }),
  });
}

function providerOf(
  connections: PipelineConnections,
  workspaceId: WorkspaceId,
  number: E164,
): WhatsAppProvider | undefined {
  try {
    return connections.provider(workspaceId, number);
  } catch {
    return undefined;
  }
}
