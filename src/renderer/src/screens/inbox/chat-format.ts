import type { ConversationSummary } from '../../../../shared/contract';
import { customerName } from '../../../../shared/escalation-words';
import { KIND_WORD } from '../../components/MessageMedia';

/** A safety net under the live events: the list and the open thread are read again this often. */
export const REFRESH_MS = 10_000;

export const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** Today: 14:05; another day: 3 Nov. */
export function shortTime(ts: number, now = Date.now()): string {
  return new Date(ts).toDateString() === new Date(now).toDateString() ? clock.format(ts) : day.format(ts);
}

export const chatName = customerName;

export function initials(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return '#';
  return ((words[0]?.[0] ?? '') + (words[1]?.[0] ?? '')).toUpperCase();
}

export const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The list's line under a chat's name: the text, else what the file is ("Document: menu.pdf"). */
export function previewOf(last: ConversationSummary['lastMessage']): string {
  if (last.text !== null) return last.text;
  if (last.media == null) return 'Media or unsupported message';
  const word = KIND_WORD[last.media];
  return last.media === 'document' && last.fileName != null && last.fileName !== ''
    ? `${word}: ${last.fileName}`
    : word;
}
