import type { PhoneNumber } from '../../shared/dto';
import type { E164, WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import { serviceWindowAt, type ServiceWindow } from '../pipeline/service-window';
import { createServiceWindowRepository } from '../store/repositories/service-window';
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
 * online, otherwise another connected number of the business of the same kind; undefined when none is.
 * Never a number of the other kind: a chat's id is a WhatsApp JID for a number linked with a QR code
 * and a wa_id on the Cloud API, so a reply through the other kind cannot even be addressed.
 */
export async function replyNumber(
  ctx: HandlerContext,
  workspaceId: WorkspaceId,
  chatNumbers: readonly E164[],
): Promise<PhoneNumber | undefined> {
  const all = await ctx.app.workspaces.listNumbers(workspaceId);
  const live = all.filter((n) => ctx.app.connections.state(n.e164)?.status === 'connected');
  const own = live.find((n) => chatNumbers.includes(n.e164));
  if (own !== undefined) return own;
  const kinds = new Set(all.filter((n) => chatNumbers.includes(n.e164)).map((n) => n.provider));
  return live.find((n) => kinds.has(n.provider));
}

/** Why a reply cannot go out: the chat's own number is offline (and no other of its kind is online). */
export function notConnectedMessage(chatNumbers: readonly E164[]): string {
  const own = chatNumbers[0];
  return own === undefined
    ? 'No WhatsApp number of this business is connected right now, so the reply was not sent. ' +
        'Reconnect the number on the Home screen, then try again.'
    : `${own}, the number this customer wrote to, is not connected right now, so the reply was not ` +
        'sent. Reconnect it on the Home screen, then try again.';
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
