import type { Kysely, Selectable } from 'kysely';
import type { E164, WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import { keyedTable } from '../store/repositories/keyed-table';
import type { Database } from '../store/schema';
import type { MessagePricing } from '../whatsapp/provider';

/** Tables of migration 0009-cloud-numbers, declared here (like the AI tables) beside their code. */
interface CloudNumbersTable {
  number_id: string;
  workspace_id: string;
  phone_number_id: string;
  waba_id: string;
  graph_base_url: string | null;
  graph_version: string | null;
  token_sealed: string;
  token_hint: string;
  app_secret_sealed: string | null;
  verify_token_sealed: string | null;
  display_phone_number: string | null;
  verified_name: string | null;
  quality_rating: string | null;
  last_checked_at: number | null;
  created_at: number;
  updated_at: number;
}
interface CloudMessagePricingTable {
  workspace_id: string;
  business_number: string;
  provider_message_id: string;
  billable: number;
  pricing_model: string | null;
  category: string | null;
  type: string | null;
  recorded_at: number;
}
type CloudTables = { cloud_numbers: CloudNumbersTable; cloud_message_pricing: CloudMessagePricingTable };

/** What is saved for one Cloud number; secrets in plain text here, sealed before they are written. */
export interface CloudNumberInput {
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
  appSecret: string | null;
  verifyToken: string | null;
  graphBaseUrl: string | null;
  graphVersion: string | null;
}

/** The last live check of the number (GET /{phone_number_id}). */
export interface CloudProfileRecord {
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  qualityRating: string | null;
  checkedAt: number;
}

/** A stored Cloud number as the rest of the core sees it: no secret, only the token's last four. */
export interface StoredCloudNumber {
  /** Our phone_numbers row. */
  numberId: string;
  workspaceId: WorkspaceId;
  phoneNumberId: string;
  wabaId: string;
  graphBaseUrl: string | null;
  graphVersion: string | null;
  tokenHint: string;
  hasAppSecret: boolean;
  hasVerifyToken: boolean;
  profile: CloudProfileRecord | null;
  updatedAt: number;
}

/** The opened secrets (the same fields as saved): only what builds a provider or checks a webhook asks for them. */
export type CloudCredentials = CloudNumberInput;

export interface CloudPricingSummary {
  /** Messages whose status carried a pricing object since `since`. */
  messages: number;
  billable: number;
  /** Billable messages per category ('service', 'utility', 'marketing', ...). */
  billableByCategory: Record<string, number>;
}

/** The last four characters of a long secret, for the owner to recognise it; nothing of a short one. */
export function secretHint(secret: string): string {
  return secret.length <= 12 ? '' : secret.slice(-4);
}

export type CloudNumberRepository = ReturnType<typeof createCloudNumberRepository>;

/**
 * Cloud numbers and their sealed secrets, per workspace (every function takes the workspace). The
 * token never leaves `credentials`, which opens it for the provider; it is never logged.
 */
export function createCloudNumberRepository(db: Kysely<Database>, box: SecretBox, logger?: Logger) {
  const table = db.withTables<CloudTables>();
  const reads = cloudNumberReads(table, box, logger);
  return { ...reads, ...cloudNumberWrites(table, box, reads), ...cloudPricing(table) };
}

type Tables = Kysely<Database & CloudTables>;

/** A number's stored settings, without secrets, or its opened credentials. */
function cloudNumberReads(table: Tables, box: SecretBox, logger?: Logger) {
  const numbers = keyedTable(table, 'cloud_numbers');
  return {
    async get(workspaceId: WorkspaceId, numberId: string): Promise<StoredCloudNumber | undefined> {
      const row = await numbers.get({ workspace_id: workspaceId, number_id: numberId });
      return row === undefined ? undefined : toStored(row);
    },

    async list(workspaceId: WorkspaceId): Promise<StoredCloudNumber[]> {
      const rows = await table
        .selectFrom('cloud_numbers')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('created_at')
        .orderBy('number_id')
        .execute();
      return rows.map(toStored);
    },

    /** The opened secrets, or undefined when none are stored or they cannot be opened (another PC's key). */
    async credentials(workspaceId: WorkspaceId, numberId: string): Promise<CloudCredentials | undefined> {
      const row = await numbers.get({ workspace_id: workspaceId, number_id: numberId });
      return row === undefined ? undefined : openCredentials(row, box, logger);
    },
  };
}

function cloudNumberWrites(table: Tables, box: SecretBox, reads: ReturnType<typeof cloudNumberReads>) {
  return {
    /** Adds or replaces the number's Cloud settings; the number row must belong to the workspace. */
    async save(
      workspaceId: WorkspaceId,
      numberId: string,
      input: CloudNumberInput,
      profile: CloudProfileRecord | null,
      now: number,
    ): Promise<StoredCloudNumber | undefined> {
      const owned = await keyedTable(table, 'phone_numbers').exists({
        workspace_id: workspaceId,
        id: numberId,
      });
      if (!owned) return undefined;
      const values = {
        phone_number_id: input.phoneNumberId,
        waba_id: input.wabaId,
        graph_base_url: input.graphBaseUrl,
        graph_version: input.graphVersion,
        token_sealed: box.seal(input.accessToken),
        token_hint: secretHint(input.accessToken),
        app_secret_sealed: input.appSecret === null ? null : box.seal(input.appSecret),
        verify_token_sealed: input.verifyToken === null ? null : box.seal(input.verifyToken),
        display_phone_number: profile?.displayPhoneNumber ?? null,
        verified_name: profile?.verifiedName ?? null,
        quality_rating: profile?.qualityRating ?? null,
        last_checked_at: profile?.checkedAt ?? null,
        updated_at: now,
      };
      await table
        .insertInto('cloud_numbers')
        .values({ number_id: numberId, workspace_id: workspaceId, created_at: now, ...values })
        .onConflict((oc) =>
          oc.column('number_id').doUpdateSet(values).where('workspace_id', '=', workspaceId),
        )
        .execute();
      return reads.get(workspaceId, numberId);
    },
    async recordProfile(
      workspaceId: WorkspaceId,
      numberId: string,
      profile: CloudProfileRecord,
    ): Promise<boolean> {
      const updated = await keyedTable(table, 'cloud_numbers').update(
        { workspace_id: workspaceId, number_id: numberId },
        {
          display_phone_number: profile.displayPhoneNumber,
          verified_name: profile.verifiedName,
          quality_rating: profile.qualityRating,
          last_checked_at: profile.checkedAt,
        },
      );
      return updated > 0;
    },

    async remove(workspaceId: WorkspaceId, numberId: string): Promise<boolean> {
      const key = { workspace_id: workspaceId, number_id: numberId };
      return (await keyedTable(table, 'cloud_numbers').remove(key)) > 0;
    },
  };
}

/** What the Cloud numbers' messages cost, from the pricing of their status webhooks. */
function cloudPricing(table: Tables) {
  return {
    /** Keeps the first pricing object a message's statuses carry (sent, delivered and read repeat it). */
    async recordPricing(
      workspaceId: WorkspaceId,
      entry: { businessNumber: E164; providerMessageId: string; pricing: MessagePricing },
      now: number,
    ): Promise<boolean> {
      const result = await table
        .insertInto('cloud_message_pricing')
        .values({
          workspace_id: workspaceId,
          business_number: entry.businessNumber,
          provider_message_id: entry.providerMessageId,
          billable: entry.pricing.billable ? 1 : 0,
          pricing_model: entry.pricing.model,
          category: entry.pricing.category,
          type: entry.pricing.type,
          recorded_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },

    async pricingSummary(workspaceId: WorkspaceId, since: number): Promise<CloudPricingSummary> {
      const rows = await table
        .selectFrom('cloud_message_pricing')
        .select(['billable', 'category', (eb) => eb.fn.countAll<number>().as('n')])
        .where('workspace_id', '=', workspaceId)
        .where('recorded_at', '>=', since)
        .groupBy(['billable', 'category'])
        .execute();
      const summary: CloudPricingSummary = { messages: 0, billable: 0, billableByCategory: {} };
      for (const row of rows) {
        const n = Number(row.n);
        summary.messages += n;
        if (row.billable !== 1) continue;
        summary.billable += n;
        const category = row.category ?? 'unknown';
        summary.billableByCategory[category] = (summary.billableByCategory[category] ?? 0) + n;
      }
      return summary;
    },
  };
}

/**
 * Machine-level: every Cloud number's credentials, across workspaces by design (like
 * createNumberDirectory): the core builds each number's provider from them at start.
 */
export function createCloudNumberDirectory(db: Kysely<Database>, box: SecretBox, logger?: Logger) {
  const table = db.withTables<CloudTables>();
  return {
    async listAll(): Promise<(CloudCredentials & { numberId: string; workspaceId: WorkspaceId })[]> {
      const rows = await table.selectFrom('cloud_numbers').selectAll().orderBy('created_at').execute();
      const out: (CloudCredentials & { numberId: string; workspaceId: WorkspaceId })[] = [];
      for (const row of rows) {
        const opened = openCredentials(row, box, logger);
        if (opened !== undefined) {
          out.push({ ...opened, numberId: row.number_id, workspaceId: row.workspace_id as WorkspaceId });
        }
      }
      return out;
    },
  };
}

/** What the host's own webhook intake needs of one Cloud number: never its access token. */
export interface CloudWebhookKeys {
  numberId: string;
  workspaceId: WorkspaceId;
  e164: E164;
  phoneNumberId: string;
  appSecret: string | null;
  verifyToken: string | null;
}

/**
 * Machine-level, like createCloudNumberDirectory: webhooks name a phone_number_id, not a workspace, so
 * the intake looks across workspaces. Opens only the app secret and verify token; a row whose secrets
 * cannot be opened (sealed on another computer) is reported by its phone_number_id, not thrown.
 */
export function createCloudWebhookDirectory(db: Kysely<Database>, box: SecretBox) {
  const table = db.withTables<CloudTables>();
  return {
    async listKeys(): Promise<{ keys: CloudWebhookKeys[]; unreadable: string[] }> {
      const rows = await table
        .selectFrom('cloud_numbers')
        .innerJoin('phone_numbers', 'phone_numbers.id', 'cloud_numbers.number_id')
        .select([
          'cloud_numbers.number_id',
          'cloud_numbers.workspace_id',
          'cloud_numbers.phone_number_id',
          'cloud_numbers.app_secret_sealed',
          'cloud_numbers.verify_token_sealed',
          'phone_numbers.e164',
        ])
        .where('phone_numbers.provider', '=', 'cloud-api')
        .orderBy('cloud_numbers.created_at')
        .execute();
      const keys: CloudWebhookKeys[] = [];
      const unreadable: string[] = [];
      for (const row of rows) {
        try {
          keys.push({
            numberId: row.number_id,
            workspaceId: row.workspace_id as WorkspaceId,
            e164: row.e164 as E164,
            phoneNumberId: row.phone_number_id,
            appSecret: row.app_secret_sealed === null ? null : box.open(row.app_secret_sealed),
            verifyToken: row.verify_token_sealed === null ? null : box.open(row.verify_token_sealed),
          });
        } catch {
          unreadable.push(row.phone_number_id);
        }
      }
      return { keys, unreadable };
    },
  };
}

function openCredentials(
  row: Selectable<CloudNumbersTable>,
  box: SecretBox,
  logger: Logger | undefined,
): CloudCredentials | undefined {
  try {
    return {
      phoneNumberId: row.phone_number_id,
      wabaId: row.waba_id,
      accessToken: box.open(row.token_sealed),
      appSecret: row.app_secret_sealed === null ? null : box.open(row.app_secret_sealed),
      verifyToken: row.verify_token_sealed === null ? null : box.open(row.verify_token_sealed),
      graphBaseUrl: row.graph_base_url,
      graphVersion: row.graph_version,
    };
  } catch (error) {
    logger
      ?.child({ workspaceId: row.workspace_id })
      .error('cloud.token_unreadable', 'The Cloud API token of a number cannot be read; connect it again', {
        phoneNumberId: row.phone_number_id,
        error,
      });
    return undefined;
  }
}

function toStored(row: Selectable<CloudNumbersTable>): StoredCloudNumber {
  return {
    numberId: row.number_id,
    workspaceId: row.workspace_id as WorkspaceId,
    phoneNumberId: row.phone_number_id,
    wabaId: row.waba_id,
    graphBaseUrl: row.graph_base_url,
    graphVersion: row.graph_version,
    tokenHint: row.token_hint,
    hasAppSecret: row.app_secret_sealed !== null,
    hasVerifyToken: row.verify_token_sealed !== null,
    profile:
      row.last_checked_at === null
        ? null
        : {
            displayPhoneNumber: row.display_phone_number,
            verifiedName: row.verified_name,
            qualityRating: row.quality_rating,
            checkedAt: row.last_checked_at,
          },
    updatedAt: row.updated_at,
  };
}
