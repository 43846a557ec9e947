import type { AiStatus, AiTestResult } from '../../../shared/ai-contract';
import type { AiProviderSettings } from '../../../shared/settings';
import type { WorkspaceId } from '../../../shared/types';
import { SwitchboardError } from '../../errors';
import type { Logger } from '../../log/logger';
import type { WorkspaceService } from '../../workspace/workspace-service';
import type { AiKeyRepository, PersistentBudgetLedger } from './ai-store';
import { providerFromSettings } from './providers';
import { ProviderError } from './types';

/**
 * What the owner does with the AI from Settings: add a provider with its key, set the budgets and what
 * the shop sells, test a provider with one real request, and see what was spent. Keys go to the sealed
 * key store; everything else to the workspace's settings (so the pipeline picks it up like any change).
 */
export interface AiService {
  status(workspaceId: WorkspaceId): Promise<AiStatus>;
  saveProvider(workspaceId: WorkspaceId, provider: AiProviderSettings, apiKey?: string): Promise<AiStatus>;
  removeProvider(workspaceId: WorkspaceId, providerId: string): Promise<AiStatus>;
  update(
    workspaceId: WorkspaceId,
    patch: { about?: string; dailyBudgetUsd?: number | null; monthlyBudgetUsd?: number | null },
  ): Promise<AiStatus>;
  test(workspaceId: WorkspaceId, providerId: string): Promise<AiTestResult>;
}

const MAX_PROVIDERS = 6;
const TEST_TIMEOUT_MS = 20_000;

export function createAiService(options: {
  workspaces: WorkspaceService;
  keys: AiKeyRepository;
  ledger: PersistentBudgetLedger;
  logger: Logger;
  now: () => number;
  /** Called after a change the pipeline must see at once. */
  onChanged?: (workspaceId: WorkspaceId) => void;
}): AiService {
  const { workspaces, keys } = options;

  async function mustGet(workspaceId: WorkspaceId) {
    const workspace = await workspaces.get(workspaceId);
    if (workspace === undefined) throw new SwitchboardError('NOT_FOUND', 'That workspace no longer exists.');
    return workspace;
  }

  async function status(workspaceId: WorkspaceId): Promise<AiStatus> {
    const workspace = await mustGet(workspaceId);
    const ai = workspace.settings.ai;
    const hints = new Map((await keys.list(workspaceId)).map((k) => [k.providerId, k.hint]));
    const providers = ai.providers.map((p) => ({ ...p, keyHint: hints.get(p.id) ?? null }));
    const spend = await options.ledger.summary(workspaceId);
    return {
      workspaceId,
      botMode: workspace.botMode,
      about: ai.about,
      providers,
      budget: { dailyUsd: ai.dailyBudgetUsd, monthlyUsd: ai.monthlyBudgetUsd },
      spend,
      problem: problemOf(workspace.botMode, providers, spend, ai),
    };
  }

  async function setProviders(workspaceId: WorkspaceId, providers: AiProviderSettings[]): Promise<void> {
    await workspaces.updateSettings(workspaceId, { ai: { providers } });
  }

  function changed(workspaceId: WorkspaceId): void {
    options.onChanged?.(workspaceId);
  }

  return {
    status,

    async saveProvider(workspaceId, provider, apiKey) {
      const workspace = await mustGet(workspaceId);
      const list = workspace.settings.ai.providers;
      const index = list.findIndex((p) => p.id === provider.id);
      if (index < 0 && list.length >= MAX_PROVIDERS) {
        throw new SwitchboardError(
          'VALIDATION',
          `A workspace can have at most ${MAX_PROVIDERS} AI providers: remove one first.`,
        );
      }
      const next = index < 0 ? [...list, provider] : list.map((p, i) => (i === index ? provider : p));
      if (apiKey !== undefined) await keys.set(workspaceId, provider.id, apiKey, options.now());
      await setProviders(workspaceId, next);
      options.logger.child({ workspaceId }).info('ai.provider_saved', `AI provider ${provider.id} saved`, {
        provider: provider.id,
        kind: provider.kind,
        model: provider.model,
        tier: provider.tier,
        enabled: provider.enabled,
        keyChanged: apiKey !== undefined,
      });
      changed(workspaceId);
      return status(workspaceId);
    },

    async removeProvider(workspaceId, providerId) {
      const workspace = await mustGet(workspaceId);
      const list = workspace.settings.ai.providers;
      if (!list.some((p) => p.id === providerId)) {
        throw new SwitchboardError('NOT_FOUND', `There is no AI provider called ${providerId}.`);
      }
      await setProviders(
        workspaceId,
        list.filter((p) => p.id !== providerId),
      );
      await keys.remove(workspaceId, providerId);
      options.logger
        .child({ workspaceId })
        .info('ai.provider_removed', `AI provider ${providerId} and its key removed`, {
          provider: providerId,
        });
      changed(workspaceId);
      return status(workspaceId);
    },

    async update(workspaceId, patch) {
      await mustGet(workspaceId);
      const ai: Record<string, unknown> = {};
      if (patch.about !== undefined) ai.about = patch.about.trim();
      if (patch.dailyBudgetUsd !== undefined) ai.dailyBudgetUsd = patch.dailyBudgetUsd;
      if (patch.monthlyBudgetUsd !== undefined) ai.monthlyBudgetUsd = patch.monthlyBudgetUsd;
      await workspaces.updateSettings(workspaceId, { ai });
      changed(workspaceId);
      return status(workspaceId);
    },

    async test(workspaceId, providerId) {
      const workspace = await mustGet(workspaceId);
      const config = workspace.settings.ai.providers.find((p) => p.id === providerId);
      if (config === undefined) {
        throw new SwitchboardError('NOT_FOUND', `There is no AI provider called ${providerId}.`);
      }
      const key = await keys.get(workspaceId, providerId);
      if (key === null) {
        return {
          ok: false,
          latencyMs: 0,
          message: 'No API key is stored for this provider: enter the key and save.',
        };
      }
      const provider = providerFromSettings(config, key, TEST_TIMEOUT_MS);
      const started = performance.now();
      const log = options.logger.child({ workspaceId });
      try {
        const result = await provider.complete({
          system: 'You check that a connection works. Reply with the single word OK.',
          messages: [{ role: 'user', content: 'Are you there?' }],
          maxTokens: 5,
        });
        const latencyMs = Math.round(performance.now() - started);
        log.info('ai.tested', `AI provider ${providerId} answered in ${latencyMs} ms`, {
          provider: providerId,
          model: result.model,
          latencyMs,
        });
        return { ok: true, latencyMs, message: `${config.model} answered: "${result.text.slice(0, 80)}"` };
      } catch (error) {
        const latencyMs = Math.round(performance.now() - started);
        const message = explain(error);
        log.warn('ai.test_failed', `AI provider ${providerId} test failed: ${message}`, {
          provider: providerId,
          kind: error instanceof ProviderError ? error.kind : 'unexpected',
          status: error instanceof ProviderError ? error.status : null,
        });
        return { ok: false, latencyMs, message };
      }
    },
  };
}

