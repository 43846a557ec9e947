import type { CoreHandlers } from '../../shared/contract';
import { fillTemplateValues } from '../cloud/template-parameters';
import { SwitchboardError } from '../errors';
import { createOutboxId, createTimeOrderedId } from '../pipeline/outbox-id';
import { createMessageRepository } from '../store/repositories/messages';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import { createConversationRepository } from '../store/repositories/conversations';
import type { HandlerContext } from './context';
import { numbersOfChat, replyNumber, windowOf } from './reply-number';

type CloudHandlers = Pick<
  CoreHandlers,
  | 'cloud.connect'
  | 'cloud.status'
  | 'cloud.relay'
  | 'cloud.templates'
  | 'cloud.window'
  | 'conversation.sendTemplate'
>;

/**
 * Numbers on the WhatsApp Cloud API. Inputs are checked by cloud-contract's schemas; a
 * token goes straight to the sealed store and only its last four characters come back.
 */
export function createCloudHandlers(ctx: HandlerContext): CloudHandlers {
  const { app, hub, clock } = ctx;
  const db = app.store.db;

  return {
    async 'cloud.connect'({ workspaceId, ...input }) {
      const view = await app.cloud.connect(workspaceId, input);
      hub.emit('workspace.changed', { workspaceId });
      return view;
    },

    'cloud.status': ({ workspaceId }) => app.cloud.status(workspaceId),

    async 'cloud.relay'({ workspaceId }) {
      await app.workspaces.get(workspaceId);
      return app.cloudRelay.status(workspaceId);
    },

    async 'cloud.templates'({ workspaceId, e164 }) {
      await app.workspaces.get(workspaceId);
      return app.cloud.templates(workspaceId, e164);
    },

    async 'cloud.window'({ workspaceId, chatId }) {
      await app.workspaces.get(workspaceId);
      const number = await replyNumber(ctx, workspaceId, await numbersOfChat(ctx, workspaceId, chatId));
      if (number === undefined) {
        return {
          chatId,
          businessNumber: null,
          cloud: false,
          lastInboundAt: null,
          closesAt: null,
          open: true,
        };
      }
      const window = await windowOf(ctx, number, chatId);
      return { chatId, businessNumber: number.e164, ...window };
    },

    async 'conversation.sendTemplate'({ workspaceId, chatId, name, language, parameters, header, buttons }) {
      const workspace = await app.workspaces.get(workspaceId);
      const number = await replyNumber(ctx, workspaceId, await numbersOfChat(ctx, workspaceId, chatId));
      const provider = number === undefined ? undefined : app.cloud.provider(number);
      if (number === undefined || provider === undefined) {
        throw new SwitchboardError(
          'UNAVAILABLE',
          'No number of this business on the WhatsApp Cloud API is connected right now, so the template ' +
            'was not sent. Templates go out only through an official (Cloud API) number.',
          { chatId },
        );
      }
      const template = (await app.cloud.templates(workspaceId, number.e164)).find(
        (t) => t.name === name && t.language === language,
      );
      if (template === undefined) {
        throw new SwitchboardError(
          'VALIDATION',
          `${name} (${language}) is not an approved template of ${number.e164}: pick one from the list.`,
          { name, language },
        );
      }
      if (!template.sendable) {
        throw new SwitchboardError(
          'VALIDATION',
          `${name} cannot be sent from Switchboard: ${template.unsendableReason ?? 'it needs values it cannot fill in'}. Pick another template.`,
          { name, language },
        );
      }
      // Checked and built before anything is written: a wrong value is refused in words (naming the
      // field), rather than by Meta's 132000 after the row is stored.
      const filled = fillTemplateValues(template, { parameters, header, buttons });
      const now = clock.now();
      const id = createTimeOrderedId(now);
      const messageId = createOutboxId(now);
      const text = filled.text;
      const messages = createPipelineMessageRepository(db);
      await messages.recordOutbound(
        workspaceId,
        {
          id,
          businessNumber: number.e164,
          providerMessageId: messageId,
          chatId,
          author: 'owner',
          text,
          status: 'sending',
        },
        now,
      );
      const log = app.logger.child({ workspaceId });
      let providerMessageId: string;
      try {
        ({ providerMessageId } = await provider.sendTemplate(
          chatId,
          { name, language, components: filled.components },
          { messageId },
        ));
      } catch (error) {
        await createMessageRepository(db).setStatus(workspaceId, id, 'failed', clock.now());
        log.warn('message.failed', `The template ${name} to ${chatId} was not sent`, {
          chatId,
          template: name,
          error,
        });
        hub.emit('conversation.changed', { workspaceId, chatId });
        throw new SwitchboardError(
          'UNAVAILABLE',
          `The template was not sent: ${error instanceof Error ? error.message : String(error)}`,
          { chatId },
          { cause: error },
        );
      }
      await messages.markOutboundSent(workspaceId, id, providerMessageId, clock.now());
      log.info('message.sent', `owner sent template ${name} to ${chatId}`, {
        chatId,
        kind: 'owner',
        template: name,
        providerMessageId,
        number: number.e164,
      });
      // As with a typed reply: the bot steps back in this chat for a while.
      const minutes = workspace.settings.handoff.ownerPauseMinutes;
      if (minutes > 0) {
        await createConversationRepository(db).pause(
          workspaceId,
          number.e164,
          chatId,
          now + minutes * 60_000,
          now,
        );
      }
      hub.emit('conversation.changed', { workspaceId, chatId });
      return { id, author: 'owner', text, at: now, status: 'sent', kind: null };
    },
  };
}
