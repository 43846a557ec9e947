import type { CoreHandlers } from '../../shared/contract';
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

/** What the contract's command `K` takes, as its handler receives it. */
export type HandlerInput<K extends keyof CoreHandlers> = Parameters<CoreHandlers[K]>[0];

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

/** A handler written as `(ctx, input)`; `never` admits every input type. */
type ContextHandler = (ctx: HandlerContext, input: never) => unknown;
type Bound<T extends Record<string, ContextHandler>> = {
  [K in keyof T]: (input: Parameters<T[K]>[1]) => ReturnType<T[K]>;
};

/** Handlers written as `(ctx, input)`, each given `ctx`: the contract's `(input)` shape. */
export function withContext<T extends Record<string, ContextHandler>>(
  ctx: HandlerContext,
  handlers: T,
): Bound<T> {
  const bound = Object.entries(handlers).map(([name, handle]) => [
    name,
    (input: never) => handle(ctx, input),
  ]);
  return Object.fromEntries(bound) as Bound<T>;
}
