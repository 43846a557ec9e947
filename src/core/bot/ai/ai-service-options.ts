import type { WorkspaceId } from '../../../shared/types';
import { SwitchboardError } from '../../errors';
import type { Logger } from '../../log/logger';
import type { AiKeyRepository } from '../../store/repositories/ai-keys';
import type { WorkspaceService } from '../../workspace/workspace-service';
import type { PersistentBudgetLedger } from './persistent-ledger';
import type { ProviderHealth } from './provider-health';

export interface AiServiceOptions {
  workspaces: WorkspaceService;
  keys: AiKeyRepository;
  ledger: PersistentBudgetLedger;
  health: ProviderHealth;
  logger: Logger;
  now: () => number;
  /** Called after a change the pipeline must see at once. */
  onChanged?: (workspaceId: WorkspaceId) => void;
}

/** The workspace the AI settings belong to; NOT_FOUND when it was deleted. */
export async function workspaceOf(options: { workspaces: WorkspaceService }, workspaceId: WorkspaceId) {
  const workspace = await options.workspaces.get(workspaceId);
  if (workspace === undefined) throw new SwitchboardError('NOT_FOUND', 'That workspace no longer exists.');
  return workspace;
}
