import type { InboxSearchResult, SearchChatHit } from '../../shared/contract';
import type { WorkspaceId } from '../../shared/types';
import { foldText } from '../../shared/fold-text';
import { snippetParts } from '../inbox/snippet';
import { createChatProfileRepository } from '../store/repositories/chat-profiles';
import { createInboxChatRepository, type ChatPerson } from '../store/repositories/inbox-chats';
import { createMessageSearchRepository } from '../store/repositories/message-search';
import type { HandlerContext, HandlerInput } from './context';

const CHAT_HITS = 20;

/** WhatsApp's name and phone per chat, with the owner's own names over them. */
async function peopleOf(
  ctx: HandlerContext,
  workspaceId: WorkspaceId,
  chatIds: readonly string[],
): Promise<Map<string, ChatPerson>> {
  const db = ctx.app.store.db;
  const people = await createInboxChatRepository(db).people(workspaceId, chatIds);
  for (const [chatId, profile] of await createChatProfileRepository(db).ofChats(workspaceId, chatIds)) {
    if (profile.name === null) continue;
    const person = people.get(chatId) ?? { contactId: null, name: null, phone: null };
    people.set(chatId, { ...person, name: profile.name });
  }
  return people;
}

/** The chats whose customer's name (WhatsApp's or the owner's) or phone matches what was typed. */
async function matchingChats(
  ctx: HandlerContext,
  workspaceId: WorkspaceId,
  query: string,
): Promise<Set<string>> {
  const db = ctx.app.store.db;
  const chats = createInboxChatRepository(db);
  const words = foldText(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const named = (name: string) => {
    const folded = foldText(name);
    return words.length > 0 && words.every((w) => folded.includes(w));
  };
  // "0809 999 9999" as typed in Nigeria: the trunk 0 is not part of the stored +234 809 ... number.
  const typed = query.replace(/\D/g, '');
  const digits = typed.replace(/^0+/, '');
  const byNumber = digits.length >= 3 && typed.length >= query.replace(/[\s+().-]/g, '').length;
  const found = new Set<string>();
  if (byNumber) for (const id of await chats.chatsWithDigits(workspaceId, digits)) found.add(id);
  const contactIds: string[] = [];
  for (const c of await chats.contacts(workspaceId)) {
    const nameHit = !byNumber && c.name !== null && named(c.name);
    const phoneHit = byNumber && (c.phone_e164 ?? '').replace(/\D/g, '').includes(digits);
    if (nameHit || phoneHit) contactIds.push(c.id);
  }
  for (const id of await chats.chatsOfContacts(workspaceId, contactIds)) found.add(id);
  if (!byNumber) {
    for (const p of await createChatProfileRepository(db).named(workspaceId)) {
      if (named(p.name)) found.add(p.chatId);
    }
  }
  return found;
}

async function chatHits(
  ctx: HandlerContext,
  workspaceId: WorkspaceId,
  query: string,
): Promise<SearchChatHit[]> {
  const found = await matchingChats(ctx, workspaceId, query);
  if (found.size === 0) return [];
  const activity = await createInboxChatRepository(ctx.app.store.db).perNumber(workspaceId, [...found]);
  const latest = new Map<string, (typeof activity)[number]>();
  for (const row of activity) {
    const known = latest.get(row.chatId);
    if (known === undefined || row.lastAt > known.lastAt) latest.set(row.chatId, row);
  }
  const ordered = [...latest.values()].sort((a, b) => b.lastAt - a.lastAt).slice(0, CHAT_HITS);
  const people = await peopleOf(
    ctx,
    workspaceId,
    ordered.map((r) => r.chatId),
  );
  return ordered.map((r) => ({
    chatId: r.chatId,
    contactName: people.get(r.chatId)?.name ?? null,
    contactPhone: people.get(r.chatId)?.phone ?? null,
    businessNumber: r.businessNumber,
    lastAt: r.lastAt,
  }));
}

/** Inbox search: the matching chats by name or number, then the messages whose text matches. */
export async function searchInbox(
  ctx: HandlerContext,
  { workspaceId, query, limit }: HandlerInput<'inbox.search'>,
): Promise<InboxSearchResult> {
  await ctx.app.workspaces.get(workspaceId);
  const q = query.trim();
  if (q === '') return { query: q, chats: [], messages: [] };
  const hits = await createMessageSearchRepository(ctx.app.store.db).search(workspaceId, q, limit);
  const people = await peopleOf(
    ctx,
    workspaceId,
    hits.map((h) => h.chatId),
  );
  return {
    query: q,
    chats: await chatHits(ctx, workspaceId, q),
    messages: hits.map((h) => ({
      messageId: h.id,
      chatId: h.chatId,
      businessNumber: h.businessNumber,
      author: h.author,
      at: h.at,
      contactName: people.get(h.chatId)?.name ?? null,
      contactPhone: people.get(h.chatId)?.phone ?? null,
      snippet: snippetParts(h.snippet),
    })),
  };
}