/** A failed test in words that say what to check. The key never appears (ProviderError keeps it out). */
function explain(error: unknown): string {
  if (!(error instanceof ProviderError)) return 'Something unexpected went wrong; see the log.';
  switch (error.kind) {
    case 'client':
      return error.status === 401 || error.status === 403
        ? 'The provider refused the API key: check it and save it again.'
        : error.status === 404
          ? 'The address or model name is wrong (the provider said 404).'
          : `The provider refused the request (HTTP ${error.status ?? '?'}): check the model name.`;
    case 'rate-limited':
      return 'The provider says too many requests (429): wait a little, or check your plan.';
    case 'server':
      return `The provider had an error (HTTP ${error.status ?? '5xx'}): try again later.`;
    case 'timeout':
      return 'No answer in time: check the address and the internet connection.';
    case 'network':
      return 'Could not reach the address: check it and the internet connection.';
    case 'malformed':
      return 'The address answered, but not like an AI API: check that it ends in the right path (e.g. /v1).';
    case 'aborted':
      return 'The test was cancelled.';
  }
}

function problemOf(
  botMode: AiStatus['botMode'],
  providers: AiStatus['providers'],
  spend: AiStatus['spend'],
  ai: { dailyBudgetUsd: number | null; monthlyBudgetUsd: number | null },
): string | null {
  if (botMode === 'faq')
    return 'The bot answers from FAQs only: choose "FAQ + AI" or "AI" as bot mode to use these.';
  const usable = providers.filter((p) => p.enabled && p.keyHint !== null);
  if (providers.length === 0) return 'No AI provider yet: add one below, or customers get FAQ answers only.';
  if (usable.length === 0)
    return 'No enabled provider has an API key: enter a key, or customers get FAQ answers only.';
  if (ai.dailyBudgetUsd !== null && spend.dayUsd >= ai.dailyBudgetUsd) {
    return "Today's AI budget is used up: FAQ answers and hand-offs only until tomorrow.";
  }
  if (ai.monthlyBudgetUsd !== null && spend.monthUsd >= ai.monthlyBudgetUsd) {
    return "This month's AI budget is used up: FAQ answers and hand-offs only until next month.";
  }
  return null;
}
