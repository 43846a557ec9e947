import type { AiStatus, AiTestResult } from '../../../shared/ai-contract';
import { currencySign, type BudgetInput } from '../../../shared/money-input';
import type { AiProviderSettings, WorkspaceSettings } from '../../../shared/settings';
import type { WorkspaceId } from '../../../shared/types';
import { SwitchboardError } from '../../errors';
import { DEFAULT_PRICES, unknownModelPrice } from './cost';
import { testProvider } from './ai-provider-test';
import { workspaceOf, type AiServiceOptions } from './ai-service-options';

/**
 * What the owner does with the AI from Settings: add a provider with its key, set the budgets and what
 * the shop sells, test a provider with one real request, and see what was spent. Keys go to the sealed
 * key store; everything else to the workspace's settings (so the pipeline picks it up like any change).
 */
export interface AiService {
  status(workspaceId: WorkspaceId): Promise<AiStatus>;
  saveProvider(workspaceId: WorkspaceId, provider: AiProviderSettings, apiKey?: string): Promise<AiStatus>;
  removeProvider(workspaceId: WorkspaceId, providerId: string): Promise<AiStatus>;
  update(workspaceId: WorkspaceId, patch: AiUpdate): Promise<AiStatus>;
  test(workspaceId: WorkspaceId, providerId: string): Promise<AiTestResult>;
}

export interface AiUpdate {
  about?: string;
  dailyBudget?: BudgetInput;
  monthlyBudget?: BudgetInput;
  currency?: { code: string; perUsd: number };
  timeoutSeconds?: number;
}

/** The settings schema's caps, in US$. */
const MAX_BUDGET_USD = { dailyBudget: 1000, monthlyBudget: 10_000 } as const;

const MAX_PROVIDERS = 6;

export type { AiServiceOptions } from './ai-service-options';

export function createAiService(options: AiServiceOptions): AiService {
  const { workspaces, keys } = options;
  const mustGet = (workspaceId: WorkspaceId) => workspaceOf(options, workspaceId);

  const status = (workspaceId: WorkspaceId) => readStatus(options, workspaceId);

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
      if (provider.price === undefined && !Object.hasOwn(DEFAULT_PRICES, provider.model)) {
        throw new SwitchboardError(
          'VALIDATION',
          `What does ${provider.model} cost? It is not in the built-in price list: enter its price per million ` +
            'tokens (0 for a model on your own computer), or the budget cannot count it.',
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
      options.health.forget(workspaceId, providerId);
      options.logger
        .child({ workspaceId })
        .info('ai.provider_removed', `AI provider ${providerId} and its key removed`, {
          provider: providerId,
        });
      changed(workspaceId);
      return status(workspaceId);
    },

    async update(workspaceId, patch) {
      await updateAi(options, workspaceId, patch);
      changed(workspaceId);
      return status(workspaceId);
    },

    test: (workspaceId, providerId) => testProvider(options, workspaceId, providerId),
  };
}

/** What a provider's calls are charged: the owner's price, the price list's, or the unknown-model rate. */
function chargedPrice(p: AiProviderSettings): AiStatus['providers'][number]['charged'] {
  if (p.price !== undefined) return { ...p.price, source: 'owner' };
  const listed = Object.hasOwn(DEFAULT_PRICES, p.model) ? DEFAULT_PRICES[p.model] : undefined;
  if (listed !== undefined) return { ...listed, source: 'price-list' };
  return { ...unknownModelPrice(DEFAULT_PRICES), source: 'unknown' };
}

/**
 * A budget as typed, in US$ (how it is kept): an amount in the shop's currency (or one naming US$) at
 * the owner's rate. An amount in a third currency is refused: there is no rate for it.
 */
function budgetUsd(
  input: BudgetInput,
  field: keyof typeof MAX_BUDGET_USD,
  currency: WorkspaceSettings['ai']['currency'],
): number | null {
  const label = field === 'dailyBudget' ? 'Daily budget' : 'Monthly budget';
  if (input === 'no-limit') return null;
  const code = input.currency ?? currency.code;
  if (code !== currency.code && code !== 'USD') {
    throw new SwitchboardError(
      'VALIDATION',
      `${label} is in ${code}, but the shop's currency is ${currency.code}: write it in ${currency.code} or US$.`,
    );
  }
  const usd = code === 'USD' ? input.amount : input.amount / currency.perUsd;
  const max = MAX_BUDGET_USD[field];
  if (usd > max) {
    const inShop = `${currencySign(currency.code)}${Math.floor(max * currency.perUsd).toLocaleString('en')}`;
    throw new SwitchboardError('VALIDATION', `${label} can be at most US$${max} (${inShop}).`);
  }
  // Kept to the nano-dollar: the ledger counts whole nano-dollars.
  return Math.round(usd * 1e9) / 1e9;
}

