import { z } from 'zod';
import {
  type CommandName,
  type CoreCommandName,
  type EventName,
  type ShellCommandName,
} from './contract-names';
import type { Faq, PhoneNumber, Workspace } from './dto';
import type { Result } from './errors';
import type { LogPerson } from './log-sentence';
import { addPhoneNumberInput, createWorkspaceInput, updateWorkspaceInput, userText } from './schemas';
import { businessHoursPatch, pacingPatch, timeZoneInput } from './settings-patch';
import { syncCommands, type SyncEvents } from './sync-contract';
import { aiCommands, type AiEvents } from './ai-contract';
import { cloudCommands, type CloudEvents, type DemoCloudNumber } from './cloud-contract';
import { inboxCommands, type LastMessage } from './inbox-contract';
import { learnCommands } from './learn-contract';
import { mediaCommands, mediaSettingsPatch, type ThreadMedia } from './media-contract';
import { backupCommands, type BackupEvents } from './backup-contract';
import { mediaSendCommands, type FaqListItem } from './media-send-contract';
import {
  LOG_LEVELS,
  type E164,
  type LogLevel,
  type MessageAuthor,
  type MessageStatus,
  type NumberStatus,
  type WorkspaceId,
} from './types';
import { command, noInput, type CommandSpec } from './command-spec';

/**
 * The one contract between the UI and the core. `commands` maps each command's name to the zod schema
 * of its input and (as a type only) its output; `Events` maps each event to its payload. The core's
 * handler object, the Electron IPC binding, the headless host's HTTP + WebSocket binding and the
 * renderer's client are all derived from these two with mapped types, so a command added here without
 * a handler, or renamed in one place only, fails to compile.
 */

export * from './contract-names';
export * from './sync-contract';
export * from './ai-contract';
export * from './cloud-contract';
export * from './inbox-contract';
export * from './learn-contract';
export * from './backup-contract';
export * from './media-send-contract';

// --- shapes that only the contract uses -------------------------------------------------------------

/** A number as the home screen shows it: the stored row merged with its live connection state. */
export interface NumberState {
  phoneNumberId: string;
  workspaceId: WorkspaceId;
  e164: E164;
  label: string | null;
  status: NumberStatus;
  /** Failed attempts in a row (reconnecting). */
  attempt: number;
  /** When the next reconnect attempt starts (UTC ms), while reconnecting. */
  nextAttemptAt: number | null;
  /** What the owner should know or do, in words. */
  message: string | null;
  lastCloseCode: number | null;
  /** The QR on screen while pairing, until it expires. */
  qr: { qr: string; expiresAt: number } | null;
  /** The pairing code the owner types on the phone, once asked for. */
  pairingCode: string | null;
}

export interface CreatedWorkspace {
  workspace: Workspace;
  /** The number given at creation, added and ready to pair; null when none was given. */
  number: PhoneNumber | null;
}

export interface AppInfo {
  /** 'desktop' is the Electron app; 'browser' the headless host's UI. */
  shell: 'desktop' | 'browser';
  version: string;
  /** Demo mode: a local WhatsApp server with simulated customers, no phone needed. */
  demo: boolean;
  /** Demo mode's simulated official number, for "Use the demo number" in "Connect an official number". */
  demoCloudNumber?: DemoCloudNumber;
  /** Whether the app starts when the user logs in; null where the shell cannot do that. */
  startAtLogin: boolean | null;
}

export interface LogEvent {
  seq: number;
  ts: number;
  level: LogLevel;
  type: string;
  workspaceId: string | null;
  contactId: string | null;
  message: string;
  meta: Record<string, unknown> | null;
  /** The customer of the chat the event names (meta.chatId), when known: the log names them. */
  person?: LogPerson;
  /** The question of the FAQ the event names (meta.faqId), when it still exists. */
  faq?: string;
}

export interface LogPage {
  /** Newest first. */
  events: LogEvent[];
  /** Pass as `beforeSeq` for the next (older) page; null when there is none. */
  nextBeforeSeq: number | null;
}

