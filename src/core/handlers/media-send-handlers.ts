import type { CoreHandlers } from '../../shared/contract';
import type { UploadedFile } from '../../shared/media-send-contract';
import type { E164, WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import { createOutboxId } from '../pipeline/outbox-id';
import { WINDOW_CLOSED_MESSAGE } from '../pipeline/service-window';
import { recordStoredFile } from '../media/stored-file';
import { createConversationRepository } from '../store/repositories/conversations';
import { createOutboxRepository } from '../store/repositories/outbox';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import type { HandlerContext } from './context';
import { createFaqAttachmentHandlers } from './faq-attachment-handlers';
import { numbersOfChat, replyNumber, windowOf } from './reply-number';

type MediaSendHandlers = Pick<
  CoreHandlers,
  | 'media.uploadStart'
  | 'media.uploadChunk'
  | 'media.uploadFinish'
  | 'media.uploadCancel'
  | 'conversation.sendMedia'
  | 'faq.attachment'
  | 'faq.attach'
  | 'faq.detach'
>;

/**
 * The owner's files: the chunked upload into the media store, the send through the outbox, and an
 * FAQ's attachment (faq-attachment-handlers.ts).
 */
export function createMediaSendHandlers(ctx: HandlerContext): MediaSendHandlers {
  const { app, hub, clock } = ctx;
  const uploads = app.media.uploads;

  /** The number a file to this chat goes out from: a connected one, else the chat's own (it waits). */
  async function fromNumber(workspaceId: WorkspaceId, chatId: string) {
    const chatNumbers = await numbersOfChat(ctx, workspaceId, chatId);
    const live = await replyNumber(ctx, workspaceId, chatNumbers);
    if (live !== undefined) return live;
    const own = (await app.workspaces.listNumbers(workspaceId)).find((n) => n.e164 === chatNumbers[0]);
    if (own === undefined) {
      throw new SwitchboardError(
        'NOT_FOUND',
        'The number this customer wrote to is no longer in this workspace, so nothing can be sent from it.',
        { chatId },
      );
    }
    return own;
  }

  return {
    ...createFaqAttachmentHandlers(ctx),

    async 'media.uploadStart'({ workspaceId, fileName, mime, size }) {
      await app.workspaces.get(workspaceId);
      return uploads.start(workspaceId, { fileName, mime, size });
    },

    async 'media.uploadChunk'({ workspaceId, uploadId, offset, data }) {
      return { received: await uploads.append(workspaceId, uploadId, offset, data) };
    },

    async 'media.uploadFinish'({ workspaceId, uploadId, sha256 }) {
      return uploads.finish(workspaceId, uploadId, sha256);
    },

    async 'media.uploadCancel'({ workspaceId, uploadId }) {
      return { cancelled: await uploads.cancel(workspaceId, uploadId) };
    },

    async 'conversation.sendMedia'({ workspaceId, chatId, uploadId, caption }) {
      const workspace = await app.workspaces.get(workspaceId);
      const from = await fromNumber(workspaceId, chatId);
      // On the Cloud API, Meta refuses anything but a template 24 h after the customer last wrote.
      const window = await windowOf(ctx, from, chatId);
      if (!window.open) {
        throw new SwitchboardError('VALIDATION', WINDOW_CLOSED_MESSAGE, {
          chatId,
          reason: 'SERVICE_WINDOW_CLOSED',
          number: from.e164,
          closesAt: window.closesAt,
        });
      }
      const text = caption.trim();
      const file = uploads.take(workspaceId, uploadId);
      if (text !== '' && (file.kind === 'voice' || file.kind === 'audio')) {
        uploads.giveBack(workspaceId, file);
        throw new SwitchboardError(
          'VALIDATION',
          'WhatsApp shows no caption under a voice note or audio. Send the file alone, and the words as their own message.',
          { reason: 'CAPTION_ON_AUDIO' },
        );
      }
      // One id for the message, its outbox row and WhatsApp, as for every reply.
      const now = clock.now();
      const id = createOutboxId(now);
      const pauseMinutes = workspace.settings.handoff.ownerPauseMinutes;
      try {
        await queueOwnerFile(
          ctx,
          { workspaceId, chatId, number: from.e164, text, file, id, now },
          pauseMinutes,
        );
      } catch (error) {
        uploads.giveBack(workspaceId, file);
        throw error;
      }
      app.logger.child({ workspaceId }).info('media.queued', `The owner sent a ${file.kind} to ${chatId}`, {
        chatId,
        outboxId: id,
        kind: file.kind,
        bytes: file.size,
        number: from.e164,
      });
      app.pipeline.kick(workspaceId, from.e164);
      hub.emit('conversation.changed', { workspaceId, chatId });
      return { messageId: id, queued: true };
    },
  };
}

/**
 * The owner's file as a message of the thread (stored already), an outbox row to send it, and the
 * bot stepping back in the chat, as when the owner answers from the phone: all or nothing.
 */
async function queueOwnerFile(
  ctx: HandlerContext,
  send: {
    workspaceId: WorkspaceId;
    chatId: string;
    number: E164;
    text: string;
    file: UploadedFile;
    id: string;
    now: number;
  },
  pauseMinutes: number,
): Promise<void> {
  const { workspaceId, chatId, number, text, file, id, now } = send;
  const { kind, mime, size, sha256, fileName } = file;
  const caption = text === '' ? null : text;
  await ctx.app.store.transaction(async (trx) => {
    await createPipelineMessageRepository(trx).recordOutbound(
      workspaceId,
      {
        id,
        businessNumber: number,
        providerMessageId: id,
        chatId,
        author: 'owner',
        text: caption,
        status: 'queued',
      },
      now,
    );
    await recordStoredFile(trx, workspaceId, id, { kind, mime, size, sha256, fileName, caption }, now);
    await createOutboxRepository(trx).insertMany(
      workspaceId,
      [
        {
          id,
          businessNumber: number,
          chatId,
          inboundMessageId: null,
          kind: 'owner',
          text: text === '' ? fileName : text,
          media: { kind, sha256, mime, fileName, caption },
        },
      ],
      now,
    );
    // As when the owner answers from the phone: the bot steps back in this chat for a while.
    const conversations = createConversationRepository(trx);
    await conversations.answeredByOwner(workspaceId, chatId, now);
    const minutes = pauseMinutes;
    if (minutes > 0) await conversations.pause(workspaceId, number, chatId, now + minutes * 60_000, now);
  });
}
