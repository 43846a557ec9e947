import type { ConversationCounts } from '../../../shared/contract';
import { chatHash } from '../../../shared/chat-link';

export type Permission = NotificationPermission | 'unsupported';

/** Chats waiting for a person over every workspace: the tab title's number. */
export function totalWaiting(counts: Readonly<Record<string, ConversationCounts>>): number {
  return Object.values(counts).reduce((sum, c) => sum + c.waiting, 0);
}

/**
 * Whether this page shows a Web Notification for an escalation: only in a browser (the desktop app's
 * main process notifies itself), only with the owner's permission, and not for the chat the owner is
 * looking at right now.
 */
export function shouldNotifyHere(input: {
  shell: 'desktop' | 'browser';
  permission: Permission;
  event: { workspaceId: string; chatId: string };
  /** The page's address (location.hash without '#'), and whether the owner is looking at it. */
  hash: string;
  looking: boolean;
}): boolean {
  if (input.shell !== 'browser' || input.permission !== 'granted') return false;
  const open = input.hash.startsWith(chatHash(input.event.workspaceId, input.event.chatId));
  return !(input.looking && open);
}

/** A short two-note chime: frequencies (Hz), start and length (s) after now. */
export const CHIME = [
  { frequency: 880, start: 0, length: 0.14 },
  { frequency: 1318.5, start: 0.16, length: 0.22 },
] as const;

interface AudioLike {
  readonly currentTime: number;
  readonly destination: unknown;
  createOscillator(): {
    type: string;
    frequency: { value: number };
    connect(node: unknown): unknown;
    start(at: number): void;
    stop(at: number): void;
  };
  createGain(): {
    gain: {
      setValueAtTime(v: number, t: number): unknown;
      linearRampToValueAtTime(v: number, t: number): unknown;
    };
    connect(node: unknown): unknown;
  };
  close(): Promise<void>;
}

/** Plays CHIME with WebAudio (no sound file needed); quiet, soft edges so it never clicks. */
export function playChime(createContext: () => AudioLike, volume = 0.15): void {
  const ctx = createContext();
  const t0 = ctx.currentTime;
  for (const note of CHIME) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = note.frequency;
    gain.gain.setValueAtTime(0, t0 + note.start);
    gain.gain.linearRampToValueAtTime(volume, t0 + note.start + 0.02);
    gain.gain.linearRampToValueAtTime(0, t0 + note.start + note.length);
    osc.connect(gain);
    gain.connect(ctx.destination);
    osc.start(t0 + note.start);
    osc.stop(t0 + note.start + note.length + 0.01);
  }
  const last = CHIME[CHIME.length - 1]!;
  setTimeout(() => void ctx.close().catch(() => undefined), (last.start + last.length + 0.2) * 1000);
}