/** One page of a log export: `log.export` is called again with `cursor` until it comes back null. */
export interface LogExportPage {
  /** The page as CSV (the header row on the first page only) or JSON lines, ready to append. */
  text: string;
  /** Events in this page. */
  count: number;
  /** Events the whole export holds (counted on the first page, when no cursor was given); else null. */
  total: number | null;
  /** Pass back as `cursor` for the next page; null when this was the last. Opaque. */
  cursor: string | null;
  /** A file name for the whole export, e.g. switchboard-log-2026-05-20.csv. */
  filename: string;
}

/** One day on the home screen, in the workspace's time zone (see `HomeStats.timeZone`). */
export interface DayActivity {
  /** The local date, 'YYYY-MM-DD'. */
  date: string;
  /** When the local day starts (UTC ms); it ends where the next one starts. */
  start: number;
  /** Customer messages received (ignored chats such as groups and status updates left out). */
  messagesIn: number;
  /** Replies the bot sent (failed sends left out). */
  botMessagesOut: number;
  /** Messages the owner sent, from the app or the phone. */
  ownerMessagesOut: number;
  /** Customer messages the bot answered from an FAQ (or the AI). */
  botAnswered: number;
  /** Customer messages handed to a person: a hand-off word, a photo, or a question the bot could not answer. */
  handoffs: number;
  /** Questions the bot could not answer while hand-offs were switched off: nobody was told. */
  unanswered: number;
  /** Customer messages that needed an answer: botAnswered + handoffs + unanswered. */
  needingAnswer: number;
  /** botAnswered / needingAnswer (0-1); null when no message needed an answer. */
  answerRate: number | null;
}

export interface HomeStats {
  /** The IANA zone the days are counted in (the workspace's; UTC when that one is unknown). */
  timeZone: string;
  /** Oldest first; the last one is today so far. */
  days: DayActivity[];
  /** The same object as the last day. */
  today: DayActivity;
  /** Chats handed to a person that the owner has neither answered nor released since. */
  handoffsWaiting: { chats: number; oldestSince: number | null };
  generatedAt: number;
}

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

/** One FAQ as "try a message" shows it. */
export interface FaqTryMatch {
  faqId: string;
  question: string;
  /** Calibrated, 0-1. */
  confidence: number;
  /** The FAQ's phrasing (or question) closest to the message. */
  matchedPhrasing: string;
  /** The message's words that carried the match, strongest first. */
  words: string[];
  /** How the message was read (Pidgin, chat spellings, typos). */
  notes: string[];
  /** Whether the bot would send this answer at the workspace's threshold. */
  wouldAnswer: boolean;
}

export interface FaqTryResult {
  threshold: number;
  /** Best first, at most three, whatever their confidence. */
  matches: FaqTryMatch[];
}

export interface FaqImportResult {
  created: number;
  updated: number;
  /** Rows left out, with the line they start on. */
  errors: { line: number; message: string }[];
}

/** Similar questions the bot could not answer, as the Unanswered screen shows them. */
export interface UnansweredGroupView {
  key: string;
  /** The most asked wording. */
  representative: string;
  /** Times any question of the group was asked. */
  count: number;
  lastSeenAt: number;
  /** The group's wordings, most asked first. */
  samples: { id: string; text: string; count: number }[];
  /** Every question id of the group (what `unanswered.resolve` takes). */
  ids: string[];
}

// --- input schemas ------------------------------------------------------------------------------------

const idOf = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(100, `${label} is too long`);
const workspaceIdInput = idOf('workspaceId').transform((id) => id as WorkspaceId);
const numberRef = z.strictObject({ workspaceId: workspaceIdInput, phoneNumberId: idOf('phoneNumberId') });
const chatRef = { workspaceId: workspaceIdInput, chatId: idOf('chatId').max(200, 'chatId is too long') };

