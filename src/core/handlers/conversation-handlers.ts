import type { BotReplyKind, CoreHandlers, ThreadMessage } from '../../shared/contract';
import type { Message } from '../../shared/dto';
import type { E164, WorkspaceId } from '../../shared/types';
import type { MediaKind } from '../../shared/media-contract';
import { SwitchboardError } from '../errors';
import { createOutboxId } from '../pipeline/outbox-id';
import { errorText } from '../pipeline/send-errors';
import { createChatProfileRepository } from '../store/repositories/chat-profiles';
import { createChatReadRepository } from '../store/repositories/chat-reads';
import { createLabelRepository } from '../store/repositories/labels';
import { createConversationRepository } from '../store/repositories/conversations';
import { createMessageMediaRepository } from '../store/repositories/message-media';
import { createMessageRepository } from '../store/repositories/messages';
import { toThreadMedia } from '../media/thread-media';
import { createOutboxRepository, type OutboxKind } from '../store/repositories/outbox';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import type { HandlerContext, HandlerInput } from './context';
import { recordOwnerSending } from './owner-sending';
import { WINDOW_CLOSED_MESSAGE } from '../pipeline/service-window';
import { failureInWords } from '../inbox/failure-words';
import { notConnectedMessage, numbersOfChat, replyNumber, windowOf } from './reply-number';

type ConversationHandlers = Pick<
  CoreHandlers,
  | 'conversation.list'
  | 'conversation.thread'
  | 'conversation.release'
  | 'conversation.takeOver'
  | 'conversation.pause'
  | 'conversation.reply'
>;

const botKind = (kind: OutboxKind | undefined): BotReplyKind | null =>
  kind === undefined || kind === 'owner' ? null : kind;

/** The Conversations screen: chats, their threads, and what the owner does in them. */
export function createConversationHandlers(ctx: HandlerContext): ConversationHandlers {
  const { app, hub, clock } = ctx;
  const changed = (workspaceId: WorkspaceId, chatId: string) =>
    hub.emit('conversation.changed', { workspaceId, chatId });

  return {
    'conversation.list': (input) => listConversations(ctx, input),

    'conversation.thread': (input) => threadPage(ctx, input),

    async 'conversation.release'({ workspaceId, chatId }) {
      await app.workspaces.get(workspaceId);
      const released = await app.pipeline.release(workspaceId, chatId);
      changed(workspaceId, chatId);
      return { released };
    },

    async 'conversation.takeOver'({ workspaceId, chatId }) {
      await app.workspaces.get(workspaceId);
      const numbers = await numbersOfChat(ctx, workspaceId, chatId);
      const now = clock.now();
      await app.store.transaction(async (trx) => {
        for (const number of numbers) {
          await createConversationRepository(trx).takeOver(workspaceId, number, chatId, now);
        }
      });
      app.logger
        .child({ workspaceId })
        .info(
          'handoff.taken_over',
          `The owner took over ${chatId}; the bot keeps out until it is given back`,
          {
            chatId,
            by: 'owner',
          },
        );
      changed(workspaceId, chatId);
      return { ok: true };
    },

    async 'conversation.pause'({ workspaceId, chatId, minutes }) {
      await app.workspaces.get(workspaceId);
      const numbers = await numbersOfChat(ctx, workspaceId, chatId);
      const botPausedUntil = await pauseChat(ctx, workspaceId, numbers, chatId, minutes);
      app.logger
        .child({ workspaceId })
        .info('bot.paused', `The bot keeps out of ${chatId} for ${minutes} min`, {
          chatId,
          minutes,
          until: botPausedUntil,
          by: 'owner',
        });
      changed(workspaceId, chatId);
      return { botPausedUntil };
    },

    'conversation.reply': (input) => sendOwnerReply(ctx, input),
  };
}

/** Pauses the bot in the chat on these numbers; returns until when it holds (a longer pause stays). */
async function pauseChat(
  ctx: HandlerContext,
  workspaceId: WorkspaceId,
  numbers: readonly E164[],
  chatId: string,
  minutes: number,
) {
  const { app, clock } = ctx;
  const now = clock.now();
  const until = now + minutes * 60_000;
  const repo = createConversationRepository(app.store.db);
  await app.store.transaction(async (trx) => {
    for (const number of numbers) {
      await createConversationRepository(trx).pause(workspaceId, number, chatId, until, now);
    }
  });
  // pause() never shortens a longer pause already in place: report what holds now.
  let holds = until;
  for (const number of numbers) {
    holds = Math.max(holds, (await repo.get(workspaceId, number, chatId))?.botPausedUntil ?? 0);
  }
  return holds;
}

