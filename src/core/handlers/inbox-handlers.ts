import type { CoreHandlers } from '../../shared/contract';
import { SwitchboardError } from '../errors';
import { createMessageRepository } from '../store/repositories/messages';
import { createOutboxRepository } from '../store/repositories/outbox';
import { contactCard, updateContact } from './contact-card-handlers';
import type { HandlerContext } from './context';
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

type RetryInput = Parameters<CoreHandlers['conversation.retry']>[0];

/** The inbox: Retry of a failed message, search, labels, saved replies and the contact card. */
export function createInboxHandlers(ctx: HandlerContext): InboxHandlers {
  return {
    'conversation.retry': (input) => retryMessage(ctx, input),
    'inbox.search': (input) => searchInbox(ctx, input),
    'label.list': (input) => listLabels(ctx, input),
    'label.create': (input) => createLabel(ctx, input),
    'label.update': (input) => updateLabel(ctx, input),
    'label.delete': (input) => deleteLabel(ctx, input),
    'conversation.setLabels': (input) => setChatLabels(ctx, input),
    'reply.list': (input) => listSavedReplies(ctx, input),
    'reply.create': (input) => createSavedReply(ctx, input),
    'reply.update': (input) => updateSavedReply(ctx, input),
    'reply.delete': (input) => deleteSavedReply(ctx, input),
    'reply.quick': (input) => quickReplies(ctx, input),
    'contact.card': (input) => contactCard(ctx, input),
    'contact.update': (input) => updateContact(ctx, input),
  };
}

/** Retry of a failed outgoing message: it goes back in the outbox once, however often it is pressed. */
async function retryMessage(
  ctx: HandlerContext,
  { workspaceId, chatId, messageId }: RetryInput,
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