/** The settings the UI edits today; more groups join as their screens arrive. */
export const settingsPatchInput = z.strictObject({
  faq: z
    .strictObject({
      threshold: z
        .number({ error: 'FAQ threshold must be a number' })
        .min(0, 'FAQ threshold must be between 0 and 1')
        .max(1, 'FAQ threshold must be between 0 and 1'),
      synonyms: z
        .array(
          z
            .array(userText('A word that means the same', 50))
            .min(2, 'a group of words that mean the same needs at least two words')
            .max(20, 'at most 20 words in one group'),
        )
        .max(100, 'at most 100 groups of words that mean the same'),
      clarify: z.boolean(),
      clarifyWaitMinutes: z
        .number({ error: 'The wait for a pick must be a number of minutes' })
        .int('The wait for a pick must be whole minutes')
        .min(1, 'The wait for a pick must be at least 1 minute')
        .max(24 * 60, 'The wait for a pick can be at most 1440 minutes (one day)'),
    })
    .partial()
    .optional(),
  handoff: z
    .strictObject({
      keywords: z.array(userText('Hand-off keyword', 50)).max(50, 'at most 50 hand-off keywords'),
      ownerPauseMinutes: z
        .number({ error: 'Pause minutes must be a number' })
        .int('Pause minutes must be a whole number')
        .min(0, 'Pause minutes cannot be negative')
        .max(24 * 60, 'Pause minutes can be at most 1440 (one day)'),
      onBotAbstain: z.boolean(),
      messageEnabled: z.boolean(),
      message: z.string().max(1000, 'Hand-off message is too long (at most 1000 characters)'),
      longMessageChars: z
        .number({ error: 'Long message length must be a number' })
        .int('Long message length must be a whole number')
        .min(0, 'Long message length cannot be negative')
        .max(10_000, 'Long message length can be at most 10,000 characters'),
    })
    .partial()
    .optional(),
  greeting: z
    .strictObject({
      enabled: z.boolean(),
      text: userText('Greeting', 1000),
    })
    .partial()
    .optional(),
  /** Typing-time pacing of replies and the per-number rate limit; off sends at once. */
  pacing: pacingPatch.optional(),
  /** The zone business hours and the home screen's days are counted in. */
  timezone: timeZoneInput.optional(),
  businessHours: businessHoursPatch.optional(),
  /** Reminders about chats still waiting for a person. */
  notifications: z
    .strictObject({
      remindAfterMinutes: z
        .number({ error: 'Reminder minutes must be a number' })
        .int('Reminder minutes must be a whole number')
        .min(0, 'Reminder minutes cannot be negative')
        .max(24 * 60, 'Reminder minutes can be at most 1440 (one day)'),
    })
    .partial()
    .optional(),
  /** One bot answer per window to a customer who writes many messages quickly. */
  floodGuard: z
    .strictObject({
      enabled: z.boolean(),
      windowSeconds: z
        .number({ error: 'Flood window must be a number' })
        .int('Flood window must be whole seconds')
        .min(1, 'Flood window must be at least 1 second')
        .max(3600, 'Flood window can be at most 3600 seconds'),
    })
    .partial()
    .optional(),
  /** Size caps and retention of customers' files. */
  media: mediaSettingsPatch.optional(),
});
export type SettingsPatchInput = z.input<typeof settingsPatchInput>;

const faqFields = {
  question: userText('Question', 300),
  answer: userText('Answer', 4000),
  /** Other ways customers ask the same question. */
  phrasings: z.array(userText('Phrasing', 300)).max(100, 'at most 100 phrasings per FAQ'),
  enabled: z.boolean(),
};

export const logQueryInput = z.strictObject({
  /** null: the machine's own events (start-up, database), not a workspace's. */
  workspaceId: idOf('workspaceId').nullable(),
  levels: z.array(z.enum(LOG_LEVELS)).max(LOG_LEVELS.length).optional(),
  minLevel: z.enum(LOG_LEVELS).optional(),
  types: z.array(z.string().max(100)).max(50).optional(),
  typePrefix: z.string().max(100).optional(),
  since: z.number().int().nonnegative().optional(),
  until: z.number().int().nonnegative().optional(),
  search: z.string().max(200, 'search is too long').optional(),
  beforeSeq: z.number().int().positive().optional(),
  afterSeq: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(500).default(50),
});

