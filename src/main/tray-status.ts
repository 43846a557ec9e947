import type { NumberStatus } from '../shared/types';
import { formatPhone } from '../shared/format-phone';
import { chatsNeedingYou } from './waiting-badge';

export type TrayTone = 'idle' | 'ok' | 'busy' | 'problem';

export interface TrayNumber {
  e164: string;
  status: NumberStatus;
}

/** Windows cuts tray tooltips at 127 characters. */
export const MAX_TOOLTIP = 127;

const PROBLEM: ReadonlySet<NumberStatus> = new Set([
  'needs-attention',
  'logged-out',
  'wrong-phone',
  'replaced',
  'banned',
  'update-required',
]);
const BUSY: ReadonlySet<NumberStatus> = new Set(['connecting', 'reconnecting', 'pairing']);

const STATUS_WORDS: Record<NumberStatus, string> = {
  unpaired: 'not linked',
  pairing: 'waiting for QR scan',
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  'needs-attention': 'needs attention',
  'logged-out': 'logged out',
  'wrong-phone': 'scanned with the wrong phone',
  replaced: 'open elsewhere',
  banned: 'blocked by WhatsApp',
  'update-required': 'update needed',
  disabled: 'off',
};

export const statusWords = (status: NumberStatus): string => STATUS_WORDS[status];

/**
 * The tray's colour and tooltip for the numbers on this computer: the worst state leads. Chats waiting
 * for a person (`waiting`) come right under the headline, so hovering the icon says who needs you.
 */
export function trayStatus(numbers: readonly TrayNumber[], waiting = 0): { tone: TrayTone; tooltip: string } {
  const waitingLine = waiting > 0 ? [chatsNeedingYou(waiting)] : [];
  if (numbers.length === 0) {
    return {
      tone: 'idle',
      tooltip: ['Switchboard: no WhatsApp number linked yet', ...waitingLine].join('\n'),
    };
  }
  const problem = numbers.filter((n) => PROBLEM.has(n.status));
  const busy = numbers.filter((n) => BUSY.has(n.status));
  const connected = numbers.filter((n) => n.status === 'connected');
  const tone: TrayTone =
    problem.length > 0 ? 'problem' : busy.length > 0 ? 'busy' : connected.length > 0 ? 'ok' : 'idle';
  const headline =
    connected.length === numbers.length
      ? `Switchboard: ${numbers.length === 1 ? 'WhatsApp connected' : `all ${numbers.length} numbers connected`}`
      : `Switchboard: ${connected.length} of ${numbers.length} connected`;
  const ordered = [
    ...problem,
    ...busy,
    ...numbers.filter((n) => !PROBLEM.has(n.status) && !BUSY.has(n.status)),
  ];
  const lines = [headline, ...waitingLine];
  if (connected.length !== numbers.length || numbers.length > 1) {
    for (const n of ordered) lines.push(`${formatPhone(n.e164)}: ${statusWords(n.status)}`);
  }
  let tooltip = lines.join('\n');
  if (tooltip.length > MAX_TOOLTIP) tooltip = `${tooltip.slice(0, MAX_TOOLTIP - 1)}…`;
  return { tone, tooltip };
}
