import type { CloudRelayStatus } from '../../../shared/contract';
import { formatCountdown, formatTime } from '../format';

export interface RelayLine {
  tone: 'ok' | 'busy' | 'problem';
  /** What is happening, in a shop owner's words. */
  text: string;
  /** What to do about it, when anything. */
  todo: string | null;
  /** Send the owner to Settings › Central sync. */
  toSettings: boolean;
}

const hostOf = (url: string | null): string => {
  if (url === null) return 'the central server';
  try {
    return `the central server (${new URL(url).host})`;
  } catch {
    return `the central server (${url})`;
  }
};

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const retryIn = (status: CloudRelayStatus, now: number): string =>
  status.nextRetryAt === null
    ? ''
    : status.nextRetryAt > now
      ? ` Trying again in ${formatCountdown(status.nextRetryAt - now)}.`
      : ' Trying again now…';

/**
 * How customers' messages reach a Cloud number, for its card on Home: Meta sends them to a public
 * server (the central server's relay, or this computer when it takes webhooks itself) and this line
 * says whether that path works and, when it does not, what the owner should do next.
 */
export function describeRelay(status: CloudRelayStatus, takesWebhooks: boolean, now: number): RelayLine {
  const server = hostOf(status.serverUrl);
  switch (status.state) {
    case 'not-enrolled':
      return takesWebhooks
        ? {
            tone: 'ok',
            text: 'Customers’ messages come from Meta straight to this computer.',
            todo: null,
            toSettings: false,
          }
        : {
            tone: 'problem',
            text: 'Customers’ messages cannot reach this number yet: Meta sends them to your central server, and this business is not connected to one.',
            todo: 'Open Settings › Central sync and enroll this business with the code from your central team.',
            toSettings: true,
          };
    case 'idle':
      return {
        tone: 'busy',
        text: `Connecting to ${server} for customers’ messages…`,
        todo: null,
        toSettings: false,
      };
    case 'polling': {
      const last =
        status.lastDeliveryAt === null
          ? 'No message from Meta yet since Switchboard started.'
          : `Last message from Meta at ${formatTime(status.lastDeliveryAt, now)} (${status.delivered} since Switchboard started).`;
      return {
        tone: 'ok',
        text: `Receiving customers’ messages through ${server}. ${last}`,
        todo: null,
        toSettings: false,
      };
    }
    case 'refused':
      return {
        tone: 'problem',
        text: `${capitalise(server)} refused this business’s sync token, so customers’ messages wait there (none is lost).${retryIn(status, now)}`,
        todo: 'Enroll this business again in Settings › Central sync, with a new code from your central team.',
        toSettings: true,
      };
    case 'unreachable':
      return {
        tone: status.failures >= 5 ? 'problem' : 'busy',
        text: `Cannot reach ${server}: ${status.problem ?? 'no answer'}. Customers’ messages wait there safely.${retryIn(status, now)}`,
        todo:
          status.failures >= 5
            ? 'Check this computer’s internet connection. If it works, ask your central team whether their server is running.'
            : null,
        toSettings: false,
      };
  }
}

/** Customers' messages kept unanswered because their number left the business: said once, with where to look. */
export function describeKeptUnroutable(status: CloudRelayStatus): string | null {
  const count = status.keptUnroutable;
  if (count === 0 || status.lastKeptUnroutable === null) return null;
  return (
    `${count} customer message${count === 1 ? '' : 's'} from Meta ` +
    `${count === 1 ? 'was' : 'were'} for a number no longer in this business ` +
    `(phone number ID ${status.lastKeptUnroutable.phoneNumberId}): kept as unroutable on this computer, not answered. See Logs.`
  );
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * What the relay keeps on this computer for this number while it is not running (said on its own
 * card): nothing is lost, the rest of the business goes on, and it all arrives, in order, once the
 * number runs again.
 */
export function describeHeld(status: CloudRelayStatus, phoneNumberId: string, now: number): string | null {
  const held = status.held.find((h) => h.phoneNumberId === phoneNumberId);
  if (held === undefined) return null;
  const what =
    held.messages > 0
      ? plural(held.messages, 'customer message waits', 'customer messages wait')
      : plural(held.statuses, 'delivery update waits', 'delivery updates wait');
  return (
    `${what} on this computer for this number (since ${formatTime(held.since, now)}): ` +
    'they are kept safely and answered in order as soon as it is back on.'
  );
}