function problemOf(
  botMode: AiStatus['botMode'],
  providers: AiStatus['providers'],
  spend: AiStatus['spend'],
  ai: { dailyBudgetUsd: number | null; monthlyBudgetUsd: number | null },
): string | null {
  if (botMode === 'faq')
    return 'The bot answers from FAQs only: choose "FAQ + AI" or "AI" as bot mode to use these.';
  const usable = providers.filter((p) => p.enabled && (p.keyHint !== null || !p.needsKey));
  if (providers.length === 0) return 'No AI provider yet: add one below, or customers get FAQ answers only.';
  if (usable.length === 0)
    return 'No enabled provider has an API key: enter a key, or customers get FAQ answers only.';
  const refused = usable.find((p) => p.health.state === 'key-refused');
  if (refused !== undefined)
    return `${refused.id} refused its API key: enter the key again (Edit), then Test.`;
  const unpriced = usable.find((p) => p.charged.source === 'unknown');
  if (unpriced !== undefined) {
    return `${unpriced.model} has no price, so it is counted at the highest listed price: set its price (Edit).`;
  }
  if (ai.dailyBudgetUsd !== null && spend.dayUsd >= ai.dailyBudgetUsd) {
    return "Today's AI budget is used up: FAQ answers and hand-offs only until tomorrow.";
  }
  if (ai.monthlyBudgetUsd !== null && spend.monthUsd >= ai.monthlyBudgetUsd) {
    return "This month's AI budget is used up: FAQ answers and hand-offs only until next month.";
  }
  return null;
}

async function readStatus(options: AiServiceOptions, workspaceId: WorkspaceId): Promise<AiStatus> {
  const workspace = await workspaceOf(options, workspaceId);
  const { keys } = options;
  const ai = workspace.settings.ai;
  const hints = new Map((await keys.list(workspaceId)).map((k) => [k.providerId, k.hint]));
  const providers = ai.providers.map((p) => ({
    ...p,
    keyHint: hints.get(p.id) ?? null,
    charged: chargedPrice(p),
    health: options.health.health(workspaceId, p.id),
  }));
  options.ledger.setTimeZone(workspaceId, workspace.settings.timezone);
  const spend = await options.ledger.summary(workspaceId);
  return {
    workspaceId,
    botMode: workspace.botMode,
    about: ai.about,
    providers,
    budget: { dailyUsd: ai.dailyBudgetUsd, monthlyUsd: ai.monthlyBudgetUsd },
    currency: ai.currency,
    timeoutSeconds: Math.round(ai.timeoutMs / 1000),
    timeZone: workspace.settings.timezone,
    spend,
    problem: problemOf(workspace.botMode, providers, spend, ai),
  };
}

/** Writes the AI settings the owner changed; a new budget makes running out of it news again. */
async function updateAi(options: AiServiceOptions, workspaceId: WorkspaceId, patch: AiUpdate): Promise<void> {
  const { workspaces } = options;
  const workspace = await workspaceOf(options, workspaceId);
  const currency = patch.currency ?? workspace.settings.ai.currency;
  const ai: Record<string, unknown> = {};
  if (patch.about !== undefined) ai.about = patch.about.trim();
  if (patch.currency !== undefined) ai.currency = patch.currency;
  if (patch.timeoutSeconds !== undefined) ai.timeoutMs = patch.timeoutSeconds * 1000;
  if (patch.dailyBudget !== undefined)
    ai.dailyBudgetUsd = budgetUsd(patch.dailyBudget, 'dailyBudget', currency);
  if (patch.monthlyBudget !== undefined)
    ai.monthlyBudgetUsd = budgetUsd(patch.monthlyBudget, 'monthlyBudget', currency);
  await workspaces.updateSettings(workspaceId, { ai });
  const before = workspace.settings.ai;
  if (
    (ai.dailyBudgetUsd !== undefined && ai.dailyBudgetUsd !== before.dailyBudgetUsd) ||
    (ai.monthlyBudgetUsd !== undefined && ai.monthlyBudgetUsd !== before.monthlyBudgetUsd)
  ) {
    // A new budget: running out of it is news again, the same day included.
    options.ledger.setTimeZone(workspaceId, workspace.settings.timezone);
    options.ledger.resetNotices(workspaceId);
  }
}
