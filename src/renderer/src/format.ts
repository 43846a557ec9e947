import type { NumberStatus } from '../../shared/types';

export { formatPhone } from '../../shared/format-phone';

export type Tone = 'ok' | 'busy' | 'problem' | 'idle';

/** How each status reads on screen: a short label, a colour and a sentence. */
export const STATUS_VIEW: Record<NumberStatus, { label: string; tone: Tone; hint: string }> = {
  connected: { label: 'Connected', tone: 'ok', hint: 'Online and receiving messages.' },
  connecting: { label: 'Connecting', tone: 'busy', hint: 'Opening the connection to WhatsApp…' },
  reconnecting: {
    label: 'Reconnecting',
    tone: 'busy',
    hint: 'The connection dropped. Switchboard is trying again.',
  },
  pairing: {
    label: 'Waiting for scan',
    tone: 'busy',
    hint: 'Scan the QR code with the phone to finish linking.',
  },
  unpaired: {
    label: 'Not linked',
    tone: 'idle',
    hint: 'Link this number by scanning a QR code with the phone.',
  },
  'needs-attention': {
    label: 'Needs attention',
    tone: 'problem',
    hint: 'Switchboard could not keep this number connected.',
  },
  'logged-out': { label: 'Logged out', tone: 'problem', hint: 'This number was logged out. Link it again.' },
  'wrong-phone': {
    label: 'Wrong phone',
    tone: 'problem',
    hint: 'The QR code was scanned with the WhatsApp of another number. Scan a new one with this number’s phone.',
  },
  replaced: {
    label: 'Open elsewhere',
    tone: 'problem',
    hint: 'Another WhatsApp Web session took over this number.',
  },
  banned: { label: 'Blocked', tone: 'problem', hint: 'WhatsApp has blocked this number.' },
  'update-required': { label: 'Update needed', tone: 'problem', hint: 'WhatsApp needs a newer Switchboard.' },
  disabled: { label: 'Off', tone: 'idle', hint: 'This number is switched off.' },
};

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dayTime = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** Today: 14:05:09; another day: 3 Nov, 14:05. */
export function formatTime(ts: number, now = Date.now()): string {
  const sameDay = new Date(ts).toDateString() === new Date(now).toDateString();
  return sameDay ? time.format(ts) : dayTime.format(ts);
}

/** "in 12 s", "in 3 min" (for the next reconnect attempt). */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 100) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

export function greeting(now = new Date()): string {
  const hour = now.getHours();
  if (hour < 12) return 'Good morning';
  if (hour < 17) return 'Good afternoon';
  return 'Good evening';
}

export const COUNTRIES: readonly { code: string; name: string }[] = [
  { code: 'NG', name: 'Nigeria' },
  { code: 'GH', name: 'Ghana' },
  { code: 'KE', name: 'Kenya' },
  { code: 'ZA', name: 'South Africa' },
  { code: 'CM', name: 'Cameroon' },
  { code: 'BJ', name: 'Benin' },
  { code: 'CI', name: "Côte d'Ivoire" },
  { code: 'SN', name: 'Senegal' },
  { code: 'TZ', name: 'Tanzania' },
  { code: 'UG', name: 'Uganda' },
  { code: 'RW', name: 'Rwanda' },
  { code: 'EG', name: 'Egypt' },
  { code: 'GB', name: 'United Kingdom' },
  { code: 'US', name: 'United States' },
];

export const BOT_MODE_VIEW = {
  faq: {
    title: 'Answer from my FAQs',
    text: 'Replies only with answers you wrote. Predictable and safe.',
    badge: 'Recommended',
  },
  ai: {
    title: 'AI answers',
    text: 'An AI model writes every reply from your FAQs and business details (Settings › AI answers).',
    badge: 'AI service',
  },
  hybrid: {
    title: 'FAQs, then AI',
    text: 'Your answers first; the AI helps when no FAQ fits, within the budget you set.',
    badge: 'FAQs + AI service',
  },
} as const;
