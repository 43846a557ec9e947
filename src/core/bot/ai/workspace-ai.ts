import { createHash } from 'node:crypto';
import type { Workspace } from '../../../shared/dto';
import type { AiProviderSettings } from '../../../shared/settings';
import type { WorkspaceId } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import type { BudgetLedger, BudgetPeriod } from './cost';
import { answerHybrid, type HybridFaqMatch, type HybridOutcome } from './hybrid';
import { createAiOrchestrator, type AiOrchestrator } from './orchestrator';
import { describeHours, type FaqEntry } from './prompt';
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
  onBudgetExhausted?: (workspaceId: WorkspaceId, period: BudgetPeriod) => void;
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

  return async (workspace) => {
    if (workspace.botMode === 'faq') {
      built.delete(workspace.id);
      return null;
    }
    const mode = workspace.botMode;
    const log = options.logger.child({ workspaceId: workspace.id });
    const settings = workspace.settings;
    const usable: { config: AiProviderSettings; key: string }[] = [];
    for (const config of settings.ai.providers) {
      if (!config.enabled) continue;
      const key = await options.keys.get(workspace.id, config.id);
      if (key === null || key === '') {
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

    const tiers: Record<Tier, AiProvider[]> = { fast: [], smart: [] };
    for (const { config, key } of usable) {
      tiers[config.tier].push(providerFromSettings(config, key, settings.ai.timeoutMs));
    }
    // A tier with no provider of its own borrows the other's: one cheap model can serve both.
    if (tiers.fast.length === 0) tiers.fast = tiers.smart;
    if (tiers.smart.length === 0) tiers.smart = tiers.fast;
    const orchestrator: AiOrchestrator = createAiOrchestrator({
      tiers,
      ledger: options.ledger,
      budget: { dailyUsd: settings.ai.dailyBudgetUsd, monthlyUsd: settings.ai.monthlyBudgetUsd },
      now: options.now,
      logger: log,
      onBudgetExhausted: (id, period) => options.onBudgetExhausted?.(id as WorkspaceId, period),
    });
    const profile = {
      name: workspace.name,
      sells: settings.ai.about,
      hours: describeHours(settings.businessHours),
    };
    const ai: WorkspaceAi = {
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
    built.set(workspace.id, { fingerprint, ai });
    return ai;
  };
}
