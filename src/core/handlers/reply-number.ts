import type { PhoneNumber } from '../../shared/dto';
import type { E164, WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import {
  createServiceWindowRepository,
  serviceWindowAt,
  type ServiceWindow,
} from '../pipeline/service-window';
import { createMessageRepository } from '../store/repositories/messages';
import type { HandlerContext } from './context';

/** The numbers a chat went through, newest first; NOT_FOUND for a chat with no messages. */
export async function numbersOfChat(
  ctx: HandlerContext,
  workspaceId: WorkspaceId,
  chatId: string,
): Promise<E164[]> {
  const recent = await createMessageRepository(ctx.app.store.db).listByChat(workspaceId, chatId, {
    limit: 200,
  });
  if (recent.length === 0) {
    throw new SwitchboardError('NOT_FOUND', 'That chat has no messages in this business.', { chatId });
  }
  return [...new Set(recent.map((m) => m.businessNumber))];
}

/**
 * The number an owner's message in a chat goes out from: the one the customer wrote to when it is
 * online, otherwise another connected number of the business; undefined when none is connected.
 */
export async function replyNumber(
  ctx: HandlerContext,
  workspaceId: WorkspaceId,
  chatNumbers: readonly E164[],
): Promise<PhoneNumber | undefined> {
  const live = (await ctx.app.workspaces.listNumbers(workspaceId)).filter(
    (n) => ctx.app.connections.state(n.e164)?.status === 'connected',
  );
  return live.find((n) => chatNumbers.includes(n.e164)) ?? live[0];
}

/** The 24-hour service window of `chatId` on `number`; always open for a number linked with a QR code. */
export async function windowOf(
  ctx: HandlerContext,
  number: PhoneNumber,
  chatId: string,
): Promise<ServiceWindow & { cloud: boolean }> {
  const last = await createServiceWindowRepository(ctx.app.store.db).lastInboundAt(
    number.workspaceId,
    number.e164,
    chatId,
  );
  const window = serviceWindowAt(last, ctx.clock.now());
  return number.provider === 'cloud-api'
    ? { ...window, cloud: true }
    : { ...window, open: true, cloud: false };
}
