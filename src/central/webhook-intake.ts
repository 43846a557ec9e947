import type { Transaction } from 'kysely';
import {
  changeValueSchema,
  notificationSchema,
  type WebhookNotification,
} from '../core/whatsapp/cloud-api/webhook-schema';
import { isSignatureHeader, verifyWebhookSignature } from '../core/whatsapp/cloud-api/webhook';
import { PHONE_NUMBER_ID } from '../shared/relay-protocol';
import type { CloudSecrets, RoutableNumber } from './cloud-secrets';
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
 * One webhook POST, all or nothing: verified against the App Secrets of the registered numbers (over
 * the raw bytes, constant time), split into its changes, each routed by `metadata.phone_number_id` to
 * the workspace that registered it under that same app secret, and committed in one transaction. The
 * caller answers 200 only after this resolves. Throws CentralError 401 (signature) or 400 (not JSON,
 * not a notification): nothing is stored then.
 *
 * The body is parsed before it is verified, only to learn which numbers it names: their secrets are
 * tried first, so a POST costs one HMAC and a primary-key look-up however many numbers are registered.
 * Nothing read from it is acted on before a signature matches, and a change is still routed only to a
 * number registered under the secret that signed the POST. When no named number's secret matches
 * (unsigned, forged, another app's numbers, or not a notification at all) every registered secret is
 * tried, as before, so the answers stay the same: 401 for a bad signature whatever the body, 400 for a
 * signed body that is not a notification, 200 with the changes kept as unroutable for a signed POST
 * naming numbers nobody registered under that secret.
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
  const parsed = parseNotification(rawBody);
  const changes = parsed.ok ? splitChanges(parsed.notification) : [];
  // Checked before any query or HMAC: a forged id ("1\u0000", 5 KB of text) costs nothing and logs nothing.
  if (changes.some((c) => c.phoneNumberId !== '' && !PHONE_NUMBER_ID.test(c.phoneNumberId)))
    throw new CentralError(
      'BAD_REQUEST',
      'metadata.phone_number_id must be digits (Meta’s phone_number_id).',
    );

  const named = [...new Set(changes.map((c) => c.phoneNumberId).filter((id) => id !== ''))];
  const candidates = await secrets.named(database.db, named);
  const tried = new Set<string>();
  let signedWith = signingSecret(candidates, rawBody, signatureHeader, tried);
  if (signedWith === undefined)
    signedWith = signingSecret(await secrets.all(database.db), rawBody, signatureHeader, tried);
  if (signedWith === undefined)
    throw new CentralError('UNAUTHORIZED', 'X-Hub-Signature-256 does not match the body.');
  if (!parsed.ok) throw parsed.error;

  const routes = new Map<string, string>();
  for (const n of candidates) if (n.appSecret === signedWith) routes.set(n.phoneNumberId, n.workspaceId);
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

/** The secret (among those not tried yet) whose HMAC of the body is the given signature. */
function signingSecret(
  numbers: readonly RoutableNumber[],
  rawBody: Buffer,
  signatureHeader: string,
  tried: Set<string>,
): string | undefined {
  for (const { appSecret } of numbers) {
    if (appSecret === null || tried.has(appSecret)) continue;
    tried.add(appSecret);
    if (verifyWebhookSignature(rawBody, signatureHeader, appSecret)) return appSecret;
  }
  return undefined;
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
