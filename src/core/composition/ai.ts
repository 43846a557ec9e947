import type { WorkspaceId } from '../../shared/types';
import { createAiService } from '../bot/ai/ai-service';
import { createPersistentBudgetLedger } from '../bot/ai/persistent-ledger';
import { createProviderHealth } from '../bot/ai/provider-health';
import { createWorkspaceAiFactory } from '../bot/ai/workspace-ai';
import type { Clock } from '../ids';
import type { Logger } from '../log/logger';
import type { PipelineAlert } from '../pipeline/pipeline';
import type { SecretBox } from '../secrets/secret-box';
import type { Store } from '../store/open-database';
import { createAiKeyRepository } from '../store/repositories/ai-keys';
import type { WorkspaceService } from '../workspace/workspace-service';

/**
 * The AI side of the bot: API keys sealed like the sync tokens, spending written through so budgets
 * hold across restarts, circuit breakers that outlive settings changes, and the per-workspace factory
 * the pipeline asks. `service` builds the AI screen's service once the pipeline exists.
 */
export async function createAiParts(deps: {
  store: Store;
  secrets: SecretBox;
  logger: Logger;
  clock: Clock;
  raise: (alert: PipelineAlert) => void;
}) {
  const { store, logger, clock, raise } = deps;
  const keys = createAiKeyRepository(store.db, deps.secrets, logger);
  const ledger = createPersistentBudgetLedger({ db: store.db, now: () => clock.now(), logger });
  await ledger.load();
  const health = createProviderHealth({ now: () => clock.now(), logger });
  const factory = createWorkspaceAiFactory({
    keys,
    ledger,
    health,
    logger,
    now: () => clock.now(),
    onBudgetExhausted: (workspaceId, period) => raise({ type: 'ai-budget', workspaceId, period }),
    onKeyRefused: (workspaceId, provider, status) =>
      raise({ type: 'ai-key-refused', workspaceId, provider, status }),
  });
  const service = (workspaces: WorkspaceService, onChanged: (workspaceId: WorkspaceId) => void) =>
    createAiService({ workspaces, keys, ledger, health, logger, now: () => clock.now(), onChanged });
  return { ledger, factory, service };
}
