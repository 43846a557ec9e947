import type { E164 } from '../../../shared/types';
import type { IdGenerator } from '../../ids';
import { normalizePhoneNumber } from '../../phone/normalize-phone-number';
import type {
  UnroutableMessage,
  UnroutableMessageStore,
} from '../../store/repositories/unroutable-message-store';
import { unroutableRow } from '../unroutable-row-of-inbound';
import { mapNotification, type WebhookNotification } from './webhook';

export interface UnroutableRows {
  /** One row per customer message in the changes named, for `unroutable_messages` (insertMany). */
  rows: UnroutableMessage[];
  /**
   * Changes of those numbers whose messages cannot become rows: Meta's display number is not a number
   * (never seen; the row's key needs one). Callers log them. A message without a sender id, or not of
   * the documented shape, is left out as the providers leave it out.
   */
  notKept: { phoneNumberId: string; messages: number }[];
}

/**
 * The customers' messages of a notification's changes for `phoneNumberIds` (numbers that take no
 * webhooks here: unknown on this host, removed from the workspace) as `unroutable_messages` rows. Our
 * own parser, with the number Meta displays standing in for ours: there is no number of ours. Row ids
 * are new each time; the table's unique key (business number + provider id) keeps a repeat out.
 * Statuses are left out: they concern messages of a number that is not here.
 */
export function unroutableRows(
  notification: WebhookNotification,
  phoneNumberIds: ReadonlySet<string>,
  deps: { newId: IdGenerator; now: number },
): UnroutableRows {
  const mapped = mapNotification(notification, {
    numberFor: (id, display) => (phoneNumberIds.has(id) ? displayE164(display) : undefined),
  });
  const rows = mapped.messages.map((m) => unroutableRow(m, deps.newId(), deps.now));
  const notKept = mapped.unknown
    .filter((u) => phoneNumberIds.has(u.phoneNumberId) && u.messages > 0)
    .map((u) => ({ phoneNumberId: u.phoneNumberId, messages: u.messages }));
  return { rows, notKept };
}

/**
 * `unroutableRows`, stored: each customer message once (a repeat finds its row there). `kept` tells,
 * for any subset of the rows, how many were new and how many were already there, for the log line.
 * Throws when the store fails, so the caller does not acknowledge what it could not keep.
 */
export async function storeUnroutable(
  store: UnroutableMessageStore,
  notification: WebhookNotification,
  phoneNumberIds: ReadonlySet<string>,
  deps: { newId: IdGenerator; now: number },
): Promise<
  UnroutableRows & { kept(rows?: readonly UnroutableMessage[]): { kept: number; repeats: number } }
> {
  const { rows, notKept } = unroutableRows(notification, phoneNumberIds, deps);
  const inserted = rows.length === 0 ? new Set<string>() : await store.insertMany(rows);
  return {
    rows,
    notKept,
    kept(subset = rows) {
      const kept = subset.filter((r) => inserted.has(r.id)).length;
      return { kept, repeats: subset.length - kept };
    },
  };
}

export const digitsOf = (s: string): string => s.replace(/\D/g, '');

/** Meta's display number ("15550783881", "+234 809 ...") as E.164, for the unroutable row. */
export function displayE164(display: string): E164 | undefined {
  const digits = digitsOf(display);
  if (digits === '') return undefined;
  const parsed = normalizePhoneNumber(`+${digits}`, 'NG');
  if (parsed.ok) return parsed.value;
  // A test number Meta hands out (1555...) is no real number; its digits still say which one it was.
  return /^[1-9]\d{6,14}$/.test(digits) ? (`+${digits}` as E164) : undefined;
}
