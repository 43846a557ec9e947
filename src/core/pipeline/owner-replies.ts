import type { E164, WorkspaceId } from '../../shared/types';
import type { IdGenerator } from '../ids';
import type { Logger } from '../log/logger';
import type { Store } from '../store/open-database';
import { createConversationRepository } from '../store/repositories/conversations';
import { createOutboxRepository } from '../store/repositories/outbox';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import type { OwnerReply } from '../whatsapp/provider';
import type { WorkspaceCache } from './workspace-cache';

export interface OwnerReplies {
  /** The owner typed in a chat from the phone: the bot steps back there for ownerPauseMinutes. */
  handle(connectionWorkspaceId: WorkspaceId, reply: OwnerReply): Promise<void>;
}

export function createOwnerReplies(deps: {
  store: Store;
  cache: WorkspaceCache;
  logger: Logger;
  newId: IdGenerator;
  now: () => number;
  /** The workspace that owns a number now (it may have moved since the connection was made). */
  ownerOf: (number: E164) => Promise<WorkspaceId | undefined>;
  onActivity: (workspaceId: WorkspaceId, chatId: string) => void;
}): OwnerReplies {
  /** Records the reply, pauses the bot in the chat, and returns the queued bot replies it cancelled. */
  function recordAndPause(workspaceId: WorkspaceId, reply: OwnerReply, t: number, minutes: number) {
    return deps.store.transaction(async (trx) => {
      await createPipelineMessageRepository(trx).recordOutbound(
        workspaceId,
        {
          id: deps.newId(),
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
  }

  return {
    async handle(connectionWorkspaceId, reply) {
      const workspaceId = (await deps.ownerOf(reply.businessNumber)) ?? connectionWorkspaceId;
      const wsLog = deps.logger.child({ workspaceId });
      // Our own sends come back as "from me" too: they are the bot, not the owner.
      if (await createOutboxRepository(deps.store.db).isOwn(workspaceId, reply.providerMessageId)) {
        wsLog.debug('owner.echo', `Echo of our own reply ${reply.providerMessageId} ignored`, {
          chatId: reply.chatId,
        });
        return;
      }
      const settings = await deps.cache.settings(workspaceId);
      if (settings === undefined) return;
      const t = deps.now();
      const minutes = settings.handoff.ownerPauseMinutes;
      const cancelled = await recordAndPause(workspaceId, reply, t, minutes);
      const where = { chatId: reply.chatId, number: reply.businessNumber };
      if (cancelled.length > 0) {
        wsLog.info(
          'outbox.cancelled',
          `${cancelled.length} queued bot repl${cancelled.length === 1 ? 'y' : 'ies'} to ${reply.chatId} dropped: the owner replied`,
          { ...where, outboxIds: cancelled },
        );
      }
      wsLog.info('bot.paused', `The owner replied in ${reply.chatId}; the bot keeps out for ${minutes} min`, {
        ...where,
        until: t + minutes * 60_000,
        minutes,
      });
      deps.onActivity(workspaceId, reply.chatId);
    },
  };
}
