import type { CloudNumberRegistration, CloudNumberSummary } from '../shared/relay-protocol';
import type { CloudNumberActivity } from './admin-types';
import { requireWorkspace } from './admin-queries';
import { createCloudSecrets, type CloudSecrets } from './cloud-secrets';
import type { CentralDatabase, CentralDb } from './db/open';
import { CentralError } from './errors';
import { sealWithKey } from './secret-key';
import { sha256Hex } from './secrets';

export const hashVerifyToken = (token: string): string => sha256Hex(`verify-token:${token}`);

/**
 * The Cloud numbers whose webhooks this server relays, for the admin API, the dashboard and intake.
 * Every change made here drops the number's opened App Secret, so intake never uses a stale one.
 */
export interface CloudNumberRegistry {
  /** False when the server has no secret key: the relay is off. */
  readonly enabled: boolean;
  /** Throws 503 (saying why) when the relay is off. */
  requireEnabled(): void;
  /** The App Secrets for intake; 503 when the relay is off. */
  secrets(): CloudSecrets;
  /** Registers (or re-registers) a number; `replaced` when it was registered before. */
  register(input: CloudNumberRegistration, now: number): Promise<Registered>;
  /** False when it was not registered. Notifications already committed stay with their workspace. */
  remove(phoneNumberId: string): Promise<boolean>;
}

export function createCloudNumberRegistry(
  database: CentralDatabase,
  secretKey: Buffer | undefined,
): CloudNumberRegistry {
  const secrets = secretKey === undefined ? undefined : createCloudSecrets(secretKey);
  const keyAndSecrets = (): { key: Buffer; secrets: CloudSecrets } => {
    if (secretKey !== undefined && secrets !== undefined) return { key: secretKey, secrets };
    throw new CentralError(
      'UNAVAILABLE',
      'The webhook relay is off: this server was started without a secret key for App Secrets.',
    );
  };
  return {
    enabled: secretKey !== undefined,
    requireEnabled: () => void keyAndSecrets(),
    secrets: () => keyAndSecrets().secrets,
    async register(input, now) {
      const { key, secrets: cache } = keyAndSecrets();
      try {
        return await registerCloudNumber(database, key, input, now);
      } finally {
        cache.forget(input.phoneNumberId);
      }
    },
    async remove(phoneNumberId) {
      try {
        return await removeCloudNumber(database.db, phoneNumberId);
      } finally {
        secrets?.forget(phoneNumberId);
      }
    },
  };
}

export interface Registered {
  number: CloudNumberSummary;
  /** It was registered before (perhaps to another workspace, with other secrets). */
  replaced: boolean;
}

/** Registers (or re-registers) a Cloud number: its webhooks go to `workspaceId` from now on. */
export async function registerCloudNumber(
  database: CentralDatabase,
  key: Buffer,
  input: CloudNumberRegistration,
  now: number,
): Promise<Registered> {
  return database.transaction(async (trx) => {
    await requireWorkspace(trx, input.workspaceId);
    const before = await trx
      .selectFrom('cloud_numbers')
      .select('phone_number_id')
      .where('phone_number_id', '=', input.phoneNumberId)
      .executeTakeFirst();
    // What a re-registration replaces; created_at stays the first registration's.
    const registration = {
      workspace_id: input.workspaceId,
      app_secret_sealed: sealWithKey(key, input.appSecret),
      verify_token_hash: hashVerifyToken(input.verifyToken),
      updated_at: now,
    };
    const saved = await trx
      .insertInto('cloud_numbers')
      .values({ phone_number_id: input.phoneNumberId, ...registration, created_at: now })
      .onConflict((oc) => oc.column('phone_number_id').doUpdateSet(registration))
      .returning(['phone_number_id', 'workspace_id', 'created_at', 'updated_at'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('relay_cursors')
      .values({ workspace_id: input.workspaceId, last_seq: 0, acked_seq: 0 })
      .onConflict((oc) => oc.column('workspace_id').doNothing())
      .execute();
    return { number: toSummary(saved), replaced: before !== undefined };
  });
}

async function removeCloudNumber(db: CentralDb, phoneNumberId: string): Promise<boolean> {
  const deleted = await db
    .deleteFrom('cloud_numbers')
    .where('phone_number_id', '=', phoneNumberId)
    .returning('phone_number_id')
    .executeTakeFirst();
  return deleted !== undefined;
}

export async function listCloudNumbers(db: CentralDb): Promise<CloudNumberSummary[]> {
  const rows = await db
    .selectFrom('cloud_numbers')
    .select(['phone_number_id', 'workspace_id', 'created_at', 'updated_at'])
    .orderBy('phone_number_id')
    .execute();
  return rows.map(toSummary);
}

/**
 * Every registered number with its workspace's name, its newest notification and how many of its
 * notifications the desktop has not acknowledged yet. One statement; both figures come from the
 * index on (workspace_id, phone_number_id, seq) (migration 0003): a seek for the newest, and a count
 * over the unacknowledged part only. Acknowledged notifications are dropped after 8 days, so a number
 * quiet for longer shows no last webhook.
 */
export async function listCloudNumberActivity(db: CentralDb, only?: string): Promise<CloudNumberActivity[]> {
  let query = db
    .selectFrom('cloud_numbers as c')
    .innerJoin('workspaces as w', 'w.id', 'c.workspace_id')
    .leftJoin('relay_cursors as k', 'k.workspace_id', 'c.workspace_id')
    .select((eb) => [
      'c.phone_number_id',
      'c.workspace_id',
      'c.created_at',
      'c.updated_at',
      'w.name as workspace_name',
      eb
        .selectFrom('relay_notifications as r')
        .select('r.received_at')
        .whereRef('r.workspace_id', '=', 'c.workspace_id')
        .whereRef('r.phone_number_id', '=', 'c.phone_number_id')
        .orderBy('r.seq', 'desc')
        .limit(1)
        .as('last_webhook_at'),
      eb
        .selectFrom('relay_notifications as r')
        .select((q) => q.fn.countAll<number>().as('n'))
        .whereRef('r.workspace_id', '=', 'c.workspace_id')
        .whereRef('r.phone_number_id', '=', 'c.phone_number_id')
        .where((q) => q('r.seq', '>', q.fn.coalesce('k.acked_seq', q.lit(0))))
        .as('queued'),
    ])
    .orderBy('c.phone_number_id');
  if (only !== undefined) query = query.where('c.phone_number_id', '=', only);
  const rows = await query.execute();
  return rows.map((r) => ({
    ...toSummary(r),
    workspaceName: r.workspace_name,
    lastWebhookAt: r.last_webhook_at === null ? null : Number(r.last_webhook_at),
    queued: Number(r.queued ?? 0),
  }));
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
