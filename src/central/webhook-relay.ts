import { createHmac, timingSafeEqual } from 'node:crypto';
import { changeValueSchema, notificationSchema } from '../core/whatsapp/cloud-api/webhook-schema';
import {
  RELAY_LIMITS,
  type CloudNumberRegistration,
  type CloudNumberSummary,
  type RelayNotification,
} from '../shared/relay-protocol';
import type { CentralDatabase, CentralDb } from './db/open';
import { CentralError } from './errors';
import { openWithKey, sealWithKey } from './secret-key';
import { sha256Hex } from './secrets';

/** Acknowledged notifications are kept this long so a late retry from Meta (up to 7 days) is still known. */
export const RELAY_KEEP_ACKED_MS = 8 * 86_400_000;

export const hashVerifyToken = (token: string): string => sha256Hex(`verify-token:${token}`);

/** Registers (or re-registers) a Cloud number: its webhooks go to `workspaceId` from now on. */
export async function registerCloudNumber(
  database: CentralDatabase,
  key: Buffer,
  input: CloudNumberRegistration,
  now: number,
): Promise<CloudNumberSummary> {
  return database.transaction(async (trx) => {
    const workspace = await trx
      .selectFrom('workspaces')
      .select('id')
      .where('id', '=', input.workspaceId)
      .executeTakeFirst();
    if (workspace === undefined)
      throw new CentralError('NOT_FOUND', `No workspace with id ${input.workspaceId}.`);
    const row = {
      phone_number_id: input.phoneNumberId,
      workspace_id: input.workspaceId,
      app_secret_sealed: sealWithKey(key, input.appSecret),
      verify_token_hash: hashVerifyToken(input.verifyToken),
      created_at: now,
      updated_at: now,
    };
    const saved = await trx
      .insertInto('cloud_numbers')
      .values(row)
      .onConflict((oc) =>
        oc.column('phone_number_id').doUpdateSet({
          workspace_id: row.workspace_id,
          app_secret_sealed: row.app_secret_sealed,
          verify_token_hash: row.verify_token_hash,
          updated_at: now,
        }),
      )
      .returning(['phone_number_id', 'workspace_id', 'created_at', 'updated_at'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('relay_cursors')
      .values({ workspace_id: input.workspaceId, last_seq: 0, acked_seq: 0 })
      .onConflict((oc) => oc.column('workspace_id').doNothing())
      .execute();
    return toSummary(saved);
  });
}

export async function listCloudNumbers(db: CentralDb): Promise<CloudNumberSummary[]> {
  const rows = await db
    .selectFrom('cloud_numbers')
    .select(['phone_number_id', 'workspace_id', 'created_at', 'updated_at'])
    .orderBy('phone_number_id')
    .execute();
  return rows.map(toSummary);
}

function toSummary(r: {
  phone_number_id: string;
  workspace_id: string;
  created_at: number;
  updated_at: number;
}): CloudNumberSummary {
  return {
    phoneNumberId: r.phone_number_id,
    workspaceId: r.workspace_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The GET handshake: is this one of the verify tokens an admin registered? (Looked up by hash.) */
export async function isKnownVerifyToken(db: CentralDb, token: string): Promise<boolean> {
  if (token === '') return false;
  const row = await db
    .selectFrom('cloud_numbers')
    .select('phone_number_id')
    .where('verify_token_hash', '=', hashVerifyToken(token))
    .executeTakeFirst();
  return row !== undefined;
}

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

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * One webhook POST, all or nothing: verified against the App Secrets of the registered numbers (over
 * the raw bytes, constant time), split into its changes, each routed by `metadata.phone_number_id` to
 * the workspace that registered it under that same app secret, and committed in one transaction. The
 * caller answers 200 only after this resolves. Throws CentralError 401 (signature) or 400 (not JSON,
 * not a notification): nothing is stored then.
 */
export async function intakeWebhook(
  database: CentralDatabase,
  key: Buffer,
  rawBody: Buffer,
  signatureHeader: string | undefined,
  now: number,
): Promise<IntakeResult> {
  const match = SIGNATURE.exec(signatureHeader?.trim() ?? '');
  if (match === null)
    throw new CentralError('UNAUTHORIZED', 'Missing or malformed X-Hub-Signature-256 header.');
  const given = Buffer.from(match[1]!, 'hex');
  const numbers = await database.db
    .selectFrom('cloud_numbers')
    .select(['phone_number_id', 'workspace_id', 'app_secret_sealed'])
    .execute();
  const secretsBySealed = new Map<string, string | null>();
  const secretOf = (sealed: string): string | null => {
    let secret = secretsBySealed.get(sealed);
    if (secret === undefined) {
      try {
        secret = openWithKey(key, sealed);
      } catch {
        secret = null; // sealed under another key: this number must be registered again
      }
      secretsBySealed.set(sealed, secret);
    }
    return secret;
  };
  let signedWith: string | undefined;
  const tried = new Set<string>();
  for (const n of numbers) {
    const secret = secretOf(n.app_secret_sealed);
    if (secret === null || tried.has(secret)) continue;
    tried.add(secret);
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    if (timingSafeEqual(expected, given)) {
      signedWith = secret;
      break;
    }
  }
  if (signedWith === undefined)
    throw new CentralError('UNAUTHORIZED', 'X-Hub-Signature-256 does not match the body.');

  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    throw new CentralError('BAD_REQUEST', `The body is not JSON: ${(error as Error).message}.`);
  }
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success)
    throw new CentralError('BAD_REQUEST', 'The body is not a WhatsApp Business Account notification.');

  const routes = new Map<string, string>();
  for (const n of numbers) {
    if (secretOf(n.app_secret_sealed) === signedWith) routes.set(n.phone_number_id, n.workspace_id);
  }
  const perWorkspace = new Map<string, Item[]>();
  const unroutable: Item[] = [];
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      const value = changeValueSchema.safeParse(change.value);
      const phoneNumberId = value.success ? value.data.metadata.phone_number_id : '';
      const payload = JSON.stringify({
        object: parsed.data.object,
        entry: [{ id: entry.id, changes: [change] }],
      });
      const item: Item = { phoneNumberId, payload, dedupeKey: sha256Hex(payload) };
      const workspaceId = routes.get(phoneNumberId);
      if (workspaceId === undefined) {
        unroutable.push(item);
      } else {
        let list = perWorkspace.get(workspaceId);
        if (list === undefined) perWorkspace.set(workspaceId, (list = []));
        list.push(item);
      }
    }
  }

  return database.transaction(async (trx) => {
    const result: IntakeResult = { stored: 0, duplicates: 0, unroutable: unroutable.length, workspaces: [] };
    // Workspaces in a fixed order (concurrent POSTs on PostgreSQL queue on the cursor rows rather than
    // deadlock); each workspace's changes in the order Meta sent them.
    for (const workspaceId of [...perWorkspace.keys()].sort()) {
      let added = 0;
      for (const item of perWorkspace.get(workspaceId)!) {
        const seen = await trx
          .selectFrom('relay_notifications')
          .select('seq')
          .where('workspace_id', '=', workspaceId)
          .where('dedupe_key', '=', item.dedupeKey)
          .executeTakeFirst();
        if (seen !== undefined) {
          result.duplicates++;
          continue;
        }
        await trx
          .insertInto('relay_cursors')
          .values({ workspace_id: workspaceId, last_seq: 0, acked_seq: 0 })
          .onConflict((oc) => oc.column('workspace_id').doNothing())
          .execute();
        const { last_seq: seq } = await trx
          .updateTable('relay_cursors')
          .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
          .where('workspace_id', '=', workspaceId)
          .returning('last_seq')
          .executeTakeFirstOrThrow();
        // A concurrent twin that committed first makes this a no-op (a harmless gap in the seqs).
        const inserted = await trx
          .insertInto('relay_notifications')
          .values({
            workspace_id: workspaceId,
            seq,
            phone_number_id: item.phoneNumberId,
            dedupe_key: item.dedupeKey,
            payload: item.payload,
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

interface Item {
  phoneNumberId: string;
  payload: string;
  dedupeKey: string;
}

/** The workspace's notifications after max(after, acked), oldest first, bounded by count and bytes. */
export async function readRelay(
  db: CentralDb,
  workspaceId: string,
  after: number,
  limit: number,
): Promise<{ notifications: RelayNotification[]; ackedSeq: number }> {
  const cursor = await db
    .selectFrom('relay_cursors')
    .select('acked_seq')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  const ackedSeq = cursor?.acked_seq ?? 0;
  const rows = await db
    .selectFrom('relay_notifications')
    .select(['seq', 'phone_number_id', 'payload', 'received_at'])
    .where('workspace_id', '=', workspaceId)
    .where('seq', '>', Math.max(after, ackedSeq))
    .orderBy('seq')
    .limit(limit)
    .execute();
  const notifications: RelayNotification[] = [];
  let bytes = 0;
  for (const row of rows) {
    bytes += row.payload.length;
    if (notifications.length > 0 && bytes > RELAY_LIMITS.maxBatchBytes) break;
    notifications.push({
      seq: row.seq,
      phoneNumberId: row.phone_number_id,
      receivedAt: row.received_at,
      notification: JSON.parse(row.payload) as unknown,
    });
  }
  return { notifications, ackedSeq };
}

/**
 * The desktop has journaled everything up to `seq`. The acknowledgement only moves forward and never
 * past the last seq given out; acknowledged rows older than RELAY_KEEP_ACKED_MS are dropped.
 */
export async function ackRelay(
  database: CentralDatabase,
  workspaceId: string,
  seq: number,
  now: number,
): Promise<number> {
  return database.transaction(async (trx) => {
    const cursor = await trx
      .selectFrom('relay_cursors')
      .select(['last_seq', 'acked_seq'])
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    if (cursor === undefined) return 0;
    const target = Math.min(seq, cursor.last_seq);
    if (target <= cursor.acked_seq) return cursor.acked_seq;
    await trx
      .updateTable('relay_cursors')
      .set({ acked_seq: target })
      .where('workspace_id', '=', workspaceId)
      .where('acked_seq', '<', target)
      .execute();
    await trx
      .deleteFrom('relay_notifications')
      .where('workspace_id', '=', workspaceId)
      .where('seq', '<=', target)
      .where('received_at', '<', now - RELAY_KEEP_ACKED_MS)
      .execute();
    return target;
  });
}

/** Long polls waiting in this process, woken when an intake commits for their workspace. */
export interface RelayWaiters {
  /** Resolves on a notify for the workspace, after `ms`, or at shutdown, whichever first. */
  wait(workspaceId: string, ms: number, signal: AbortSignal): Promise<void>;
  notify(workspaceIds: readonly string[]): void;
  shutdown(): void;
  readonly closed: boolean;
}

export function createRelayWaiters(): RelayWaiters {
  const waiting = new Map<string, Set<() => void>>();
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    wait(workspaceId, ms, signal) {
      if (closed || signal.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        let set = waiting.get(workspaceId);
        if (set === undefined) waiting.set(workspaceId, (set = new Set()));
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          set.delete(done);
          if (set.size === 0 && waiting.get(workspaceId) === set) waiting.delete(workspaceId);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done);
        set.add(done);
      });
    },
    notify(workspaceIds) {
      for (const id of workspaceIds) for (const wake of [...(waiting.get(id) ?? [])]) wake();
    },
    shutdown() {
      closed = true;
      for (const set of [...waiting.values()]) for (const wake of [...set]) wake();
    },
  };
}

/** Test and bench support: a signature as Meta computes it. */
export function signWebhook(body: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}
