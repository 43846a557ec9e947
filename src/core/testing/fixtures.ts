import type { Kysely } from 'kysely';
import type { Workspace } from '../../shared/dto';
import { DEFAULT_WORKSPACE_SETTINGS } from '../../shared/settings';
import type { WorkspaceId } from '../../shared/types';
import { createWorkspaceRepository } from '../store/repositories/workspaces';
import type { Database } from '../store/schema';

/** Test support: a workspace row written straight through the repository, with fixed times. */
export async function insertTestWorkspace(
  db: Kysely<Database>,
  id: WorkspaceId,
  overrides: Partial<Workspace> = {},
): Promise<Workspace> {
  const workspace: Workspace = {
    id,
    name: 'Test Shop',
    defaultCountry: 'NG',
    botMode: 'faq',
    tier: 'free',
    settings: DEFAULT_WORKSPACE_SETTINGS,
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
  await createWorkspaceRepository(db).insert(workspace);
  return workspace;
}
