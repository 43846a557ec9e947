import { createHash } from 'node:crypto';
import type { Workspace } from '../../../shared/dto';
import type { AiProviderSettings } from '../../../shared/settings';
import type { WorkspaceId } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import type { BudgetLedger, BudgetPeriod } from './cost';
import { answerHybrid, type HybridFaqMatch, type HybridOutcome } from './hybrid';
import { createAiOrchestrator, type AiOrchestrator } from './orchestrator';
import { describeHours, type FaqEntry } from './prompt';
import { createProviderHealth, type ProviderHealth } from './provider-health';
import { providerFromSettings } from './providers';
import type { AiProvider, ChatMessage, Tier } from './types';

/**
 * A workspace's AI, built from its settings and stored keys: what the pipeline calls for a message the
 * FAQ matcher could not answer with confidence (bot mode 'hybrid') or for every question (mode 'ai').
 */
export interface WorkspaceAi {
  mode: 'ai' | 'hybrid';
  answer(input: WorkspaceAiInput): Promise<HybridOutcome>;
}

export interface WorkspaceAiInput {
  text: string;
  /** The FAQ matcher's best match at any confidence; null when nothing matched. */
  faqMatch: HybridFaqMatch | null;
  /** The closest FAQs, best first: the prompt's grounding. */
  faqs: readonly FaqEntry[];
  /** The chat so far, oldest first, without `text`. */
  history: readonly ChatMessage[];
  signal?: AbortSignal;
}

/** API keys live outside settings, encrypted (see secrets); null when the owner has not entered one. */
export interface AiKeyStore {
  get(workspaceId: WorkspaceId, providerId: string): Promise<string | null>;
}

export interface WorkspaceAiFactoryOptions {
  keys: AiKeyStore;
  ledger: BudgetLedger;
  logger: Logger;
  now: () => number;
  /** Circuit breakers that outlive a rebuild; default one of the factory's own. */
  health?: ProviderHealth;
  onBudgetExhausted?: (workspaceId: WorkspaceId, period: BudgetPeriod) => void;
  onKeyRefused?: (workspaceId: WorkspaceId, provider: string, status: number) => void;
}

export type WorkspaceAiFactory = (workspace: Workspace) => Promise<WorkspaceAi | null>;

/**
 * Returns null for FAQ-only workspaces and for AI modes with no usable provider (the pipeline then
 * behaves as FAQ-only and logs why). Built objects are kept while the configuration is unchanged, so a
 * provider's circuit breaker remembers its failures across messages.
 */
export function createWorkspaceAiFactory(options: WorkspaceAiFactoryOptions): WorkspaceAiFactory {
  const built = new Map<WorkspaceId, { fingerprint: string; ai: WorkspaceAi }>();
  const warned = new Set<string>();
  const health = options.health ?? createProviderHealth({ now: options.now, logger: options.logger });

  return async (workspace) => {
    if (workspace.botMode === 'faq') {
      built.delete(workspace.id);
      return null;
    }
    const mode = workspace.botMode;
    const log = options.logger.child({ workspaceId: workspace.id });
    const settings = workspace.settings;
    options.ledger.setTimeZone(workspace.id, settings.timezone);
    const usable = await usableProviders(options, workspace, log, warned);
    if (usable.length === 0) {
      if (!warned.has(workspace.id)) {
        warned.add(workspace.id);
        log.warn(
          'ai.not_configured',
          `Bot mode is ${mode} but no AI provider is set up: answering from FAQs only`,
          { mode },
        );
      }
      built.delete(workspace.id);
      return null;
    }
    warned.delete(workspace.id);

    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify({
          mode,
          name: workspace.name,
          ai: settings.ai,
          hours: settings.businessHours,
          keys: usable.map((u) => u.key),
        }),
      )
      .digest('hex');
    const cached = built.get(workspace.id);
    if (cached !== undefined && cached.fingerprint === fingerprint) return cached.ai;
    const ai = buildWorkspaceAi(options, health, { ...workspace, botMode: mode }, usable, log);
    built.set(workspace.id, { fingerprint, ai });
    return ai;
  };
}

interface UsableProvider {
  config: AiProviderSettings;
  key: string;
}

/** The enabled providers with a key (or needing none); one without is skipped, warned about once. */
async function usableProviders(
  options: WorkspaceAiFactoryOptions,
  workspace: Workspace,
  log: Logger,
  warned: Set<string>,
): Promise<UsableProvider[]> {
  const usable: UsableProvider[] = [];
  for (const config of workspace.settings.ai.providers) {
    if (!config.enabled) continue;
    // A service on the owner's own computer (Ollama) takes no key: it is asked without one.
    const key = config.needsKey ? await options.keys.get(workspace.id, config.id) : '';
    if (key === null || (config.needsKey && key === '')) {
      const id = `${workspace.id}\u0000${config.id}`;
      if (!warned.has(id)) {
        warned.add(id);
        log.warn('ai.not_configured', `AI provider ${config.id} has no API key; it is skipped`, {
          provider: config.id,
        });
      }
      continue;
    }
    usable.push({ config, key });
  }
  return usable;
}

/** The orchestrator over the workspace's providers, and the hybrid answer that asks it. */
function buildWorkspaceAi(
  options: WorkspaceAiFactoryOptions,
  health: ProviderHealth,
  workspace: Workspace & { botMode: WorkspaceAi['mode'] },
  usable: readonly UsableProvider[],
  log: Logger,
): WorkspaceAi {
  const { settings, botMode: mode } = workspace;
  // One tier with no provider of its own is served by the other's (the orchestrator's chain).
  const tiers: Record<Tier, AiProvider[]> = { fast: [], smart: [] };
  for (const { config, key } of usable) {
    health.configure(workspace.id, config.id, providerFingerprint(config, key));
    tiers[config.tier].push(providerFromSettings(config, key, settings.ai.timeoutMs));
  }
  const orchestrator: AiOrchestrator = createAiOrchestrator({
    tiers,
    ledger: options.ledger,
    budget: { dailyUsd: settings.ai.dailyBudgetUsd, monthlyUsd: settings.ai.monthlyBudgetUsd },
    breaker: health.breaker(workspace.id),
    now: options.now,
    logger: log,
    onBudgetExhausted: (id, period) => options.onBudgetExhausted?.(id as WorkspaceId, period),
    onKeyRefused: (id, provider, status) => options.onKeyRefused?.(id as WorkspaceId, provider, status),
  });
  const profile = {
    name: workspace.name,
    sells: settings.ai.about,
    hours: describeHours(settings.businessHours),
  };
  return {
    mode,
    answer: (input) =>
      answerHybrid({
        text: input.text,
        faqMatch: input.faqMatch,
        mode,
        threshold: settings.faq.threshold,
        ai: {
          orchestrator,
          workspaceId: workspace.id,
          profile,
          faqs: input.faqs,
          history: input.history,
          ...(input.signal === undefined ? {} : { signal: input.signal }),
        },
      }),
  };
}

/** What makes a provider a different one for its circuit: where it is, which model, which key. */
export function providerFingerprint(config: AiProviderSettings, key: string): string {
  return createHash('sha256')
    .update(JSON.stringify([config.kind, config.baseUrl, config.model, key]))
    .digest('hex');
}
