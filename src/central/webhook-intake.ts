import type { Transaction } from 'kysely';
import {
  changeValueSchema,
  isSignatureHeader,
  notificationSchema,
  verifyWebhookSignature,
  type WebhookNotification,
} from '../core/cloud/index';
import { PHONE_NUMBER_ID } from '../shared/relay-protocol';
import type { CloudSecrets } from './cloud-secrets';
import type { CentralDatabase } from './db/open';
import type { CentralSchema } from './db/schema';
import { CentralError } from './errors';
import { sha256Hex } from './secrets';

export interface IntakeResult {
  /** Changes committed for a workspace (new ones). */
  stored: number;
  /** Changes seen before (Meta's retries and duplicates): stored once. */
  duplicates: number;
  /** Changes for a phone_number_id no workspace registered (or registered under another app). */
  unroutable: number;
  /** Workspaces that got new notifications: their waiting polls are woken. */
  workspaces: string[];
}

/**
 * One webhook POST, all or nothing: verified against the App Secret of the number it names (over the
 * raw bytes, constant time), split into its changes, each routed by `metadata.phone_number_id` to the
 * workspace that registered it under that same app secret, and committed in one transaction. The
 * caller answers 200 only after this resolves. Throws CentralError 401 (signature, or no registered
 * number named) or 400 (signed, but not a notification): nothing is stored then.
 *
 * Routing comes before any HMAC and at most one HMAC runs per POST: the raw bytes are scanned for the
 * `"phone_number_id"` values they carry (no JSON parse before the signature is known), and the first
 * registered number among them with an opened secret decides the one secret tried. A POST naming no
 * registered number (unknown, absent, not a notification) is refused without trying any secret; a
 * batch naming several numbers costs one HMAC too (a POST from Meta is signed by one app). Nothing read
 * before the signature matches is acted on: after it, the body is parsed and each change is routed only
 * to a number registered under the secret that signed it (another app's numbers in a signed batch are
 * kept as unroutable, 200).
 */
export async function intakeWebhook(
  database: CentralDatabase,
  secrets: CloudSecrets,
  rawBody: Buffer,
  signatureHeader: string | undefined,
  now: number,
): Promise<IntakeResult> {
  if (signatureHeader === undefined || !isSignatureHeader(signatureHeader))
    throw new CentralError('UNAUTHORIZED', 'Missing or malformed X-Hub-Signature-256 header.');
  const namedIds = namedPhoneNumberIds(rawBody);
  // Checked before any query or HMAC: a forged id ("1\u0000", 5 KB of text) costs nothing and logs nothing.
  if (namedIds.some((id) => !PHONE_NUMBER_ID.test(id)))
    throw new CentralError(
      'BAD_REQUEST',
      'metadata.phone_number_id must be digits (Meta’s phone_number_id).',
    );
  const named = await secrets.named(database.db, namedIds);
  const candidate = named.find((n) => n.appSecret !== null);
  // Uniform answer: whether a number is registered here is not told to whoever forges a POST.
  if (candidate?.appSecret == null || !verifyWebhookSignature(rawBody, signatureHeader, candidate.appSecret))
    throw new CentralError(
      'UNAUTHORIZED',
      'X-Hub-Signature-256 does not match the body, or the body names no number registered here.',
    );
  const signedWith = candidate.appSecret;
  const parsed = parseNotification(rawBody);
  if (!parsed.ok) throw parsed.error;
  const changes = splitChanges(parsed.notification);

  // Numbers the scan did not see (a key written with JSON escapes) are looked up now, after the signature.
  const known = new Set(named.map((n) => n.phoneNumberId));
  const missing = [...new Set(changes.map((c) => c.phoneNumberId))].filter(
    (id) => id !== '' && !known.has(id),
  );
  const numbers = missing.length === 0 ? named : [...named, ...(await secrets.named(database.db, missing))];
  const routes = new Map<string, string>();
  for (const n of numbers) if (n.appSecret === signedWith) routes.set(n.phoneNumberId, n.workspaceId);
  const perWorkspace = new Map<string, Change[]>();
  const unroutable: Change[] = [];
  for (const change of changes) {
    const workspaceId = routes.get(change.phoneNumberId);
    if (workspaceId === undefined) {
      unroutable.push(change);
    } else {
      let list = perWorkspace.get(workspaceId);
      if (list === undefined) perWorkspace.set(workspaceId, (list = []));
      list.push(change);
    }
  }
  return commit(database, perWorkspace, unroutable, now);
}

const PHONE_NUMBER_ID_KEY = Buffer.from('"phone_number_id"');
/** A genuine POST names a few numbers of one app; a forged one may name thousands. */
const MAX_NAMED_IDS = 100;
const MAX_ID_LENGTH = 64;

/**
 * The `"phone_number_id": "<value>"` values in the raw bytes, distinct, in order, at most
 * MAX_NAMED_IDS: a byte scan (about 0.1 ms for 3 MiB), not a JSON parse (about 30 ms per MiB). Only
 * picks which secret to try: nothing found here is trusted before the signature matches.
 */
