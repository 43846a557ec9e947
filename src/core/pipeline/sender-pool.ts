import type { E164, WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { Store } from '../store/open-database';
import { createConversationRepository } from '../store/repositories/conversations';
import { createOutboxRepository } from '../store/repositories/outbox';
import type { Timers } from '../timers';
import type { WhatsAppProvider } from '../whatsapp/provider';
import type { OwnerNotices } from './owner-notices';
import { createSender, type Sender } from './sender';
import type { WorkspaceCache } from './workspace-cache';

const SENDER_STOP_GRACE_MS = 3_000;

/** One sender per business number (sender.ts), made on first use and kept until the pipeline stops. */
export interface SenderPool {
  /** The number's outbox has work: its sender looks now (no-op when sending is off or stopped). */
  kick: (workspaceId: WorkspaceId, number: E164) => void;
  /** The number is connected again: replies that waited for the connection go now. */
  connected(workspaceId: WorkspaceId, number: E164): void;
  /** Accepts kicks again after a stop. */
  start(): void;
  /** Stops every sender, waiting at most a short grace for a send in flight. */
  stop(): Promise<void>;
}

interface SenderPoolDeps {
  store: Store;
  logger: Logger;
  timers: Timers;
  random: () => number;
  cache: WorkspaceCache;
  notices: OwnerNotices;
  /** false: never send (benchmarks of the inbound path). */
  sending: boolean;
  notConnectedRetryMs?: number | undefined;
  readMedia?: ((sha256: string) => Promise<Buffer>) | undefined;
  provider: (workspaceId: WorkspaceId, number: E164) => WhatsAppProvider | undefined;
}

export function createSenderPool(deps: SenderPoolDeps): SenderPool {
  const senders = new Map<string, Sender>();
  const log = deps.logger;
  let stopped = false;

  function kick(workspaceId: WorkspaceId, number: E164): void {
    if (!deps.sending || stopped) return;
    const key = `${workspaceId}\u0000${number}`;
    let sender = senders.get(key);
    if (sender === undefined) {
      sender = newSender(deps, workspaceId, number);
      senders.set(key, sender);
    }
    sender.kick();
  }

  async function resume(workspaceId: WorkspaceId, number: E164): Promise<void> {
    try {
      const pending = await createOutboxRepository(deps.store.db).pendingNumbers(workspaceId);
      if (pending.includes(number)) kick(workspaceId, number);
    } catch (error) {
      log.error('error', `Resuming the outbox of ${number} failed`, { error });
    }
  }

  return {
    kick,
    connected(workspaceId, number) {
      const sender = senders.get(`${workspaceId}\u0000${number}`);
      if (sender !== undefined) sender.kick();
      else void resume(workspaceId, number);
    },
    start() {
      stopped = false;
    },
    async stop() {
      stopped = true;
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
  };
}

type SentRow = { id: string; chatId: string; inboundMessageId: string | null };

/** The customer got no answer: the chat waits for a person, who is told. */
function sendFailed(
  deps: SenderPoolDeps,
  workspaceId: WorkspaceId,
  number: E164,
  row: SentRow,
  error: string,
): void {
  deps.notices.alert({
    type: 'send-failed',
    workspaceId,
    businessNumber: number,
    chatId: row.chatId,
    outboxId: row.id,
    error,
  });
  void createConversationRepository(deps.store.db)
    .markWaiting(workspaceId, number, row.chatId, 'send-failed', deps.timers.now())
    .then((started) => {
      if (started) deps.notices.escalate(workspaceId, number, row, 'send-failed');
      deps.notices.activity(workspaceId, row.chatId);
    })
    .catch((e: unknown) => deps.logger.error('error', 'marking a chat as waiting failed', { error: e }));
}

function newSender(deps: SenderPoolDeps, workspaceId: WorkspaceId, number: E164): Sender {
  return createSender({
    workspaceId,
    businessNumber: number,
    store: deps.store,
    logger: deps.logger,
    timers: deps.timers,
    random: deps.random,
    provider: () => deps.provider(workspaceId, number),
    settings: () => deps.cache.settings(workspaceId),
    ...(deps.notConnectedRetryMs !== undefined && { notConnectedRetryMs: deps.notConnectedRetryMs }),
    ...(deps.readMedia !== undefined && { readMedia: deps.readMedia }),
    onSent: (row) => deps.notices.activity(workspaceId, row.chatId),
    onFailed: (row, error) => sendFailed(deps, workspaceId, number, row, error),
    onStale: (row, _cancelled, started) => {
      if (started) deps.notices.escalate(workspaceId, number, row, 'reply-stale');
      deps.notices.activity(workspaceId, row.chatId);
    },
  });
}
