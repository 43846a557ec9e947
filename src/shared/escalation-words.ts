import { formatPhone } from './format-phone';

/**
 * Chats that need a person, in the owner's words: why a chat waits, for how long, and the notification
 * that says so. Pure and import-free but for formatPhone, so the desktop shell (Electron notifications,
 * the tray), the renderer (Web Notifications, the tab title, "Needs you") and tests share one wording.
 */

/** The reason code of a reminder: the chat still waits after the workspace's reminder minutes. */
export const REMINDER_REASON = 'reminder';

/** Why a chat waits for a person, from decide()'s reason code ('handoff-keyword:agent', 'owner-paused'). */
export function describeWaiting(reason: string): string {
  const code = reason.replace(/\+again$/, '');
  const keyword = /^handoff-keyword(?:-again)?:(.*)$/.exec(code);
  if (keyword !== null) return `they asked for a person ("${keyword[1]}")`;
  if (code.startsWith('handoff-request')) return 'they asked to talk to a person';
  if (code.startsWith('handoff-bot:') || code.includes('abstain')) return 'no FAQ answered the question';
  if (code === 'handoff-stale') return 'their message arrived late, while this computer was off';
  if (code === 'handoff-media') return 'they sent a photo or file the bot cannot read';
  if (code === 'handoff-order') return 'they want to order';
  if (code === 'handoff-long') return 'their message is too long for an FAQ answer';
  if (code === 'owner-took-over') return 'you took over';
  if (code === 'owner-paused') return 'they wrote while you were answering by hand';
  if (code === 'handoff-active') return 'they wrote again';
  if (code === 'send-failed') return 'a reply could not be sent';
  if (code === 'reply-stale') return "the bot's reply waited too long to be sent";
  if (code === 'handoff-window-closed')
    return 'their message arrived more than 24 hours late, so only an approved template can answer it';
  if (code === REMINDER_REASON) return 'they are still waiting for your answer';
  return code;
}

/** "3 min", "1 h 5 min", "2 days": how long since `since`. */
export function waitedFor(since: number, now: number): string {
  const minutes = Math.max(0, Math.floor((now - since) / 60_000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day' : `${days} days`;
}

/** The customer as the owner knows them: their name, else their phone, else their chat id. */
export function customerName(chat: {
  contactName: string | null;
  contactPhone: string | null;
  chatId: string;
}): string {
  if (chat.contactName !== null && chat.contactName.trim() !== '') return chat.contactName.trim();
  if (chat.contactPhone !== null) return formatPhone(chat.contactPhone);
  return chat.chatId.split('@')[0] ?? chat.chatId;
}

export interface EscalationLike {
  chatId: string;
  contactName: string | null;
  contactPhone: string | null;
  reason: string;
  waitingSince: number;
  again: boolean;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The notification for a chat that needs a person: the customer in the title, why in the body. `tag`
 * is one per chat, so a reminder replaces the chat's earlier notification instead of piling up.
 */
export function escalationNotification(
  event: EscalationLike,
  now: number,
): { title: string; body: string; tag: string } {
  const name = customerName(event);
  const tag = `chat:${event.chatId}`;
  if (event.reason === REMINDER_REASON) {
    return {
      title: `${name} is still waiting`,
      body: `Waiting ${waitedFor(event.waitingSince, now)} for your answer. Open the chat to reply, or give it back to the bot.`,
      tag,
    };
  }
  const again = event.again || /-again[:]|\+again$/.test(event.reason);
  return {
    title: again ? `${name} asked for a person again` : `${name} needs you`,
    body: `${capitalised(describeWaiting(event.reason))}. The bot keeps out until you answer or give the chat back.`,
    tag,
  };
}

/** The tab or window title with the chats needing a person in front: "(3) Switchboard". */
export function titleWithCount(count: number, base = 'Switchboard'): string {
  return count > 0 ? `(${count > 99 ? '99+' : count}) ${base}` : base;
}
