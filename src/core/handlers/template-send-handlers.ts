import type { SentTemplateMessage } from '../../shared/cloud-contract';
import type { WorkspaceId } from '../../shared/types';
import { fillTemplateValues } from '../cloud/template-parameters';
import { SwitchboardError } from '../errors';
import { createOutboxId, createTimeOrderedId } from '../pipeline/outbox-id';
import { createMessageRepository } from '../store/repositories/messages';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import { createConversationRepository } from '../store/repositories/conversations';
import type { HandlerContext, HandlerInput } from './context';
import { recordOwnerSending } from './owner-sending';
import { numbersOfChat, replyNumber } from './reply-number';

/** The chat's Cloud API number, its provider and the named template, or a refusal in words. */
async function sendableTemplate(
  ctx: HandlerContext,
  { workspaceId, chatId, name, language }: HandlerInput<'conversation.sendTemplate'>,
) {
  const { app } = ctx;
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
  return { number, provider, template };
}

/** A failed send: the stored row turns failed, the log and the open thread hear of it, the owner gets words. */
async function templateFailed(
  ctx: HandlerContext,
  workspaceId: WorkspaceId,
  { id, chatId, name }: { id: string; chatId: string; name: string },
  error: unknown,
): Promise<never> {
  await createMessageRepository(ctx.app.store.db).setStatus(workspaceId, id, 'failed', ctx.clock.now());
  ctx.app.logger
    .child({ workspaceId })
    .warn('message.failed', `The template ${name} to ${chatId} was not sent`, {
      chatId,
      template: name,
      error,
    });
  ctx.hub.emit('conversation.changed', { workspaceId, chatId });
  throw new SwitchboardError(
    'UNAVAILABLE',
    `The template was not sent: ${error instanceof Error ? error.message : String(error)}`,
    { chatId },
    { cause: error },
  );
}

/** An approved template to a chat through its Cloud API number, stored first and marked sent or failed. */
export async function sendTemplate(
  ctx: HandlerContext,
  input: HandlerInput<'conversation.sendTemplate'>,
): Promise<SentTemplateMessage> {
  const { app, hub, clock } = ctx;
  const db = app.store.db;
  const { workspaceId, chatId, name, language, parameters, header, buttons } = input;
  const workspace = await app.workspaces.get(workspaceId);
  const { number, provider, template } = await sendableTemplate(ctx, input);
  // Checked and built before anything is written: a wrong value is refused in words (naming the
  // field), rather than by Meta's 132000 after the row is stored.
  const filled = fillTemplateValues(template, { parameters, header, buttons });
  const now = clock.now();
  const id = createTimeOrderedId(now);
  const messageId = createOutboxId(now);
  const text = filled.text;
  const messages = createPipelineMessageRepository(db);
  await recordOwnerSending(db, workspaceId, { id, messageId, from: number.e164, chatId, text }, now);
  let providerMessageId: string;
  try {
    ({ providerMessageId } = await provider.sendTemplate(
      chatId,
      { name, language, components: filled.components },
      { messageId },
    ));
  } catch (error) {
    return templateFailed(ctx, workspaceId, { id, chatId, name }, error);
  }
  await messages.markOutboundSent(workspaceId, id, providerMessageId, clock.now());
  app.logger.child({ workspaceId }).info('message.sent', `owner sent template ${name} to ${chatId}`, {
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
}
