import type { ContactCard } from '../../shared/inbox-contract';
import type { WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import { createChatProfileRepository } from '../store/repositories/chat-profiles';
import { createInboxChatRepository } from '../store/repositories/inbox-chats';
import { createLabelRepository } from '../store/repositories/labels';
import type { HandlerContext, HandlerInput } from './context';

/** The chat must be this workspace's: another workspace's chat id reads as unknown. */
export async function requireChat(
  ctx: HandlerContext,
  workspaceId: WorkspaceId,
  chatId: string,
): Promise<void> {
  await ctx.app.workspaces.get(workspaceId);
  if (!(await createInboxChatRepository(ctx.app.store.db).exists(workspaceId, chatId))) {
    throw new SwitchboardError('NOT_FOUND', 'That chat is not in this workspace.', { chatId });
  }
}

async function card(ctx: HandlerContext, workspaceId: WorkspaceId, chatId: string): Promise<ContactCard> {
  const db = ctx.app.store.db;
  const chats = createInboxChatRepository(db);
  const same = await chats.sameCustomer(workspaceId, chatId);
  const perNumber = await chats.perNumber(workspaceId, same);
  const firstSeen = await chats.firstSeen(workspaceId, same);
  const byNumber = new Map<string, ContactCard['numbers'][number]>();
  for (const row of firstSeen) {
    const known = byNumber.get(row.business_number);
    byNumber.set(row.business_number, {
      businessNumber: row.business_number as ContactCard['numbers'][number]['businessNumber'],
      firstSeenAt: Math.min(row.first_seen_at, known?.firstSeenAt ?? Infinity),
      lastAt: known?.lastAt ?? null,
      messageCount: known?.messageCount ?? 0,
    });
  }
  for (const row of perNumber) {
    const known = byNumber.get(row.businessNumber);
    byNumber.set(row.businessNumber, {
      businessNumber: row.businessNumber,
      firstSeenAt: Math.min(row.firstAt, known?.firstSeenAt ?? Infinity),
      lastAt: Math.max(row.lastAt, known?.lastAt ?? 0),
      messageCount: (known?.messageCount ?? 0) + row.count,
    });
  }
  const numbers = [...byNumber.values()].sort((a, b) => a.firstSeenAt - b.firstSeenAt);
  const person = (await chats.people(workspaceId, same)).get(chatId) ?? null;
  const profile = await createChatProfileRepository(db).get(workspaceId, chatId);
  const phone =
    person?.phone ?? (/^\d{6,15}@s\.whatsapp\.net$/.test(chatId) ? `+${chatId.split('@')[0]}` : null);
  return {
    chatId,
    name: profile?.name ?? person?.name ?? null,
    whatsappName: person?.name ?? null,
    nameIsOwners: profile?.name != null,
    phone,
    firstSeenAt: numbers[0]?.firstSeenAt ?? null,
    messageCount: numbers.reduce((sum, n) => sum + n.messageCount, 0),
    labelIds: (await createLabelRepository(db).ofChats(workspaceId, [chatId])).get(chatId) ?? [],
    notes: profile?.notes ?? '',
    numbers,
  };
}

export async function contactCard(
  ctx: HandlerContext,
  { workspaceId, chatId }: HandlerInput<'contact.card'>,
) {
  await requireChat(ctx, workspaceId, chatId);
  return card(ctx, workspaceId, chatId);
}

export async function updateContact(
  ctx: HandlerContext,
  { workspaceId, chatId, name, notes }: HandlerInput<'contact.update'>,
) {
  await requireChat(ctx, workspaceId, chatId);
  await createChatProfileRepository(ctx.app.store.db).save(
    workspaceId,
    chatId,
    { ...(name !== undefined && { name }), ...(notes !== undefined && { notes }) },
    ctx.clock.now(),
  );
  ctx.hub.emit('conversation.changed', { workspaceId, chatId });
  return card(ctx, workspaceId, chatId);
}