export function namedPhoneNumberIds(rawBody: Buffer): string[] {
  const ids = new Set<string>();
  const isSpace = (byte: number | undefined) =>
    byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
  let at = rawBody.indexOf(PHONE_NUMBER_ID_KEY);
  while (at >= 0 && ids.size < MAX_NAMED_IDS) {
    let i = at + PHONE_NUMBER_ID_KEY.length;
    while (isSpace(rawBody[i])) i++;
    if (rawBody[i] === 0x3a /* : */) {
      i++;
      while (isSpace(rawBody[i])) i++;
      if (rawBody[i] === 0x22 /* " */) {
        const end = rawBody.indexOf(0x22, i + 1);
        // A longer value is kept cut (it fails the digits check, so the POST is refused as malformed).
        if (end > i + 1) ids.add(rawBody.toString('utf8', i + 1, Math.min(end, i + 2 + MAX_ID_LENGTH)));
      }
    }
    at = rawBody.indexOf(PHONE_NUMBER_ID_KEY, i);
  }
  return [...ids];
}

type Parsed = { ok: true; notification: WebhookNotification } | { ok: false; error: CentralError };

/** The refusal is held back until the signature is known: an unsigned body gets 401, not 400. */
function parseNotification(rawBody: Buffer): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      error: new CentralError('BAD_REQUEST', `The body is not JSON: ${(error as Error).message}.`),
    };
  }
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      error: new CentralError('BAD_REQUEST', 'The body is not a WhatsApp Business Account notification.'),
    };
  return { ok: true, notification: parsed.data };
}

interface Change {
  /** '' when the change names no number (another field's shape): it is kept as unroutable. */
  phoneNumberId: string;
  payload: string;
  dedupeKey: string;
}

/** Each change in its own envelope, in the order Meta sent them. */
function splitChanges(notification: WebhookNotification): Change[] {
  const changes: Change[] = [];
  for (const entry of notification.entry) {
    for (const change of entry.changes) {
      const value = changeValueSchema.safeParse(change.value);
      const payload = JSON.stringify({
        object: notification.object,
        entry: [{ id: entry.id, changes: [change] }],
      });
      changes.push({
        phoneNumberId: value.success ? value.data.metadata.phone_number_id : '',
        payload,
        dedupeKey: sha256Hex(payload),
      });
    }
  }
  return changes;
}

function commit(
  database: CentralDatabase,
  perWorkspace: ReadonlyMap<string, readonly Change[]>,
  unroutable: readonly Change[],
  now: number,
): Promise<IntakeResult> {
  return database.transaction(async (trx) => {
    const result: IntakeResult = { stored: 0, duplicates: 0, unroutable: unroutable.length, workspaces: [] };
    // Workspaces in a fixed order (concurrent POSTs on PostgreSQL queue on the cursor rows rather than
    // deadlock); each workspace's changes in the order Meta sent them.
    for (const workspaceId of [...perWorkspace.keys()].sort()) {
      let added = 0;
      for (const change of perWorkspace.get(workspaceId)!) {
        const seen = await trx
          .selectFrom('relay_notifications')
          .select('seq')
          .where('workspace_id', '=', workspaceId)
          .where('dedupe_key', '=', change.dedupeKey)
          .executeTakeFirst();
        if (seen !== undefined) {
          result.duplicates++;
          continue;
        }
        const seq = await nextSeq(trx, workspaceId);
        // A concurrent twin that committed first makes this a no-op (a harmless gap in the seqs).
        const inserted = await trx
          .insertInto('relay_notifications')
          .values({
            workspace_id: workspaceId,
            seq,
            phone_number_id: change.phoneNumberId,
            dedupe_key: change.dedupeKey,
            payload: change.payload,
            received_at: now,
          })
          .onConflict((oc) => oc.columns(['workspace_id', 'dedupe_key']).doNothing())
          .returning('seq')
          .executeTakeFirst();
        if (inserted === undefined) result.duplicates++;
        else added++;
      }
      result.stored += added;
      if (added > 0) result.workspaces.push(workspaceId);
    }
    if (unroutable.length > 0) {
      await trx
        .insertInto('relay_unroutable')
        .values(
          unroutable.map((u) => ({
            dedupe_key: u.dedupeKey,
            phone_number_id: u.phoneNumberId,
            payload: u.payload,
            received_at: now,
          })),
        )
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .execute();
    }
    return result;
  });
}

/**
 * Takes the workspace's next seq. Registering a number makes its workspace's cursor row, so the
 * update finds it on the first try; the insert is for a cursor that went missing all the same.
 */
async function nextSeq(trx: Transaction<CentralSchema>, workspaceId: string): Promise<number> {
  const increment = () =>
    trx
      .updateTable('relay_cursors')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
      .where('workspace_id', '=', workspaceId)
      .returning('last_seq')
      .executeTakeFirst();
  let row = await increment();
  if (row === undefined) {
    await trx
      .insertInto('relay_cursors')
      .values({ workspace_id: workspaceId, last_seq: 0, acked_seq: 0 })
      .onConflict((oc) => oc.column('workspace_id').doNothing())
      .execute();
    row = await increment();
  }
  if (row === undefined) throw new Error(`The relay cursor of workspace ${workspaceId} could not be made.`);
  return row.last_seq;
}
