import type { CoreHandlers } from '../../shared/contract';
import { SwitchboardError } from '../errors';
import { createMessageRepository } from '../store/repositories/messages';
import { createOutboxRepository } from '../store/repositories/outbox';
import { contactCard, updateContact } from './contact-card-handlers';
import { withContext, type HandlerContext, type HandlerInput } from './context';
import { searchInbox } from './inbox-search-handlers';
import { createLabel, deleteLabel, listLabels, setChatLabels, updateLabel } from './label-handlers';
import {
  createSavedReply,
  deleteSavedReply,
  listSavedReplies,
  quickReplies,
  updateSavedReply,
} from './saved-reply-handlers';

type InboxHandlers = Pick<
  CoreHandlers,
  | 'conversation.retry'
  | 'inbox.search'
  | 'label.list'
  | 'label.create'
  | 'label.update'
  | 'label.delete'
  | 'conversation.setLabels'
  | 'reply.list'
  | 'reply.create'
  | 'reply.update'
  | 'reply.delete'
  | 'reply.quick'
  | 'contact.card'
  | 'contact.update'
>;

/** The inbox: Retry of a failed message, search, labels, saved replies and the contact card. */
export function createInboxHandlers(ctx: HandlerContext): InboxHandlers {
  return withContext(ctx, {
    'conversation.retry': retryMessage,
    'inbox.search': searchInbox,
    'label.list': listLabels,
    'label.create': createLabel,
    'label.update': updateLabel,
    'label.delete': deleteLabel,
    'conversation.setLabels': setChatLabels,
    'reply.list': listSavedReplies,
    'reply.create': createSavedReply,
    'reply.update': updateSavedReply,
    'reply.delete': deleteSavedReply,
    'reply.quick': quickReplies,
    'contact.card': contactCard,
    'contact.update': updateContact,
  });
}

/** Retry of a failed outgoing message: it goes back in the outbox once, however often it is pressed. */
async function retryMessage(
  ctx: HandlerContext,
  { workspaceId, chatId, messageId }: HandlerInput<'conversation.retry'>,
): Promise<{ queued: true }> {
  await ctx.app.workspaces.get(workspaceId);
  const message = await createMessageRepository(ctx.app.store.db).get(workspaceId, messageId);
  if (message === undefined || message.chatId !== chatId) {
    throw new SwitchboardError('NOT_FOUND', 'That message is not in this chat.', { chatId, messageId });
  }
  if (message.direction !== 'out') {
    throw new SwitchboardError('VALIDATION', "Only your and the bot's messages can be sent again.", {
      messageId,
    });
  }
  const now = ctx.clock.now();
  const queued = await ctx.app.store.transaction(async (trx) => {
    // The failed status is the gate: of two Retries, only the first moves it, so it is queued once.
    if (!(await createMessageRepository(trx).setStatus(workspaceId, messageId, 'queued', now, 'failed'))) {
      return false;
    }
    const outbox = createOutboxRepository(trx);
    if (await outbox.requeue(workspaceId, messageId, now)) return true;
    if ((await outbox.get(workspaceId, messageId)) !== undefined) return false;
    // An owner's reply that failed before failed replies were kept in the outbox.
    await outbox.insertMany(
      workspaceId,
      [
        {
          id: message.id,
          businessNumber: message.businessNumber,
          chatId,
          inboundMessageId: null,
          kind: 'owner',
          text: message.text ?? '',
        },
      ],
      now,
    );
    return true;
  });
  if (!queued) {
    throw new SwitchboardError(
      'CONFLICT',
      'This message is already being sent again (or was sent). Wait for its tick to change.',
      { messageId },
    );
  }
  ctx.app.logger
    .child({ workspaceId })
    .info('message.retried', `The owner sent a failed message to ${chatId} again`, {
      chatId,
      outboxId: messageId,
    });
  ctx.app.pipeline.kick(workspaceId, message.businessNumber);
  ctx.hub.emit('conversation.changed', { workspaceId, chatId });
  return { queued: true };
}
