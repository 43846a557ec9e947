import type { CoreHandlers } from '../../shared/contract';
import type { HandlerContext } from './context';

type AiHandlers = Pick<
  CoreHandlers,
  'ai.status' | 'ai.saveProvider' | 'ai.removeProvider' | 'ai.update' | 'ai.test'
>;

/**
 * The AI side of the bot. Inputs are checked by ai-contract's schemas; keys go straight to
 * the sealed key store and only their last four characters come back. A change reaches the pipeline at
 * once through `workspace.changed` (the runtime invalidates the pipeline's cache on it).
 */
export function createAiHandlers(ctx: HandlerContext): AiHandlers {
  const { ai } = ctx.app;
  const changed = ({ workspaceId }: { workspaceId: Parameters<typeof ai.status>[0] }) =>
    ctx.hub.emit('workspace.changed', { workspaceId });
  return {
    'ai.status': ({ workspaceId }) => ai.status(workspaceId),
    async 'ai.saveProvider'({ workspaceId, provider, apiKey }) {
      const status = await ai.saveProvider(workspaceId, provider, apiKey);
      changed({ workspaceId });
      return status;
    },
    async 'ai.removeProvider'({ workspaceId, providerId }) {
      const status = await ai.removeProvider(workspaceId, providerId);
      changed({ workspaceId });
      return status;
    },
    async 'ai.update'({ workspaceId, ...patch }) {
      const status = await ai.update(workspaceId, patch);
      changed({ workspaceId });
      return status;
    },
    'ai.test': ({ workspaceId, providerId }) => ai.test(workspaceId, providerId),
  };
}
