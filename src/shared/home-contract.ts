import type { PhoneNumber, Workspace } from './dto';
import type { DemoCloudNumber } from './cloud-contract';
import type { E164, NumberStatus, WorkspaceId } from './types';

/**
 * What the home screen and the app's frame show: numbers, the app itself, the days' activity.
 * contract.ts re-exports these; must not import contract.ts (an import cycle).
 */

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