function toThread(
  m: Message,
  outbox: Map<string, { kind: OutboxKind; lastError: string | null }>,
): ThreadMessage {
  return {
    id: m.id,
    author: m.author,
    text: m.text,
    at: m.createdAt,
    status: m.status,
    kind: m.author === 'bot' ? botKind(outbox.get(m.id)?.kind) : null,
    failure: m.status === 'failed' ? failureInWords(outbox.get(m.id)?.lastError) : null,
  };
}

/** The chats, newest first (or those with a label), with names, unread counts and labels. */
async function listConversations(
  ctx: HandlerContext,
  { workspaceId, limit, labelId }: HandlerInput<'conversation.list'>,
): ReturnType<CoreHandlers['conversation.list']> {
  const { app, clock } = ctx;
  const db = app.store.db;
  await app.workspaces.get(workspaceId);
  const now = clock.now();
  const labels = createLabelRepository(db);
  if (labelId !== undefined && (await labels.get(workspaceId, labelId)) === undefined) {
    throw new SwitchboardError('NOT_FOUND', 'That label does not exist in this workspace.', { labelId });
  }
  const withLabel = labelId === undefined ? null : new Set(await labels.chatsWith(workspaceId, labelId));
  // A label filter looks further back than the list's newest chats: a labelled chat may be old.
  const recent = await createConversationRepository(db).listRecent(
    workspaceId,
    withLabel === null ? limit : 1000,
  );
  const chats = withLabel === null ? recent : recent.filter((c) => withLabel.has(c.chatId)).slice(0, limit);
  const chatIds = chats.map((chat) => chat.chatId);
  const labelsOf = await labels.ofChats(workspaceId, chatIds);
  const names = await createChatProfileRepository(db).ofChats(workspaceId, chatIds);
  const unread = await createChatReadRepository(db).unreadOf(
    workspaceId,
    chats.map((chat) => chat.chatId),
  );
  return chats.map((chat) => ({
    chatId: chat.chatId,
    businessNumber: chat.businessNumber,
    contactName: names.get(chat.chatId)?.name ?? chat.contactName,
    contactPhone: chat.contactPhone,
    lastMessage: {
      text: chat.lastText,
      at: chat.lastAt,
      author: chat.lastAuthor,
      media: chat.lastMediaKind as MediaKind | null,
      fileName: chat.lastMediaFileName,
    },
    handedOff: chat.handoffSince !== null,
    handoffReason: chat.handoffReason,
    botPausedUntil: chat.botPausedUntil !== null && chat.botPausedUntil > now ? chat.botPausedUntil : null,
    waitingSince: chat.waitingSince,
    waitingReason: chat.waitingReason,
    unread: unread.get(chat.chatId) ?? 0,
    labelIds: labelsOf.get(chat.chatId) ?? [],
  }));
}

/** A page of a chat's thread, oldest first, each message with its kind, failure and file. */
async function threadPage(
  ctx: HandlerContext,
  { workspaceId, chatId, before, limit }: HandlerInput<'conversation.thread'>,
): ReturnType<CoreHandlers['conversation.thread']> {
  const { app } = ctx;
  const db = app.store.db;
  await app.workspaces.get(workspaceId);
  const newestFirst = await createMessageRepository(db).listByChat(workspaceId, chatId, {
    ...(before !== undefined && { before }),
    limit: limit + 1,
  });
  const page = newestFirst.slice(0, limit).reverse();
  // Bot replies carry their kind; failed messages (the owner's too) why they failed.
  const outbox = await createOutboxRepository(db).describe(
    workspaceId,
    page.filter((m) => m.author !== 'contact').map((m) => m.id),
  );
  const media = await createMessageMediaRepository(db).forMessages(
    workspaceId,
    page.map((m) => m.id),
  );
  return {
    chatId,
    messages: page.map((m) => {
      const row = media.get(m.id);
      return row === undefined ? toThread(m, outbox) : { ...toThread(m, outbox), media: toThreadMedia(row) };
    }),
    nextBefore: newestFirst.length > limit ? (page[0]?.createdAt ?? null) : null,
  };
}

