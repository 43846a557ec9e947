import type { CoreHandlers } from '../../shared/contract';
import type { HandlerContext } from './context';

type SyncHandlers = Pick<CoreHandlers, 'sync.status' | 'sync.enroll' | 'sync.leave' | 'sync.update'>;

/**
 * Central sync. The inputs are checked by the contract's schemas (an http(s) address, a code
 * of letters, digits and dashes); the service's errors say what to do next ("ask your administrator for
 * a new code"). `sync.changed` is forwarded by the runtime from the service, for every change, whoever
 * made it.
 */
export function createSyncHandlers(ctx: HandlerContext): SyncHandlers {
  const { sync } = ctx.app;
  return {
    'sync.status': ({ workspaceId }) => sync.status(workspaceId),
    'sync.enroll': ({ workspaceId, serverUrl, code, allowInsecure }) =>
      sync.enroll(workspaceId, serverUrl, code, { allowInsecure: allowInsecure === true }),
    'sync.leave': ({ workspaceId }) => sync.leave(workspaceId),
    'sync.update': ({ workspaceId, shareMessageText }) =>
      sync.setShareMessageText(workspaceId, shareMessageText),
  };
}
