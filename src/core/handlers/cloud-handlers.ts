import type { CoreHandlers } from '../../shared/contract';
import type { HandlerContext, HandlerInput } from './context';
import { numbersOfChat, replyNumber, windowOf } from './reply-number';
import { sendTemplate } from './template-send-handlers';

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
  const { app, hub } = ctx;

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

    'cloud.window': (input) => chatWindow(ctx, input),

    'conversation.sendTemplate': (input) => sendTemplate(ctx, input),
  };
}

/** The chat's 24-hour window on its reply number; a chat without a Cloud API number is always open. */
async function chatWindow(ctx: HandlerContext, { workspaceId, chatId }: HandlerInput<'cloud.window'>) {
  await ctx.app.workspaces.get(workspaceId);
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
}
