import type { Kysely, Selectable } from 'kysely';
import type { PhoneNumber } from '../../../shared/dto';
import type { E164, NumberStatus, ProviderKind, WorkspaceId } from '../../../shared/types';
import type { Database, PhoneNumbersTable } from '../schema';
import { scopedTable } from './scoped-table';

export interface NewPhoneNumber {
  id: string;
  e164: E164;
  provider: ProviderKind;
  status: NumberStatus;
  label: string | null;
}

export type PhoneNumberRepository = ReturnType<typeof createPhoneNumberRepository>;

export function createPhoneNumberRepository(db: Kysely<Database>) {
  const numbers = scopedTable(db, 'phone_numbers');
  const found = (row: Selectable<PhoneNumbersTable> | undefined) =>
    row === undefined ? undefined : toPhoneNumber(row);
  return {
    async insert(workspaceId: WorkspaceId, number: NewPhoneNumber, now: number): Promise<PhoneNumber> {
      const row = {
        id: number.id,
        workspace_id: workspaceId,
        e164: number.e164,
        provider: number.provider,
        status: number.status,
        label: number.label,
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('phone_numbers').values(row).execute();
      return toPhoneNumber(row);
    },

    async list(workspaceId: WorkspaceId): Promise<PhoneNumber[]> {
      return (await numbers.list(workspaceId, ['created_at', 'id'])).map(toPhoneNumber);
    },

    async get(workspaceId: WorkspaceId, id: string): Promise<PhoneNumber | undefined> {
      return found(await numbers.get(workspaceId, id));
    },

    async findByE164(workspaceId: WorkspaceId, e164: E164): Promise<PhoneNumber | undefined> {
      return found(await numbers.findBy(workspaceId, 'e164', e164));
    },

    async setStatus(
      workspaceId: WorkspaceId,
      id: string,
      status: NumberStatus,
      now: number,
    ): Promise<boolean> {
      return numbers.update(workspaceId, id, { status, updated_at: now });
    },

    async setLabel(
      workspaceId: WorkspaceId,
      id: string,
      label: string | null,
      now: number,
    ): Promise<boolean> {
      return numbers.update(workspaceId, id, { label, updated_at: now });
    },

    /** Moves a number to another provider (a QR-linked number to the Cloud API): its history stays. */
    async setProvider(
      workspaceId: WorkspaceId,
      id: string,
      provider: ProviderKind,
      now: number,
    ): Promise<boolean> {
      return numbers.update(workspaceId, id, { provider, updated_at: now });
    },

    async delete(workspaceId: WorkspaceId, id: string): Promise<boolean> {
      return numbers.remove(workspaceId, id);
    },
  };
}

/**
 * Machine-level lookups that must cross workspaces by design: routing an inbound message by the number
 * that received it, refusing a number that another workspace already holds, and starting every
 * connection at launch. They return only the owner and the number, never another workspace's data.
 */
export function createNumberDirectory(db: Kysely<Database>) {
  return {
    async ownerOf(e164: E164): Promise<{ workspaceId: WorkspaceId; phoneNumberId: string } | undefined> {
      const row = await db
        .selectFrom('phone_numbers')
        .select(['workspace_id', 'id'])
        .where('e164', '=', e164)
        .executeTakeFirst();
      return row === undefined
        ? undefined
        : { workspaceId: row.workspace_id as WorkspaceId, phoneNumberId: row.id };
    },

    async listAll(): Promise<PhoneNumber[]> {
      const rows = await db
        .selectFrom('phone_numbers')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toPhoneNumber);
    },
  };
}

function toPhoneNumber(row: Selectable<PhoneNumbersTable>): PhoneNumber {
  return {
    id: row.id,
    workspaceId: row.workspace_id as WorkspaceId,
    e164: row.e164 as E164,
    provider: row.provider as ProviderKind,
    status: row.status as NumberStatus,
    label: row.label,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
