import type { CoreHandlers, InboxSearchResult, Label, SearchChatHit } from '../../shared/contract';
import type { ContactCard } from '../../shared/inbox-contract';
import type { WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import { createId } from '../ids';
import { foldText } from '../../shared/fold-text';
import { snippetParts } from '../inbox/snippet';
import { createChatProfileRepository } from '../store/repositories/chat-profiles';
import { createFaqRepository } from '../store/repositories/faqs';
import { createInboxChatRepository, type ChatPerson } from '../store/repositories/inbox-chats';
import { createLabelRepository, type LabelRecord } from '../store/repositories/labels';
import { createMessageRepository } from '../store/repositories/messages';
import { createMessageSearchRepository } from '../store/repositories/message-search';
import { createOutboxRepository } from '../store/repositories/outbox';
import { createSavedReplyRepository } from '../store/repositories/saved-replies';
import type { HandlerContext } from './context';

type InboxHandlers = Pick<
  CoreHandlers,
  | 'conversation.retry'
  | 'inbox.search'
  | 'label.list'
  | 'label.create'
  | 'label.update'
  | 'label.delete'
  | 'conversation.setLabels'
  | 'reply.list'
  | 'reply.create'
  | 'reply.update'
  | 'reply.delete'
  | 'reply.quick'
  | 'contact.card'
  | 'contact.update'
>;

const MAX_SAVED_REPLIES = 500;
const MAX_LABELS = 50;
const CHAT_HITS = 20;

const toLabel = (l: LabelRecord): Label => ({ id: l.id, name: l.name, color: l.color });

/** The inbox: Retry of a failed message, search, labels, saved replies and the contact card. */
export function createInboxHandlers(ctx: HandlerContext): InboxHandlers {
  const { app, hub, clock } = ctx;
  const db = app.store.db;
  const chats = createInboxChatRepository(db);
  const labels = createLabelRepository(db);
  const profiles = createChatProfileRepository(db);
  const savedReplies = createSavedReplyRepository(db);
  const changed = (workspaceId: WorkspaceId, chatId: string) =>
    hub.emit('conversation.changed', { workspaceId, chatId });

  /** The chat must be this workspace's: another workspace's chat id reads as unknown. */
  async function requireChat(workspaceId: WorkspaceId, chatId: string): Promise<void> {
    await app.workspaces.get(workspaceId);
    if (!(await chats.exists(workspaceId, chatId))) {
      throw new SwitchboardError('NOT_FOUND', 'That chat is not in this workspace.', { chatId });
    }
  }

  async function requireLabel(workspaceId: WorkspaceId, labelId: string): Promise<LabelRecord> {
    const label = await labels.get(workspaceId, labelId);
    if (label === undefined) {
      throw new SwitchboardError(
        'NOT_FOUND',
        'That label does not exist in this workspace (it may have been deleted). Reload and pick another.',
        { labelId },
      );
    }
    return label;
  }

  async function uniqueLabelName(workspaceId: WorkspaceId, name: string, except?: string): Promise<void> {
    const same = await labels.findByName(workspaceId, name);
    if (same !== undefined && same.id !== except) {
      throw new SwitchboardError(
        'CONFLICT',
        `There is already a label called "${same.name}". Pick another name.`,
        {
          labelId: same.id,
        },
      );
    }
  }

  /** WhatsApp's name and phone per chat, with the owner's own names over them. */
  async function peopleOf(
    workspaceId: WorkspaceId,
    chatIds: readonly string[],
  ): Promise<Map<string, ChatPerson>> {
    const people = await chats.people(workspaceId, chatIds);
    for (const [chatId, profile] of await profiles.ofChats(workspaceId, chatIds)) {
      if (profile.name === null) continue;
      const person = people.get(chatId) ?? { contactId: null, name: null, phone: null };
      people.set(chatId, { ...person, name: profile.name });
    }
    return people;
  }

  async function chatHits(workspaceId: WorkspaceId, query: string): Promise<SearchChatHit[]> {
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
      for (const p of await profiles.named(workspaceId)) if (named(p.name)) found.add(p.chatId);
    }
    if (found.size === 0) return [];
    const activity = await chats.perNumber(workspaceId, [...found]);
    const latest = new Map<string, (typeof activity)[number]>();
    for (const row of activity) {
      const known = latest.get(row.chatId);
      if (known === undefined || row.lastAt > known.lastAt) latest.set(row.chatId, row);
    }
    const ordered = [...latest.values()].sort((a, b) => b.lastAt - a.lastAt).slice(0, CHAT_HITS);
    const people = await peopleOf(
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

  async function card(workspaceId: WorkspaceId, chatId: string): Promise<ContactCard> {
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
    const profile = await profiles.get(workspaceId, chatId);
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
      labelIds: (await labels.ofChats(workspaceId, [chatId])).get(chatId) ?? [],
      notes: profile?.notes ?? '',
      numbers,
    };
  }

  return {
    async 'conversation.retry'({ workspaceId, chatId, messageId }) {
      await app.workspaces.get(workspaceId);
      const message = await createMessageRepository(db).get(workspaceId, messageId);
      if (message === undefined || message.chatId !== chatId) {
        throw new SwitchboardError('NOT_FOUND', 'That message is not in this chat.', { chatId, messageId });
      }
      if (message.direction !== 'out') {
        throw new SwitchboardError('VALIDATION', "Only your and the bot's messages can be sent again.", {
          messageId,
        });
      }
      const now = clock.now();
      const queued = await app.store.transaction(async (trx) => {
        // The failed status is the gate: of two Retries, only the first moves it, so it is queued once.
        if (
          !(await createMessageRepository(trx).setStatus(workspaceId, messageId, 'queued', now, 'failed'))
        ) {
          return false;
        }
        const outbox = createOutboxRepository(trx);
        if (await outbox.requeue(workspaceId, messageId, now)) return true;
        if ((await outbox.get(workspaceId, messageId)) !== undefined) return false;
        // An owner's reply that failed before failed replies were kept in the outbox.
        await outbox.insertMany(
          workspaceId,
          [
            {
              id: message.id,
              businessNumber: message.businessNumber,
              chatId,
              inboundMessageId: null,
              kind: 'owner',
              text: message.text ?? '',
            },
          ],
          now,
        );
        return true;
      });
      if (!queued) {
        throw new SwitchboardError(
          'CONFLICT',
          'This message is already being sent again (or was sent). Wait for its tick to change.',
          { messageId },
        );
      }
      app.logger
        .child({ workspaceId })
        .info('message.retried', `The owner sent a failed message to ${chatId} again`, {
          chatId,
          outboxId: messageId,
        });
      app.pipeline.kick(workspaceId, message.businessNumber);
      changed(workspaceId, chatId);
      return { queued: true };
    },

    async 'inbox.search'({ workspaceId, query, limit }): Promise<InboxSearchResult> {
      await app.workspaces.get(workspaceId);
      const q = query.trim();
      if (q === '') return { query: q, chats: [], messages: [] };
      const hits = await createMessageSearchRepository(db).search(workspaceId, q, limit);
      const people = await peopleOf(
        workspaceId,
        hits.map((h) => h.chatId),
      );
      return {
        query: q,
        chats: await chatHits(workspaceId, q),
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
    },

    async 'label.list'({ workspaceId }) {
      await app.workspaces.get(workspaceId);
      return (await labels.list(workspaceId)).map(toLabel);
    },

    async 'label.create'({ workspaceId, name, color }) {
      await app.workspaces.get(workspaceId);
      if ((await labels.list(workspaceId)).length >= MAX_LABELS) {
        throw new SwitchboardError('VALIDATION', `A workspace can have at most ${MAX_LABELS} labels.`);
      }
      await uniqueLabelName(workspaceId, name);
      return toLabel(await labels.create(workspaceId, { id: `lbl-${createId()}`, name, color }, clock.now()));
    },

    async 'label.update'({ workspaceId, labelId, name, color }) {
      await app.workspaces.get(workspaceId);
      const label = await requireLabel(workspaceId, labelId);
      if (name !== undefined) await uniqueLabelName(workspaceId, name, labelId);
      await labels.update(
        workspaceId,
        labelId,
        { ...(name !== undefined && { name }), ...(color !== undefined && { color }) },
        clock.now(),
      );
      return toLabel({
        ...label,
        ...(name !== undefined && { name }),
        ...(color !== undefined && { color }),
      });
    },

    async 'label.delete'({ workspaceId, labelId }) {
      await app.workspaces.get(workspaceId);
      await requireLabel(workspaceId, labelId);
      await labels.delete(workspaceId, labelId);
      return null;
    },

    async 'conversation.setLabels'({ workspaceId, chatId, labelIds }) {
      await requireChat(workspaceId, chatId);
      for (const id of labelIds) await requireLabel(workspaceId, id);
      await app.store.transaction((trx) =>
        createLabelRepository(trx).setForChat(workspaceId, chatId, labelIds, clock.now()),
      );
      changed(workspaceId, chatId);
      return { labelIds: (await labels.ofChats(workspaceId, [chatId])).get(chatId) ?? [] };
    },

    async 'reply.list'({ workspaceId }) {
      await app.workspaces.get(workspaceId);
      return (await savedReplies.list(workspaceId)).map(({ id, title, text }) => ({ id, title, text }));
    },

    async 'reply.create'({ workspaceId, title, text }) {
      await app.workspaces.get(workspaceId);
      if ((await savedReplies.list(workspaceId)).length >= MAX_SAVED_REPLIES) {
        throw new SwitchboardError('VALIDATION', `You can keep at most ${MAX_SAVED_REPLIES} saved replies.`);
      }
      const saved = await savedReplies.create(workspaceId, { id: createId(), title, text }, clock.now());
      return { id: saved.id, title: saved.title, text: saved.text };
    },

    async 'reply.update'({ workspaceId, replyId, title, text }) {
      await app.workspaces.get(workspaceId);
      const saved = await savedReplies.update(
        workspaceId,
        replyId,
        { ...(title !== undefined && { title }), ...(text !== undefined && { text }) },
        clock.now(),
      );
      if (saved === undefined) {
        throw new SwitchboardError(
          'NOT_FOUND',
          'That saved reply does not exist (it may have been deleted).',
          {
            replyId,
          },
        );
      }
      return { id: saved.id, title: saved.title, text: saved.text };
    },

    async 'reply.delete'({ workspaceId, replyId }) {
      await app.workspaces.get(workspaceId);
      if (!(await savedReplies.delete(workspaceId, replyId))) {
        throw new SwitchboardError(
          'NOT_FOUND',
          'That saved reply does not exist (it may have been deleted).',
          {
            replyId,
          },
        );
      }
      return null;
    },

    async 'reply.quick'({ workspaceId }) {
      await app.workspaces.get(workspaceId);
      const faqs = await createFaqRepository(db, createId).list(workspaceId);
      return [
        ...(await savedReplies.list(workspaceId)).map((r) => ({
          source: 'saved' as const,
          id: r.id,
          title: r.title,
          text: r.text,
        })),
        ...faqs.map((f) => ({ source: 'faq' as const, id: f.id, title: f.question, text: f.answer })),
      ];
    },

    async 'contact.card'({ workspaceId, chatId }) {
      await requireChat(workspaceId, chatId);
      return card(workspaceId, chatId);
    },

    async 'contact.update'({ workspaceId, chatId, name, notes }) {
      await requireChat(workspaceId, chatId);
      await profiles.save(
        workspaceId,
        chatId,
        { ...(name !== undefined && { name }), ...(notes !== undefined && { notes }) },
        clock.now(),
      );
      changed(workspaceId, chatId);
      return card(workspaceId, chatId);
    },
  };
}
