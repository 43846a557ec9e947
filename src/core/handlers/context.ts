import type { PhoneNumber } from '../../shared/dto';
import type { WorkspaceId } from '../../shared/types';
import type { Switchboard } from '../app';
import { SwitchboardError } from '../errors';
import type { Clock } from '../ids';
import type { ConnectionEventBridge } from './connection-events';
import type { EventHub } from './event-hub';
import type { FaqService } from '../bot/faq/faq-service';

/** What every domain's handlers get: the core, the event hub and the services built around them. */
export interface HandlerContext {
  app: Switchboard;
  hub: EventHub;
  connectionEvents: ConnectionEventBridge;
  faqs: FaqService;
  clock: Clock;
}

/** A number of this workspace, or NOT_FOUND (the workspace itself is checked first). */
export async function requireNumber(
  ctx: HandlerContext,
  workspaceId: WorkspaceId,
  phoneNumberId: string,
): Promise<PhoneNumber> {
  const numbers = await ctx.app.workspaces.listNumbers(workspaceId);
  const number = numbers.find((n) => n.id === phoneNumberId);
  if (number === undefined) {
    throw new SwitchboardError('NOT_FOUND', 'That number is not linked to this workspace.', {
      phoneNumberId,
    });
  }
  return number;
}
