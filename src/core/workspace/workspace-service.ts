import { isSupportedCountry } from 'libphonenumber-js/max';
import type { PhoneNumber, Workspace } from '../../shared/dto';
import {
  addPhoneNumberInput,
  createWorkspaceInput,
  updateWorkspaceInput,
  type AddPhoneNumberInput,
  type CreateWorkspaceInput,
  type UpdateWorkspaceInput,
} from '../../shared/schemas';
import { workspaceSettingsSchema, type WorkspaceSettings } from '../../shared/settings';
import type { E164, NumberStatus, WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import { createId, systemClock, type Clock, type IdGenerator } from '../ids';
import type { Logger } from '../log/logger';
import { normalizePhoneNumberOrThrow } from '../phone/normalize-phone-number';
import type { Store } from '../store/open-database';
import { createNumberDirectory, createPhoneNumberRepository } from '../store/repositories/phone-numbers';
import { createWorkspaceRepository } from '../store/repositories/workspaces';
import { isUniqueViolation } from '../store/sqlite-errors';
import { parseInput } from '../validation';

export interface WorkspaceServiceOptions {
  store: Store;
  logger: Logger;
  clock?: Clock;
  newId?: IdGenerator;
}

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;

/** Deep-enough merge for settings: nested groups are merged one level down, arrays replaced. */
type SettingsPatch = {
  [K in keyof WorkspaceSettings]?: Partial<WorkspaceSettings[K]> | WorkspaceSettings[K];
};

function checkCountry(country: string): void {
  if (!isSupportedCountry(country)) {
    throw new SwitchboardError(
      'VALIDATION',
      `Unknown country code ${country}: use a two-letter code such as NG.`,
      {
        country,
      },
    );
  }
}

/** What the workspace and number parts share: the store, the log, the clock, and the repositories. */
interface ServiceContext {
  store: Store;
  logger: Logger;
  clock: Clock;
  newId: IdGenerator;
  workspaces: ReturnType<typeof createWorkspaceRepository>;
  numbers: ReturnType<typeof createPhoneNumberRepository>;
  directory: ReturnType<typeof createNumberDirectory>;
  mustGet: (workspaceId: WorkspaceId) => Promise<Workspace>;
}

/** Creating, reading, changing and deleting workspaces. */
function workspaceParts(ctx: ServiceContext) {
  const { store, logger, clock, newId, workspaces, mustGet } = ctx;
  return {
    async create(input: CreateWorkspaceInput): Promise<Workspace> {
      const fields = parseInput(createWorkspaceInput, input, 'workspace');
      checkCountry(fields.defaultCountry);
      const now = clock.now();
      const workspace: Workspace = {
        id: newId() as WorkspaceId,
        ...fields,
        settings: workspaceSettingsSchema.parse({}),
        createdAt: now,
        updatedAt: now,
      };
      await workspaces.insert(workspace);
      logger
        .child({ workspaceId: workspace.id })
        .info('workspace.created', `Workspace "${workspace.name}" created`, {
          workspaceId: workspace.id,
          botMode: workspace.botMode,
          defaultCountry: workspace.defaultCountry,
        });
      return workspace;
    },

    get: mustGet,

    list: (): Promise<Workspace[]> => workspaces.listAll(),

    async update(workspaceId: WorkspaceId, patch: UpdateWorkspaceInput): Promise<Workspace> {
      const fields = parseInput(updateWorkspaceInput, patch, 'workspace change');
      if (fields.defaultCountry !== undefined) checkCountry(fields.defaultCountry);
      await mustGet(workspaceId);
      await workspaces.update(workspaceId, fields, clock.now());
      logger
        .child({ workspaceId })
        .info('workspace.updated', 'Workspace updated', { changed: Object.keys(fields) });
      return mustGet(workspaceId);
    },

    async updateSettings(workspaceId: WorkspaceId, patch: SettingsPatch): Promise<Workspace> {
      const current = await mustGet(workspaceId);
      const merged: Record<string, unknown> = { ...current.settings };
      for (const [key, value] of Object.entries(patch ?? {})) {
        const before = merged[key];
        merged[key] = isPlainObject(before) && isPlainObject(value) ? { ...before, ...value } : value;
      }
      const settings = parseInput(workspaceSettingsSchema, merged, 'settings');
      await workspaces.update(workspaceId, { settings }, clock.now());
      logger
        .child({ workspaceId })
        .info('workspace.updated', 'Settings changed', { changed: Object.keys(patch ?? {}) });
      return mustGet(workspaceId);
    },

    async delete(workspaceId: WorkspaceId): Promise<void> {
      const workspace = await mustGet(workspaceId);
      await store.transaction((trx) => createWorkspaceRepository(trx).delete(workspaceId));
      logger.info('workspace.deleted', `Workspace "${workspace.name}" deleted with all its data`, {
        workspaceId,
      });
    },
  };
}

async function mustGetNumber(ctx: ServiceContext, workspaceId: WorkspaceId, phoneNumberId: string) {
  const number = await ctx.numbers.get(workspaceId, phoneNumberId);
  if (number === undefined) {
    throw new SwitchboardError('NOT_FOUND', 'That number is not linked to this workspace.', {
      phoneNumberId,
    });
  }
  return number;
}

/** Links a number nobody on this computer has yet; the loser of two racing adds hears why. */
async function addNumber(
  ctx: ServiceContext,
  workspaceId: WorkspaceId,
  input: AddPhoneNumberInput,
): Promise<PhoneNumber> {
  const { logger, clock, newId, numbers, directory } = ctx;
  const workspace = await ctx.mustGet(workspaceId);
  const fields = parseInput(addPhoneNumberInput, input, 'phone number');
  const e164 = normalizePhoneNumberOrThrow(fields.number, workspace.defaultCountry, 'phone number');
  const owner = await directory.ownerOf(e164);
  if (owner !== undefined) {
    throw new SwitchboardError(
      'CONFLICT',
      owner.workspaceId === workspaceId
        ? `${e164} is already linked to this workspace.`
        : `${e164} is already linked to another workspace on this computer. Remove it there first.`,
      { e164 },
    );
  }
  let number: PhoneNumber;
  try {
    number = await numbers.insert(
      workspaceId,
      { id: newId(), e164, provider: fields.provider, status: 'unpaired', label: fields.label },
      clock.now(),
    );
  } catch (error) {
    // Two adds of the same number racing: the unique key decides, the loser hears why.
    if (isUniqueViolation(error)) {
      throw new SwitchboardError('CONFLICT', `${e164} is already linked to a workspace on this computer.`, {
        e164,
      });
    }
    throw error;
  }
  logger.child({ workspaceId }).info('number.added', `Number ${e164} added`, {
    phoneNumberId: number.id,
    e164,
    provider: number.provider,
  });
  return number;
}

/** A workspace's phone numbers: added, listed, removed, and their connection status. */
function numberParts(ctx: ServiceContext) {
  const { logger, clock, numbers, directory, mustGet } = ctx;
  return {
    addNumber: (workspaceId: WorkspaceId, input: AddPhoneNumberInput) => addNumber(ctx, workspaceId, input),

    listNumbers: async (workspaceId: WorkspaceId): Promise<PhoneNumber[]> => {
      await mustGet(workspaceId);
      return numbers.list(workspaceId);
    },

    async removeNumber(workspaceId: WorkspaceId, phoneNumberId: string): Promise<void> {
      const number = await mustGetNumber(ctx, workspaceId, phoneNumberId);
      await numbers.delete(workspaceId, phoneNumberId);
      logger.child({ workspaceId }).info('number.removed', `Number ${number.e164} removed`, {
        phoneNumberId,
        e164: number.e164,
      });
    },

    async setNumberStatus(
      workspaceId: WorkspaceId,
      phoneNumberId: string,
      status: NumberStatus,
      reason: string,
    ): Promise<void> {
      const number = await mustGetNumber(ctx, workspaceId, phoneNumberId);
      if (number.status === status) return;
      await numbers.setStatus(workspaceId, phoneNumberId, status, clock.now());
      logger.child({ workspaceId }).info('number.status', `${number.e164}: ${number.status} -> ${status}`, {
        phoneNumberId,
        e164: number.e164,
        from: number.status,
        to: status,
        reason,
      });
    },

    /** Which workspace a receiving number belongs to: the router's question. */
    ownerOfNumber: (e164: E164) => directory.ownerOf(e164),
  };
}

/**
 * Workspaces and their phone numbers: validation, normalisation at the edge, and a log entry for every
 * change, so "who changed this and when" always has an answer.
 */
export function createWorkspaceService(options: WorkspaceServiceOptions) {
  const workspaces = createWorkspaceRepository(options.store.db);
  async function mustGet(workspaceId: WorkspaceId): Promise<Workspace> {
    const workspace = await workspaces.get(workspaceId);
    if (workspace === undefined) {
      throw new SwitchboardError('NOT_FOUND', `No workspace with id ${workspaceId}.`, { workspaceId });
    }
    return workspace;
  }
  const ctx: ServiceContext = {
    store: options.store,
    logger: options.logger,
    clock: options.clock ?? systemClock,
    newId: options.newId ?? createId,
    workspaces,
    numbers: createPhoneNumberRepository(options.store.db),
    directory: createNumberDirectory(options.store.db),
    mustGet,
  };
  return { ...workspaceParts(ctx), ...numberParts(ctx) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
