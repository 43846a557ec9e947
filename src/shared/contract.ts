import { z } from 'zod';
import {
  type CommandName,
  type CoreCommandName,
  type EventName,
  type ShellCommandName,
} from './contract-names';
import type { Faq, PhoneNumber, Workspace } from './dto';
import type { Result } from './errors';
import { addPhoneNumberInput, createWorkspaceInput, updateWorkspaceInput, userText } from './schemas';
import { syncCommands, type SyncEvents } from './sync-contract';
import { aiCommands, type AiEvents } from './ai-contract';
import { cloudCommands, type CloudEvents } from './cloud-contract';
import { inboxCommands } from './inbox-contract';
import { learnCommands } from './learn-contract';
import { mediaCommands } from './media-contract';
import { backupCommands, type BackupEvents } from './backup-contract';
import { mediaSendCommands, type FaqListItem } from './media-send-contract';
import type { E164, NumberStatus, WorkspaceId } from './types';
import { command, noInput, type CommandSpec } from './command-spec';
import { idOf, workspaceIdInput } from './contract-ids';
import type { AppInfo, CreatedWorkspace, HomeStats, NumberState } from './home-contract';
import { logExportInput, logQueryInput, type LogExportPage, type LogPage } from './log-contract';
import type {
  ConversationCounts,
  ConversationSummary,
  ConversationThread,
  ThreadMessage,
} from './conversation-contract';
import type { FaqImportResult, FaqTryResult, UnansweredGroupView } from './faq-contract';
import { settingsPatchInput } from './settings-contract';

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
export * from './home-contract';
export * from './log-contract';
export * from './conversation-contract';
export * from './faq-contract';
export * from './settings-contract';

// --- input schemas ------------------------------------------------------------------------------------

const numberRef = z.strictObject({ workspaceId: workspaceIdInput, phoneNumberId: idOf('phoneNumberId') });
const chatRef = { workspaceId: workspaceIdInput, chatId: idOf('chatId').max(200, 'chatId is too long') };

const faqFields = {
  question: userText('Question', 300),
  answer: userText('Answer', 4000),
  /** Other ways customers ask the same question. */
  phrasings: z.array(userText('Phrasing', 300)).max(100, 'at most 100 phrasings per FAQ'),
  enabled: z.boolean(),
};

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
