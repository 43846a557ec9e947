import { z } from 'zod';
import { idOf, workspaceIdInput } from './contract-ids';
import { userText } from './schemas';
import type { E164, MessageAuthor } from './types';
import { command } from './command-spec';
import type { MediaKind } from './media-contract';

/**
 * The inbox part of the contract: delivery retry, search, labels, saved quick replies and the contact
 * card. contract.ts spreads `inboxCommands` into its command map. This file must not import
 * contract.ts (an import cycle).
 */

/** A chat's newest message in the Conversations list; `media` and `fileName` let the list name a file. */
export interface LastMessage {
  text: string | null;
  at: number;
  author: MessageAuthor;
  media?: MediaKind | null;
  /** The file's name (a document's), for "Document: price-list.pdf". */
  fileName?: string | null;
}

/** Words of a search snippet: `hit` parts are what matched (shown highlighted). */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

export interface SearchChatHit {
  chatId: string;
  /** The owner's name for the customer, else WhatsApp's. */
  contactName: string | null;
  contactPhone: string | null;
  businessNumber: E164;
  /** Newest message in the chat (UTC ms). */
  lastAt: number;
}

export interface SearchMessageHit {
  messageId: string;
  chatId: string;
  businessNumber: E164;
  author: MessageAuthor;
  at: number;
  contactName: string | null;
  contactPhone: string | null;
  snippet: SnippetPart[];
}

export interface InboxSearchResult {
  query: string;
  /** Chats whose customer's name or number matches, newest first. */
  chats: SearchChatHit[];
  /** Messages whose text matches (case and accents ignored), newest first. */
  messages: SearchMessageHit[];
}

export interface Label {
  id: string;
  name: string;
  /** '#rrggbb', one of LABEL_COLORS. */
  color: string;
}

export interface SavedReply {
  id: string;
  title: string;
  text: string;
}

/** A quick reply as "/" in the reply box lists it: an FAQ answer or a saved reply. */
export interface QuickReply {
  source: 'faq' | 'saved';
  id: string;
  title: string;
  text: string;
}

/** The customer's chat with one of the shop's numbers. */
export interface ContactChatOnNumber {
  businessNumber: E164;
  firstSeenAt: number;
  lastAt: number | null;
  messageCount: number;
}

export interface ContactCard {
  chatId: string;
  /** What the app shows: the owner's name when set, else WhatsApp's. */
  name: string | null;
  /** The name the customer set on WhatsApp. */
  whatsappName: string | null;
  /** The owner chose the name. */
  nameIsOwners: boolean;
  phone: string | null;
  firstSeenAt: number | null;
  messageCount: number;
  labelIds: string[];
  notes: string;
  /** The same customer with each of the shop's numbers they wrote to, first contact first. */
  numbers: ContactChatOnNumber[];
}

/** The colours a label may have: the WhatsApp Business app's palette (the thread tints chips with them). */
export const LABEL_COLORS = [
  '#2f8fe0',
  '#e6a817',
  '#e8663d',
  '#2e9e5b',
  '#8a5cc7',
  '#d6457a',
  '#1b9aaa',
  '#6b7a8f',
] as const;
export type LabelColor = (typeof LABEL_COLORS)[number];

export const MAX_NOTES = 2000;
export const MAX_LABEL_NAME = 40;
export const MAX_SAVED_REPLY_TITLE = 60;
export const MAX_SAVED_REPLY_TEXT = 4096;

const chatRef = { workspaceId: workspaceIdInput, chatId: idOf('chatId', 200) };
const labelColor = z.enum(LABEL_COLORS, { error: 'Pick one of the label colours' });

export const inboxCommands = {
  /** A failed message is sent again: queued in the outbox once (a second Retry is refused). */
  'conversation.retry': command<{ queued: true }>()(
    z.strictObject({ ...chatRef, messageId: idOf('messageId') }),
  ),
  /** Chats by customer name or number and messages by text, in one workspace. */
  'inbox.search': command<InboxSearchResult>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      query: z
        .string({ error: 'search must be text' })
        .max(200, 'search is too long (at most 200 characters)'),
      limit: z.number().int().min(1).max(100).default(30),
    }),
  ),

  'label.list': command<Label[]>()(z.strictObject({ workspaceId: workspaceIdInput })),
  'label.create': command<Label>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      name: userText('Label name', MAX_LABEL_NAME),
      color: labelColor,
    }),
  ),
  'label.update': command<Label>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      labelId: idOf('labelId'),
      name: userText('Label name', MAX_LABEL_NAME).optional(),
      color: labelColor.optional(),
    }),
  ),
  'label.delete': command<null>()(
    z.strictObject({ workspaceId: workspaceIdInput, labelId: idOf('labelId') }),
  ),
  /** Sets a chat's labels to exactly these. */
  'conversation.setLabels': command<{ labelIds: string[] }>()(
    z.strictObject({
      ...chatRef,
      labelIds: z.array(idOf('labelId')).max(20, 'at most 20 labels on a chat'),
    }),
  ),

  'reply.list': command<SavedReply[]>()(z.strictObject({ workspaceId: workspaceIdInput })),
  'reply.create': command<SavedReply>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      title: userText('Name', MAX_SAVED_REPLY_TITLE),
      text: userText('Reply text', MAX_SAVED_REPLY_TEXT),
    }),
  ),
  'reply.update': command<SavedReply>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      replyId: idOf('replyId'),
      title: userText('Name', MAX_SAVED_REPLY_TITLE).optional(),
      text: userText('Reply text', MAX_SAVED_REPLY_TEXT).optional(),
    }),
  ),
  'reply.delete': command<null>()(
    z.strictObject({ workspaceId: workspaceIdInput, replyId: idOf('replyId') }),
  ),
  /** What "/" in the reply box offers: the enabled FAQs' answers and the saved replies. */
  'reply.quick': command<QuickReply[]>()(z.strictObject({ workspaceId: workspaceIdInput })),

  'contact.card': command<ContactCard>()(z.strictObject(chatRef)),
  /** The owner's name for the customer (null: WhatsApp's again) and private notes. */
  'contact.update': command<ContactCard>()(
    z.strictObject({
      ...chatRef,
      name: userText('Name', 100).nullable().optional(),
      notes: z
        .string({ error: 'Notes must be text' })
        .max(MAX_NOTES, `Notes are too long (at most ${MAX_NOTES} characters)`)
        .refine((s) => s.isWellFormed() && !s.includes('\u0000'), 'Notes contain broken characters')
        .optional(),
    }),
  ),
};
