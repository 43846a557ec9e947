import type { LastMessage } from './inbox-contract';
import type { ThreadMedia } from './media-contract';
import type { E164, MessageAuthor, MessageStatus } from './types';

/** The Conversations list and a chat's thread. Must not import contract.ts. */

/** One chat in the Conversations list, newest activity first. */
export interface ConversationSummary {
  /** The customer's WhatsApp chat id (what the thread, release, pause and reply commands take). */
  chatId: string;
  /** The shop's number the last message went through. */
  businessNumber: E164;
  contactName: string | null;
  /** The customer's phone (E.164), null when WhatsApp hides it. */
  contactPhone: string | null;
  /** `media`: the kind of file, place or card the last message carries, so the list can name it. */
  lastMessage: LastMessage;
  /** The bot handed the chat to a person and waits for "Release to bot". */
  handedOff: boolean;
  handoffReason: string | null;
  /** The bot keeps out of this chat until then (UTC ms); null when it is not paused. */
  botPausedUntil: number | null;
  /**
   * A person owes the customer an answer since then (UTC ms): the chat is in "Needs you" until the
   * owner answers or gives it back to the bot. Null when nobody is waiting.
   */
  waitingSince: number | null;
  /** Why it waits, as decide()'s reason code ('handoff-bot', 'owner-paused', 'handoff-request', ...). */
  waitingReason: string | null;
  /** Customer messages the owner has not seen: newer than the chat was last opened or answered. */
  unread: number;
  /** The chat's labels (ids of `label.list`), in the labels' order. */
  labelIds: string[];
}

/** What the menu, the tab title and the tray count for one workspace. */
export interface ConversationCounts {
  /** Customer messages not yet seen, over every chat. */
  unread: number;
  /** Chats with at least one unread message. */
  unreadChats: number;
  /** Chats a person owes an answer (the "Needs you" list). */
  waiting: number;
  /** Since when the longest-waiting chat waits (UTC ms); null when none waits. */
  oldestWaitingSince: number | null;
}

/** What kind of bot reply a message was (null for the customer's and the owner's messages). */
export type BotReplyKind = 'faq' | 'ai' | 'greeting' | 'away' | 'handoff';

export interface ThreadMessage {
  id: string;
  author: MessageAuthor;
  text: string | null;
  at: number;
  status: MessageStatus;
  kind: BotReplyKind | null;
  /** Why a failed message was not sent, in words; null unless `status` is 'failed'. */
  failure?: string | null;
  /** A photo, voice note, document, location... with this message; absent for text. */
  media?: ThreadMedia;
}

export interface ConversationThread {
  chatId: string;
  /** Oldest first, for display. */
  messages: ThreadMessage[];
  /** Pass as `before` for older messages; null when there are none. */
  nextBefore: number | null;
}
