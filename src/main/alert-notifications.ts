import type { Events } from '../shared/contract';
import type { NumberStatus } from '../shared/types';
import { formatPhone } from '../shared/format-phone';

const TITLES: Partial<Record<NumberStatus, string>> = {
  'needs-attention': 'A WhatsApp number needs attention',
  'logged-out': 'A WhatsApp number was logged out',
  'wrong-phone': 'The QR code was scanned with the wrong phone',
  replaced: 'WhatsApp was opened elsewhere',
  banned: 'WhatsApp blocked a number',
  'update-required': 'Switchboard needs an update',
};

/** The desktop notification for an alert: a title that says what happened, the number and what to do. */
export function alertNotification(alert: Events['alert.raised']): { title: string; body: string } {
  return {
    title: TITLES[alert.status] ?? 'Switchboard',
    body: `${formatPhone(alert.e164)}: ${alert.message}`,
  };
}