/** The Logs screen's filters (no paging) for an export, read a page at a time. */
export const logExportInput = logQueryInput.omit({ beforeSeq: true, afterSeq: true, limit: true }).extend({
  format: z.enum(['csv', 'jsonl']).default('csv'),
  /** The previous page's `cursor`; absent for the first page. */
  cursor: z
    .string()
    .regex(/^\d{1,15}-\d{1,15}$/, 'cursor must be the one the previous page returned')
    .optional(),
  pageSize: z.number().int().min(1).max(1000).default(1000),
});

// --- the command map --------------------------------------------------------------------------------

export const commands = {
  'app.info': command<AppInfo>()(noInput),
  'app.setStartAtLogin': command<AppInfo>()(z.strictObject({ enabled: z.boolean() })),
  'demo.scanQr': command<null>()(numberRef),
  'demo.enterPairingCode': command<null>()(numberRef),

  'workspace.list': command<Workspace[]>()(noInput),
  'workspace.create': command<CreatedWorkspace>()(
    z.strictObject({
      ...createWorkspaceInput.shape,
      /** The shop's WhatsApp number, added with the workspace (optional: it can be added later). */
      number: z
        .string({ error: 'phone number must be text' })
        .trim()
        .max(64, 'phone number is too long')
        .optional()
        .transform((value) => (value === '' ? undefined : value)),
    }),
  ),
  'workspace.update': command<Workspace>()(
    z.strictObject({ workspaceId: workspaceIdInput, patch: updateWorkspaceInput }),
  ),
  'workspace.updateSettings': command<Workspace>()(
    z.strictObject({ workspaceId: workspaceIdInput, settings: settingsPatchInput }),
  ),

  'number.add': command<PhoneNumber>()(
    z.strictObject({ workspaceId: workspaceIdInput, ...addPhoneNumberInput.shape }),
  ),
  'number.remove': command<null>()(numberRef),

  'connection.list': command<NumberState[]>()(z.strictObject({ workspaceId: workspaceIdInput })),
  /** Starts linking a number: a QR arrives as `connection.qrReceived`. Again for a fresh QR. */
  'connection.pair': command<NumberState>()(numberRef),
  /** The alternative to the QR: a code the owner types on the phone. */
  'connection.requestPairingCode': command<{ code: string }>()(numberRef),
  'connection.reconnect': command<NumberState>()(numberRef),

  'faq.list': command<FaqListItem[]>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      search: z.string().max(200, 'search is too long').optional(),
      includeDisabled: z.boolean().default(true),
    }),
  ),
  'faq.create': command<Faq>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      ...faqFields,
      phrasings: faqFields.phrasings.default([]),
      enabled: faqFields.enabled.default(true),
    }),
  ),
  'faq.update': command<Faq>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      faqId: idOf('faqId'),
      patch: z.strictObject(faqFields).partial(),
    }),
  ),
  'faq.delete': command<null>()(z.strictObject({ workspaceId: workspaceIdInput, faqId: idOf('faqId') })),

  /** The FAQ editor's "try a message": the matcher's top three for a text, with reasons. */
  'faq.try': command<FaqTryResult>()(
    z.strictObject({ workspaceId: workspaceIdInput, text: userText('Message', 1000) }),
  ),
  'faq.exportCsv': command<{ csv: string; filename: string }>()(
    z.strictObject({ workspaceId: workspaceIdInput }),
  ),
  /** Imports FAQs from CSV: broken rows are reported and skipped, the good ones stored together. */
  'faq.importCsv': command<FaqImportResult>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      csv: z.string({ error: 'csv must be text' }).max(1_000_000, 'The CSV file is too big (at most 1 MB)'),
    }),
  ),

  'unanswered.list': command<UnansweredGroupView[]>()(z.strictObject({ workspaceId: workspaceIdInput })),
  /** Turns a group of unanswered questions into phrasings of an FAQ, a new FAQ, or dismisses it. */
  'unanswered.resolve': command<{ resolved: number; faqId: string | null }>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      ids: z.array(idOf('id')).min(1, 'pick at least one question').max(500, 'at most 500 questions'),
      action: z.discriminatedUnion('type', [
        z.strictObject({ type: z.literal('add-phrasing'), faqId: idOf('faqId') }),
        z.strictObject({
          type: z.literal('new-faq'),
          question: faqFields.question,
          answer: faqFields.answer,
        }),
        z.strictObject({ type: z.literal('dismiss') }),
      ]),
    }),
  ),

  'log.query': command<LogPage>()(logQueryInput),
  /** The filtered log as CSV or JSON lines, newest first, a page per call (the screen shows progress). */
  'log.export': command<LogExportPage>()(logExportInput),
  /** The home screen's figures: today, the last days (default 14) and the hand-offs waiting. */
  'stats.home': command<HomeStats>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      days: z.number().int().min(1, 'at least 1 day').max(60, 'at most 60 days').default(14),
    }),
  ),

  'conversation.list': command<ConversationSummary[]>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      limit: z.number().int().min(1).max(200).default(50),
      /** Only chats with this label (of this workspace). */
      labelId: idOf('labelId').optional(),
    }),
  ),
  'conversation.thread': command<ConversationThread>()(
    z.strictObject({
      ...chatRef,
      before: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(200).default(100),
    }),
  ),
  /**
   * "Give back to the bot": ends the hand-off, the owner's pause and the wait, so the bot answers the
   * customer's next question; returns how many conversations were with a person.
   */
  'conversation.release': command<{ released: number }>()(z.strictObject(chatRef)),
  /** "Take over": the owner answers this chat; the bot keeps out until it is given back. */
  'conversation.takeOver': command<{ ok: true }>()(z.strictObject(chatRef)),
  'conversation.pause': command<{ botPausedUntil: number }>()(
    z.strictObject({
      ...chatRef,
      minutes: z
        .number({ error: 'minutes must be a number' })
        .int('minutes must be a whole number')
        .min(1, 'pause for at least 1 minute')
        .max(7 * 24 * 60, 'pause for at most a week'),
    }),
  ),
  /**
   * The owner saw the chat (opened it, or it was open when messages arrived): customer messages up to
   * `upTo` (the newest shown; default now) are read. The marker never goes back.
   */
  'conversation.markRead': command<{ unread: number }>()(
    z.strictObject({ ...chatRef, upTo: z.number().int().nonnegative().optional() }),
  ),
  /** Unread messages and chats waiting for a person, for the menu, the tab title and the tray. */
  'conversation.counts': command<ConversationCounts>()(z.strictObject({ workspaceId: workspaceIdInput })),
  /** The owner answers from the app: sent at once, and the bot keeps out of the chat for a while. */
  'conversation.reply': command<ThreadMessage>()(
    z.strictObject({ ...chatRef, text: userText('Reply', 4096) }),
  ),
  // Central sync (issue #7): its commands, status and event are declared in sync-contract.ts.
  ...syncCommands,
  // The AI side of the bot (issue #5): providers, keys, budgets; declared in ai-contract.ts.
  ...aiCommands,
  // WhatsApp Cloud API numbers (issue #9): connect, templates, service windows; in cloud-contract.ts.
  ...cloudCommands,
  // The inbox (issue #15): retry, search, labels, saved replies, the contact card; in inbox-contract.ts.
  ...inboxCommands,
  // Learning from the owner (issue 16): save a chat's question, send a new FAQ, what was learned.
  ...learnCommands,
  // Photos, voice notes and documents (issue #15); declared in media-contract.ts.
  ...mediaCommands,
  // Backups, restore, moving to another computer; declared in backup-contract.ts.
  ...backupCommands,
  // Files the owner sends: the chunked upload and the send; declared in media-send-contract.ts.
  ...mediaSendCommands,
} satisfies { [K in CommandName]: CommandSpec<z.ZodType, unknown> };
/** Merged into `Events` below (declaration merging): the sync and cloud events live beside their commands. */
export interface Events extends SyncEvents, CloudEvents, AiEvents, BackupEvents {}

