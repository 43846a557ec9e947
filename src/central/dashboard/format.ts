/** Display helpers: times in UTC (the central team is not in one time zone), counts with separators. */

export function formatDateTime(ts: number): string {
  return `${new Date(ts).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatTime(ts: number): string {
  return `${new Date(ts).toISOString().slice(0, 19).replace('T', ' ')}`;
}

export function formatAgo(ts: number, now: number): string {
  const seconds = Math.round((now - ts) / 1000);
  if (seconds < 0) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export type Tone = 'ok' | 'warn' | 'bad' | 'idle';

/** A number's connection state (NUMBER_STATUSES), coloured for a glance. */
export function statusTone(status: string): Tone {
  switch (status) {
    case 'connected':
      return 'ok';
    case 'connecting':
    case 'reconnecting':
    case 'pairing':
      return 'warn';
    case 'needs-attention':
    case 'logged-out':
    case 'wrong-phone':
    case 'replaced':
    case 'banned':
    case 'update-required':
      return 'bad';
    default:
      return 'idle';
  }
}

/** An installation that has not pushed for this long is shown as quiet. */
export const STALE_AFTER_MS = 15 * 60_000;

export function lastSeenTone(lastSeenAt: number | null, now: number): Tone {
  if (lastSeenAt === null) return 'idle';
  return now - lastSeenAt > STALE_AFTER_MS ? 'warn' : 'ok';
}

export function levelTone(level: string): Tone {
  switch (level) {
    case 'error':
      return 'bad';
    case 'warn':
      return 'warn';
    case 'info':
      return 'ok';
    default:
      return 'idle';
  }
}
