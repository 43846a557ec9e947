import type { WorkspaceSettings } from './settings';
import { wallClockAt, zoneFormatter } from './time-zone';

/**
 * The owner's own texts to customers (greeting, away message, hand-off notice) may name the business and
 * today's opening hours: "Welcome to {business}! We are open {hours}." Filled when the reply is decided,
 * in the workspace's time zone; shared so Settings previews exactly what a customer will read.
 */
export const REPLY_PLACEHOLDERS = ['{business}', '{hours}'] as const;

export interface ReplyContext {
  /** The workspace's name. */
  business: string;
  /** Today's opening hours in words ("8:00 to 18:00", "closed today"), '' when hours are off. */
  hours: string;
}

export function fillReplyText(text: string, context: ReplyContext): string {
  return text.replaceAll('{business}', context.business).replaceAll('{hours}', context.hours).trim();
}

const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** Today's opening hours in the workspace's zone, in words; '' when hours are off or the zone is unknown. */
export function hoursToday(
  settings: {
    timezone: string;
    businessHours: Pick<WorkspaceSettings['businessHours'], 'enabled' | 'days'>;
  },
  now: number,
): string {
  if (!settings.businessHours.enabled) return '';
  const format = zoneFormatter(settings.timezone);
  if (format === null) return '';
  const today = settings.businessHours.days[DAY_KEYS[wallClockAt(format, now).weekday]!];
  if (today.length === 0) return 'closed today';
  return today.map((i) => `${i.open.replace(/^0/, '')} to ${i.close.replace(/^0/, '')}`).join(' and ');
}