export type Commands = typeof commands;
/** What a caller sends (defaults may be left out). */
export type CommandInput<K extends CommandName> = z.input<Commands[K]['input']>;
/** What a handler receives: the input after the schema parsed it (trimmed, defaults filled in). */
export type CommandArgs<K extends CommandName> = z.output<Commands[K]['input']>;
export type CommandOutput<K extends CommandName> = Commands[K]['output'];
export type CommandResult<K extends CommandName> = Result<CommandOutput<K>>;

/** Input as call arguments: optional when the command needs none. */
export type InputArgs<K extends CommandName> =
  undefined extends CommandInput<K> ? [input?: CommandInput<K>] : [input: CommandInput<K>];

export type Handler<K extends CommandName> = (input: CommandArgs<K>) => Promise<CommandOutput<K>>;
/** One handler per command: leaving one out fails to compile wherever a `Handlers` is built. */
export type Handlers = { [K in CommandName]: Handler<K> };
export type CoreHandlers = { [K in CoreCommandName]: Handler<K> };
export type ShellHandlers = { [K in ShellCommandName]: Handler<K> };

// --- events ---------------------------------------------------------------------------------------------

export interface ConnectionChanged {
  workspaceId: WorkspaceId;
  e164: E164;
  status: NumberStatus;
  attempt: number;
  nextAttemptAt: number | null;
  message: string | null;
  lastCloseCode: number | null;
}

