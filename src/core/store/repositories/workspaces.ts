import type { Kysely, Selectable } from 'kysely';
import type { Workspace } from '../../../shared/dto';
import { workspaceSettingsSchema, type WorkspaceSettings } from '../../../shared/settings';
import type { BotMode, SubscriptionTier, WorkspaceId } from '../../../shared/types';
import type { Database, WorkspacesTable } from '../schema';

export interface WorkspacePatch {
  name?: string;
  defaultCountry?: string;
  botMode?: BotMode;
  tier?: SubscriptionTier;
  settings?: WorkspaceSettings;
}

export type WorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;

/**
 * Workspaces are the unit of isolation, so this is the one repository with machine-level functions:
 * `insert` and `listAll` (the workspace switcher). Everything else takes the workspace's id.
 */
export function createWorkspaceRepository(db: Kysely<Database>) {
  return {
    async insert(workspace: Workspace): Promise<void> {
      await db
        .insertInto('workspaces')
        .values({
          id: workspace.id,
          name: workspace.name,
          default_country: workspace.defaultCountry,
          bot_mode: workspace.botMode,
          tier: workspace.tier,
          settings: JSON.stringify(workspace.settings),
          created_at: workspace.createdAt,
          updated_at: workspace.updatedAt,
        })
        .execute();
    },

    async listAll(): Promise<Workspace[]> {
      const rows = await db
        .selectFrom('workspaces')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toWorkspace);
    },

    async get(workspaceId: WorkspaceId): Promise<Workspace | undefined> {
      const row = await db
        .selectFrom('workspaces')
        .selectAll()
        .where('id', '=', workspaceId)
        .executeTakeFirst();
      return row === undefined ? undefined : toWorkspace(row);
    },

    async update(workspaceId: WorkspaceId, patch: WorkspacePatch, now: number): Promise<boolean> {
      const result = await db
        .updateTable('workspaces')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.defaultCountry !== undefined && { default_country: patch.defaultCountry }),
          ...(patch.botMode !== undefined && { bot_mode: patch.botMode }),
          ...(patch.tier !== undefined && { tier: patch.tier }),
          ...(patch.settings !== undefined && { settings: JSON.stringify(patch.settings) }),
          updated_at: now,
        })
        .where('id', '=', workspaceId)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** Deletes the workspace and, by cascade, its numbers, contacts, FAQs, messages and auth state. */
    async delete(workspaceId: WorkspaceId): Promise<boolean> {
      await db.deleteFrom('events').where('workspace_id', '=', workspaceId).execute();
      const result = await db.deleteFrom('workspaces').where('id', '=', workspaceId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

function toWorkspace(row: Selectable<WorkspacesTable>): Workspace {
  return {
    id: row.id as WorkspaceId,
    name: row.name,
    defaultCountry: row.default_country,
    botMode: row.bot_mode as BotMode,
    tier: row.tier as SubscriptionTier,
    settings: parseSettings(row.settings),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Settings from disk are re-validated: missing keys get defaults, a damaged value falls back whole. */
function parseSettings(json: string): WorkspaceSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  const parsed = workspaceSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : workspaceSettingsSchema.parse({});
}