/** The owner's reply, sent now from a connected number; a refused one is kept as a failed outbox row. */
async function sendOwnerReply(
  ctx: HandlerContext,
  { workspaceId, chatId, text }: HandlerInput<'conversation.reply'>,
): ReturnType<CoreHandlers['conversation.reply']> {
  const { app, hub, clock } = ctx;
  const db = app.store.db;
  const workspace = await app.workspaces.get(workspaceId);
  const chatNumbers = await numbersOfChat(ctx, workspaceId, chatId);
  // The number the customer wrote to, when it is online; otherwise another of the business's numbers.
  const fromNumber = await replyNumber(ctx, workspaceId, chatNumbers);
  if (fromNumber === undefined) {
    throw new SwitchboardError('UNAVAILABLE', notConnectedMessage(chatNumbers), { chatId });
  }
  const from = fromNumber.e164;
  // On the Cloud API, Meta refuses free text 24 h after the customer last wrote: say so before sending.
  const window = await windowOf(ctx, fromNumber, chatId);
  if (!window.open) {
    throw new SwitchboardError('VALIDATION', WINDOW_CLOSED_MESSAGE, {
      chatId,
      reason: 'SERVICE_WINDOW_CLOSED',
      number: from,
      closesAt: window.closesAt,
    });
  }

  const now = clock.now();
  // One id for the message, its outbox row (made only if it fails, for Retry) and WhatsApp.
  const messageId = createOutboxId(now);
  const id = messageId;
  const messages = createPipelineMessageRepository(db);
  // Recorded first, under the id it travels with: the echo from the phone then finds it, not a copy.
  await recordOwnerSending(db, workspaceId, { id, messageId, from, chatId, text }, now);
  const log = app.logger.child({ workspaceId });
  let providerMessageId: string;
  try {
    ({ providerMessageId } = await app.connections.sendMessage(workspaceId, chatId, text, {
      messageId,
      from,
    }));
  } catch (error) {
    throw await ownerReplyFailed(ctx, { workspaceId, chatId, id, from, text }, error);
  }
  const sentAt = clock.now();
  await messages.markOutboundSent(workspaceId, id, providerMessageId, sentAt);
  log.info('message.sent', `owner reply sent to ${chatId}`, {
    chatId,
    kind: 'owner',
    providerMessageId,
    number: from,
  });
  // As when the owner answers from the phone: the bot steps back in this chat for a while.
  await createConversationRepository(db).answeredByOwner(workspaceId, chatId, sentAt);
  const minutes = workspace.settings.handoff.ownerPauseMinutes;
  if (minutes > 0) await pauseChat(ctx, workspaceId, [from], chatId, minutes);
  hub.emit('conversation.changed', { workspaceId, chatId });
  return { id, author: 'owner', text, at: now, status: 'sent', kind: null };
}

/** Records the refusal (the message failed, a failed outbox row for Retry) and returns the error to throw. */
async function ownerReplyFailed(
  ctx: HandlerContext,
  reply: { workspaceId: WorkspaceId; chatId: string; id: string; from: E164; text: string },
  error: unknown,
): Promise<SwitchboardError> {
  const { workspaceId, chatId, id, from, text } = reply;
  const failedAt = ctx.clock.now();
  await ctx.app.store.transaction(async (trx) => {
    await createMessageRepository(trx).setStatus(workspaceId, id, 'failed', failedAt);
    // Kept as a failed outbox row: the thread shows why, and Retry sends it through the outbox.
    const outbox = createOutboxRepository(trx);
    await outbox.insertMany(
      workspaceId,
      [{ id, businessNumber: from, chatId, inboundMessageId: null, kind: 'owner', text }],
      failedAt,
    );
    await outbox.markFailed(workspaceId, id, errorText(error), failedAt);
  });
  ctx.app.logger
    .child({ workspaceId })
    .warn('message.failed', `The owner's reply to ${chatId} was not sent`, { chatId, error });
  ctx.hub.emit('conversation.changed', { workspaceId, chatId });
  return new SwitchboardError(
    'UNAVAILABLE',
    `The reply was not sent: WhatsApp did not take it (${error instanceof Error ? error.message : String(error)}). Try again in a moment.`,
    { chatId },
    { cause: error },
  );
}
