import type { WorkspaceSettings } from '../../shared/settings';
import type { E164, WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { Store } from '../store/open-database';
import { createClarifyDirectory } from '../store/repositories/clarify-directory';
import { createConversationRepository, type ConversationRecord } from '../store/repositories/conversations';
import { createOutboxRepository } from '../store/repositories/outbox';
import type { TimerHandle, Timers } from '../timers';
import { clarifyTimedOut, type ShopProfile } from './decide';
import type { HandoffAlert } from './decision-processor';
import type { WorkspaceCache } from './workspace-cache';

export interface ClarifyTimeouts {
  /** A clarifying question was asked that runs out at `at`: wake then (the earliest wins). */
  expiresAt: (at: number) => void;
  /** Hands every question past its time to a person; run from the pipeline's queue, in order. */
  sweep(): Promise<void>;
  stop(): void;
}

/**
 * "No reply within the set time hands the chat to a person": one timer for the machine, set for the
 * earliest pending clarifying question. A sweep asks clarifyTimedOut() (pure) what each due chat needs
 * and commits it like a decision: the chat's state, the hand-off notice in the outbox, then the owner
 * is told through the usual hand-off alert. It runs on the pipeline's queue (`wake` enqueues it), so a
 * customer's pick arriving at the same moment is decided first or after, never half-way.
 */
interface ClarifyTimeoutDeps {
  store: Store;
  cache: WorkspaceCache;
  timers: Timers;
  logger: Logger;
  newOutboxId: () => string;
  wake: () => void;
  onHandoff: (alert: HandoffAlert) => void;
  onQueued: (workspaceId: WorkspaceId, number: E164) => void;
  onActivity: (workspaceId: WorkspaceId, chatId: string) => void;
}

export function createClarifyTimeouts(deps: ClarifyTimeoutDeps): ClarifyTimeouts {
  const directory = createClarifyDirectory(deps.store.db);
  let timer: TimerHandle | null = null;
  let timerAt = Infinity;
  let stopped = false;

  function expiresAt(at: number): void {
    if (stopped || at >= timerAt) return;
    if (timer !== null) deps.timers.clearTimeout(timer);
    timerAt = at;
    timer = deps.timers.setTimeout(
      () => {
        timer = null;
        timerAt = Infinity;
        deps.wake();
      },
      Math.max(0, at - deps.timers.now()),
    );
  }

  return {
    expiresAt,
    async sweep() {
      const now = deps.timers.now();
      for (const due of await directory.due(now)) {
        try {
          await timeOut(deps, due.workspaceId, due.businessNumber, due.chatId, now);
        } catch (error) {
          deps.logger
            .child({ workspaceId: due.workspaceId })
            .error('error', `Handing chat ${due.chatId} over after its clarifying question failed`, {
              error,
            });
        }
      }
      const next = await directory.next();
      if (next !== null) expiresAt(next <= now ? now + 1000 : next);
    },
    stop() {
      stopped = true;
      if (timer !== null) deps.timers.clearTimeout(timer);
      timer = null;
    },
  };
}

/** Commits what clarifyTimedOut() decided for one chat; null when there was nothing to do. */
function commitTimeout(
  deps: ClarifyTimeoutDeps,
  settings: WorkspaceSettings,
  shop: ShopProfile,
  chat: { workspaceId: WorkspaceId; number: E164; chatId: string },
  now: number,
) {
  const { workspaceId, number, chatId } = chat;
  return deps.store.transaction(async (trx) => {
    const conversations = createConversationRepository(trx);
    const state = await conversations.get(workspaceId, number, chatId);
    if (state === undefined) return null;
    const decision = clarifyTimedOut(settings, state, now, shop);
    if (decision === null) return null;
    const record: ConversationRecord = { ...state, ...decision.stateChanges };
    await conversations.saveMany(workspaceId, [record], now);
    const rows = decision.actions.flatMap((a) =>
      a.type === 'reply'
        ? [
            {
              id: deps.newOutboxId(),
              businessNumber: number,
              chatId,
              inboundMessageId: null,
              kind: a.kind,
              text: a.text,
            },
          ]
        : [],
    );
    if (rows.length > 0) await createOutboxRepository(trx).insertMany(workspaceId, rows, now);
    return { decision, record, queued: rows.length, before: state };
  });
}

async function timeOut(
  deps: ClarifyTimeoutDeps,
  workspaceId: WorkspaceId,
  number: E164,
  chatId: string,
  now: number,
): Promise<void> {
  const settings = await deps.cache.settings(workspaceId);
  if (settings === undefined) return;
  const shop = { name: await deps.cache.name(workspaceId) };
  const log = deps.logger.child({ workspaceId });
  const done = await commitTimeout(deps, settings, shop, { workspaceId, number, chatId }, now);
  if (done === null) return;
  const { decision, record, queued, before } = done;
  if (decision.outcome !== 'person') {
    log.info('clarify.dropped', `The clarifying question in ${chatId} ran out while a person has the chat`, {
      chatId,
      number,
    });
    return;
  }
  log.info(
    'clarify.timed_out',
    `The customer did not pick an answer in ${settings.faq.clarifyWaitMinutes} min: the chat goes to a person`,
    { chatId, number, reason: decision.reason },
  );
  deps.onHandoff({
    workspaceId,
    businessNumber: number,
    chatId,
    contactId: record.contactId,
    reason: decision.reason,
    messageId: '',
    waitingSince: record.waiting?.since ?? now,
    again: before.waiting != null,
  });
  if (queued > 0) deps.onQueued(workspaceId, number);
  deps.onActivity(workspaceId, chatId);
}