export interface Events {
  'connection.changed': ConnectionChanged;
  'connection.qrReceived': { workspaceId: WorkspaceId; e164: E164; qr: string; expiresAt: number };
  'connection.pairingCodeReceived': { workspaceId: WorkspaceId; e164: E164; code: string };
  /** The owner must act: a number needs attention, was logged out, replaced, banned... */
  'alert.raised': { workspaceId: WorkspaceId; e164: E164; status: NumberStatus; message: string; at: number };
  'message.received': {
    workspaceId: WorkspaceId;
    businessNumber: E164;
    /** The customer's phone number, or their WhatsApp id when the phone is hidden. */
    from: string;
    name: string | null;
    text: string | null;
    at: number;
  };
  /** A workspace, its settings or its numbers changed (possibly from another window). */
  'workspace.changed': { workspaceId: WorkspaceId };
  'faq.changed': { workspaceId: WorkspaceId };
  /** A CSV import's progress: rows stored so far of those to store. */
  'faq.importProgressed': { workspaceId: WorkspaceId; done: number; total: number };
  /** A question the bot could not answer was recorded, or the owner handled some. */
  'unanswered.changed': { workspaceId: WorkspaceId };
  /** New entries reached the event log; `log.query` with `afterSeq` reads them. */
  'log.appended': { workspaceIds: (string | null)[] };
  /** A chat got a message (either way) or its hand-off/pause state changed: lists and threads reload. */
  'conversation.changed': { workspaceId: WorkspaceId; chatId: string };
  /**
   * A chat started needing a person (the bot handed it over, the customer wrote in a chat paused by the
   * owner), or the customer asked for a person again (`again`). For notifications: the desktop app and
   * the browser tell the owner at once.
   */
  'conversation.escalated': {
    workspaceId: WorkspaceId;
    chatId: string;
    businessNumber: E164;
    contactName: string | null;
    contactPhone: string | null;
    /** decide()'s reason code ('handoff-bot:no-match', 'handoff-request:talk ... someone', 'owner-paused'). */
    reason: string;
    waitingSince: number;
    again: boolean;
  };
  /**
   * The owner clicked a desktop notification about a chat: the window opens that chat. Emitted by the
   * desktop shell only.
   */
  'notification.clicked': { workspaceId: WorkspaceId; chatId: string };
}

export type EventPayload<E extends EventName> = Events[E];

// --- compile-time checks: the name lists and the maps agree ---------------------------------------------

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const eventNamesMatch: Same<EventName, keyof Events> = true;
const commandNamesMatch: Same<CommandName, keyof Commands> = true;
void eventNamesMatch;
void commandNamesMatch;
